UNIT_TESTS += pagetable_test
pagetable_test_SRCS := tests/hypervisor/arch/x86/mm/pagetable_test.c hypervisor/arch/x86/mm/pagetable.c
