UNIT_TESTS += sched_policy_test
sched_policy_test_SRCS := tests/hypervisor/kernel/sched/sched_policy_test.c hypervisor/kernel/sched_policy.c
