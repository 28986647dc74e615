UNIT_TESTS += caps_test
caps_test_SRCS := tests/hypervisor/arch/x86/vmx/caps_test.c hypervisor/arch/x86/vmx/caps.c common/lib/format.c
UNIT_TESTS += vmcs_fields_test
vmcs_fields_test_SRCS := tests/hypervisor/arch/x86/vmx/vmcs_fields_test.c hypervisor/arch/x86/vmx/vmx_defs.c
UNIT_TESTS += controls_test
controls_test_SRCS := tests/hypervisor/arch/x86/vmx/controls_test.c hypervisor/arch/x86/vmx/controls.c
UNIT_TESTS += exit_qual_test
exit_qual_test_SRCS := tests/hypervisor/arch/x86/vmx/exit_qual_test.c hypervisor/arch/x86/vmx/exit_qual.c
