UNIT_TESTS += bootinfo_test
bootinfo_test_SRCS := tests/hypervisor/boot/bootinfo_test.c hypervisor/boot/bootinfo.c
