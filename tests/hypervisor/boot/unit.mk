UNIT_TESTS += bootinfo_test
bootinfo_test_SRCS := tests/hypervisor/boot/bootinfo_test.c hypervisor/boot/bootinfo.c
UNIT_TESTS += vm_manifest_test
vm_manifest_test_SRCS := tests/hypervisor/boot/vm_manifest_test.c hypervisor/boot/vm_manifest.c
UNIT_TESTS += elf64_test
elf64_test_SRCS := tests/hypervisor/boot/elf64_test.c hypervisor/boot/elf64.c hypervisor/lib/format.c
