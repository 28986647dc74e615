UNIT_TESTS += decode_test
decode_test_SRCS := tests/vmm/cpu/decode_test.c vmm/cpu/decode.c
decode_test_CFLAGS := -Ivmm

UNIT_TESTS += gpr_test
gpr_test_SRCS := tests/vmm/cpu/gpr_test.c vmm/cpu/gpr.c
gpr_test_CFLAGS := -Ivmm

UNIT_TESTS += vmm_guest_walk_test
vmm_guest_walk_test_SRCS := tests/vmm/cpu/vmm_guest_walk_test.c vmm/cpu/guest_walk.c \
                            vmm/mem/flat_memory.c
vmm_guest_walk_test_CFLAGS := -Ivmm
