UNIT_TESTS += pvh_test
pvh_test_SRCS := tests/vmm/loader/pvh_test.c vmm/loader/pvh.c
# The real kernel's path, for the case that reads it when it is built.
pvh_test_CFLAGS := -Ivmm -DLINUX_VMLINUX='"$(B)/linux/vmlinux"'
