UNIT_TESTS += svm_caps_test
svm_caps_test_SRCS := tests/hypervisor/arch/x86/svm/caps_test.c hypervisor/arch/x86/svm/caps.c common/lib/format.c
UNIT_TESTS += cr_decode_test
cr_decode_test_SRCS := tests/hypervisor/arch/x86/svm/cr_decode_test.c hypervisor/arch/x86/svm/cr_decode.c
UNIT_TESTS += npt_test
npt_test_SRCS := tests/hypervisor/arch/x86/svm/npt_test.c hypervisor/arch/x86/svm/npt.c hypervisor/arch/x86/mm/ept.c hypervisor/arch/x86/mm/pagetable.c tests/hypervisor/arch/x86/mm/pt_inspect.c
npt_test_CFLAGS := -Itests/hypervisor/arch/x86/mm
