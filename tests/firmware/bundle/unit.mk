UNIT_TESTS += manifest_test
manifest_test_SRCS := tests/firmware/bundle/manifest_test.c firmware/bundle/manifest.c hypervisor/lib/format.c hypervisor/lib/sha256.c
