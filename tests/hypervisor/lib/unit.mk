UNIT_TESTS += format_test
format_test_SRCS := tests/hypervisor/lib/format_test.c hypervisor/lib/format.c
UNIT_TESTS += sha256_test
sha256_test_SRCS := tests/hypervisor/lib/sha256_test.c hypervisor/lib/sha256.c
UNIT_TESTS += log_ring_test
log_ring_test_SRCS := tests/hypervisor/lib/log_ring_test.c hypervisor/lib/log_ring.c
