/* SPDX-License-Identifier: GPL-2.0-only */
/* The hypercall rights gate (hypervisor/kernel/hypercall_gate.h) against the
 * hypercall list and the ABI's fixed facts. */
#include <bulkhead/errno.h>
#include <bulkhead/hypercall.h>
#include <bulkhead/policy_blob.h>

#include "check.h"
#include "kernel/hypercall_gate.h"

#define NR(nr, NAME, handler, right) nr,
static const unsigned numbers[] = { BH_HYPERCALLS(NR) };
#undef NR
#define RIGHT(nr, NAME, handler, right) right,
static const uint32_t rights[] = { BH_HYPERCALLS(RIGHT) };
#undef RIGHT
#define N (sizeof(numbers) / sizeof(numbers[0]))

/*
 * The right hypercall nr needs, found by asking the gate: 0 if it opens
 * with no rights (or nr is unassigned), else the one right that opens it
 * alone; ~0 if no single right does.
 */
static uint32_t right_needed(uint64_t nr)
{
	if (hypercall_gate(nr, 0) != -BH_EPERM)
		return 0;
	for (unsigned bit = 0; bit < 32; bit++)
		if (hypercall_gate(nr, 1u << bit) == 0)
			return 1u << bit;
	return ~0u;
}

TEST(numbers_run_from_zero_without_a_gap)
{
	CHECK_EQ(N, BH_HC_COUNT);
	for (unsigned i = 0; i < N; i++)
		CHECK_EQ(numbers[i], i);
	CHECK_EQ(BH_HC_RESERVED_FIRST, BH_HC_COUNT);
	CHECK(BH_HC_RESERVED_LAST >= BH_HC_RESERVED_FIRST);
}

TEST(abi_numbers_are_unchanged)
{
	/* Guests built against earlier headers use these. */
	CHECK_EQ(BH_HC_NULL, 0);
	CHECK_EQ(BH_HC_CONSOLE_WRITE, 1);
	CHECK_EQ(BH_HC_SELF, 6);
	CHECK_EQ(BH_HC_CHANNEL_FIND, 7);
	CHECK_EQ(BH_HC_CHANNEL_NOTIFY, 8);
	CHECK_EQ(BH_HC_VM_LAUNCH, 9);
	CHECK_EQ(BH_HC_CONSOLE_READ, 14);
	CHECK_EQ(BH_HC_SHUTDOWN, 17);
	CHECK_EQ(BH_HC_COUNT, 18);
}

TEST(each_call_needs_its_right_and_only_that)
{
	for (unsigned nr = 0; nr < N; nr++) {
		CHECK_EQ(right_needed(nr), rights[nr]);
		CHECK_EQ(hypercall_gate(nr, BH_POLICY_RIGHTS_ALL), 0);
		CHECK_EQ(hypercall_gate(nr, rights[nr]), 0);
		if (rights[nr]) {
			CHECK_EQ(hypercall_gate(nr, BH_POLICY_RIGHTS_ALL & ~rights[nr]), -BH_EPERM);
			CHECK_EQ(hypercall_gate(nr, 0), -BH_EPERM);
		}
	}
}

TEST(the_rights_the_policy_language_promises)
{
	CHECK_EQ(right_needed(BH_HC_NULL), 0);
	CHECK_EQ(hypercall_gate(BH_HC_NULL, 0), 0);
	CHECK_EQ(right_needed(BH_HC_CONSOLE_WRITE), BH_POLICY_RIGHT_CONSOLE);
	CHECK_EQ(right_needed(BH_HC_CHANNEL_NOTIFY), BH_POLICY_RIGHT_CHANNEL);
	CHECK_EQ(right_needed(BH_HC_VM_LAUNCH), BH_POLICY_RIGHT_LAUNCH);
	CHECK_EQ(right_needed(BH_HC_VM_LIST), BH_POLICY_RIGHT_STATS);
	CHECK_EQ(right_needed(BH_HC_LOG_READ), BH_POLICY_RIGHT_LOG);
	CHECK_EQ(right_needed(BH_HC_CONSOLE_READ), BH_POLICY_RIGHT_CONSOLE);
	CHECK_EQ(right_needed(BH_HC_SHUTDOWN), BH_POLICY_RIGHT_STOP);
	/* A control right never opens a basic call. */
	CHECK_EQ(hypercall_gate(BH_HC_CONSOLE_WRITE, BH_POLICY_RIGHTS_CONTROL), -BH_EPERM);
}

TEST(unassigned_numbers_are_enosys_whatever_the_rights)
{
	const uint64_t bad[] = {
		BH_HC_COUNT, BH_HC_RESERVED_LAST, 32, 1000, 1ull << 32,
		(1ull << 32) + BH_HC_NULL, ~0ull,
	};
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		CHECK_EQ(hypercall_gate(bad[i], BH_POLICY_RIGHTS_ALL), -BH_ENOSYS);
		CHECK_EQ(hypercall_gate(bad[i], 0), -BH_ENOSYS);
		CHECK_EQ(right_needed(bad[i]), 0);
	}
}
