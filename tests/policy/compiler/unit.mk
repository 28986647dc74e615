# The policy compiler's pure parts, host-tested with sanitizers (and so for
# leaks: every run frees what it parsed).
POLICY_TEST_LIB := $(filter-out policy/compiler/main.c,$(sort $(wildcard policy/compiler/*.c))) \
                   common/policy/blob.c common/lib/names.c common/lib/hex.c

UNIT_TESTS += policy_value_test
policy_value_test_SRCS := tests/policy/compiler/value_test.c policy/compiler/value.c common/lib/hex.c
policy_value_test_CFLAGS := -Ipolicy/compiler

UNIT_TESTS += policy_compile_test
policy_compile_test_SRCS := tests/policy/compiler/compile_test.c $(POLICY_TEST_LIB)
policy_compile_test_CFLAGS := -Ipolicy/compiler
