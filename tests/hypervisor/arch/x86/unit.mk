UNIT_TESTS += cpuid_filter_test
cpuid_filter_test_SRCS := tests/hypervisor/arch/x86/cpuid_filter_test.c hypervisor/arch/x86/cpuid_filter.c
UNIT_TESTS += frame_walk_test
frame_walk_test_SRCS := tests/hypervisor/arch/x86/frame_walk_test.c hypervisor/arch/x86/frame_walk.c
UNIT_TESTS += linux_cpuid_test
linux_cpuid_test_SRCS := tests/hypervisor/arch/x86/linux_cpuid_test.c \
                         hypervisor/arch/x86/linux_cpuid.c hypervisor/arch/x86/cpuid_filter.c
UNIT_TESTS += linux_msr_test
linux_msr_test_SRCS := tests/hypervisor/arch/x86/linux_msr_test.c hypervisor/arch/x86/linux_msr.c
