UNIT_TESTS += manifest_test
manifest_test_SRCS := tests/firmware/bundle/manifest_test.c firmware/bundle/manifest.c common/lib/format.c common/lib/sha256.c common/lib/hex.c common/lib/names.c
