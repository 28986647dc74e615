UNIT_TESTS += dmar_test
dmar_test_SRCS := tests/hypervisor/arch/x86/iommu/dmar_test.c hypervisor/arch/x86/iommu/dmar.c
UNIT_TESTS += vtd_entries_test
vtd_entries_test_SRCS := tests/hypervisor/arch/x86/iommu/vtd_entries_test.c hypervisor/arch/x86/iommu/vtd_entries.c
UNIT_TESTS += vtd_pagetable_test
vtd_pagetable_test_SRCS := tests/hypervisor/arch/x86/iommu/vtd_pagetable_test.c hypervisor/arch/x86/iommu/vtd_pagetable.c hypervisor/arch/x86/mm/ept.c hypervisor/arch/x86/mm/pagetable.c
