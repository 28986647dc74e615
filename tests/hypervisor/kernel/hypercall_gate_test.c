/* SPDX-License-Identifier: GPL-2.0-only */
/* The hypercall rights gate (hypervisor/kernel/hypercall_gate.h) against the
 * hypercall list and the ABI's fixed facts. */
#include <bulkhead/errno.h>
#include <bulkhead/hypercall.h>
#include <bulkhead/policy_blob.h>

#include <stdbool.h>

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

/* The numbers the list leaves out below its last: kept for calls to come. */
#define NLEFT 0u

/* None today: the list has no gap (hypercall.h allows one). */
static bool is_left_out(unsigned nr)
{
	(void)nr;
	return false;
}

TEST(numbers_run_from_zero_in_order_leaving_out_only_the_kept_ones)
{
	CHECK_EQ(N + NLEFT, BH_HC_COUNT);
	unsigned want = 0;
	for (unsigned i = 0; i < N; i++, want++) {
		while (is_left_out(want))
			want++;
		CHECK_EQ(numbers[i], want);
	}
	CHECK_EQ(numbers[N - 1] + 1, BH_HC_COUNT);
	for (unsigned nr = 0; nr < BH_HC_COUNT; nr++)
		CHECK_EQ((BH_HC_ASSIGNED >> nr) & 1, !is_left_out(nr));
	CHECK_EQ(BH_HC_ASSIGNED >> BH_HC_COUNT, 0);
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
	CHECK_EQ(BH_HC_CONSOLE_ATTACH, 19);
	CHECK_EQ(BH_HC_CONSOLE_SEND, 20);
	CHECK_EQ(BH_HC_DEVICE_CONFIG, 21);
	CHECK_EQ(BH_HC_DEVICE_MMIO, 22);
	CHECK_EQ(BH_HC_COUNT, 23);
}

TEST(each_call_needs_its_right_and_only_that)
{
	for (unsigned i = 0; i < N; i++) {
		unsigned nr = numbers[i];
		CHECK_EQ(right_needed(nr), rights[i]);
		CHECK_EQ(hypercall_gate(nr, BH_POLICY_RIGHTS_ALL), 0);
		CHECK_EQ(hypercall_gate(nr, rights[i]), 0);
		if (rights[i]) {
			CHECK_EQ(hypercall_gate(nr, BH_POLICY_RIGHTS_ALL & ~rights[i]), -BH_EPERM);
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
	CHECK_EQ(right_needed(BH_HC_CONSOLE_ATTACH), BH_POLICY_RIGHT_STOP);
	CHECK_EQ(right_needed(BH_HC_CONSOLE_SEND), BH_POLICY_RIGHT_STOP);
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
