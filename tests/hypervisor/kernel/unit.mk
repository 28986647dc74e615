UNIT_TESTS += cmdline_test
cmdline_test_SRCS := tests/hypervisor/kernel/cmdline_test.c hypervisor/kernel/cmdline.c
