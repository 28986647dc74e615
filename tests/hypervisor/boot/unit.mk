UNIT_TESTS += bootinfo_test
bootinfo_test_SRCS := tests/hypervisor/boot/bootinfo_test.c hypervisor/boot/bootinfo.c
UNIT_TESTS += elf64_test
elf64_test_SRCS := tests/hypervisor/boot/elf64_test.c hypervisor/boot/elf64.c common/lib/format.c
