UNIT_TESTS += bootinfo_test
bootinfo_test_SRCS := tests/hypervisor/boot/bootinfo_test.c hypervisor/boot/bootinfo.c
UNIT_TESTS += vm_manifest_test
vm_manifest_test_SRCS := tests/hypervisor/boot/vm_manifest_test.c hypervisor/boot/vm_manifest.c
