UNIT_TESTS += pagetable_test
pagetable_test_SRCS := tests/hypervisor/arch/x86/mm/pagetable_test.c hypervisor/arch/x86/mm/pagetable.c tests/hypervisor/arch/x86/mm/pt_inspect.c
UNIT_TESTS += guest_paging_test
guest_paging_test_SRCS := tests/hypervisor/arch/x86/mm/guest_paging_test.c hypervisor/arch/x86/mm/guest_paging.c hypervisor/arch/x86/mm/pagetable.c hypervisor/kernel/vm_copy.c tests/hypervisor/arch/x86/mm/pt_inspect.c
UNIT_TESTS += ept_test
ept_test_SRCS := tests/hypervisor/arch/x86/mm/ept_test.c hypervisor/arch/x86/mm/ept.c hypervisor/arch/x86/mm/pagetable.c tests/hypervisor/arch/x86/mm/pt_inspect.c
UNIT_TESTS += guest_walk_test
guest_walk_test_SRCS := tests/hypervisor/arch/x86/mm/guest_walk_test.c hypervisor/arch/x86/mm/guest_walk.c hypervisor/kernel/vm_copy.c
