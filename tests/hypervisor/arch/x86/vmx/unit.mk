UNIT_TESTS += caps_test
caps_test_SRCS := tests/hypervisor/arch/x86/vmx/caps_test.c hypervisor/arch/x86/vmx/caps.c hypervisor/lib/format.c
