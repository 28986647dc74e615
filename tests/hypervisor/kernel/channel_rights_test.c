/* SPDX-License-Identifier: GPL-2.0-only */
/* A channel's policy flags as each end sees them
 * (hypervisor/kernel/channel_rights.c): EPT write permission, the right to
 * signal, the flags BH_HC_CHANNEL_FIND and BH_HC_CHANNELS report. */
#include <bulkhead/hypercall.h>
#include <bulkhead/policy_blob.h>

#include "check.h"
#include "kernel/channel_rights.h"

#define W01 BH_POLICY_CH_WRITE_01
#define W10 BH_POLICY_CH_WRITE_10
#define E01 BH_POLICY_CH_EVENT_01
#define E10 BH_POLICY_CH_EVENT_10
#define R   BH_CHANNEL_READ
#define W   BH_CHANNEL_WRITE
#define S   BH_CHANNEL_SIGNAL
#define EV  BH_CHANNEL_EVENTS
#define B   BH_CHANNEL_BOTH

static const struct {
	uint32_t policy;
	uint32_t end[2];       /* BH_CHANNEL_* each end is shown */
	const char *direction;
} cases[] = {
	{ W01 | E01,             { R | W | S, R | EV },                  "one way, first to second" },
	{ W01 | E01 | E10,       { R | W | S | EV, R | S | EV },         "one way, first to second" },
	{ W01,                   { R | W, R },                           "one way, first to second" },
	{ W10 | E10,             { R | EV, R | W | S },                  "one way, second to first" },
	{ W10 | E01,             { R | S, R | W | EV },                  "one way, second to first" },
	{ W01 | W10,             { R | W | B, R | W | B },               "both ways" },
	{ W01 | W10 | E01 | E10, { R | W | S | EV | B, R | W | S | EV | B }, "both ways" },
};

TEST(each_end_sees_what_the_policy_gives_it)
{
	for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint32_t f = cases[i].policy;
		for (unsigned e = 0; e < 2; e++) {
			if (channel_end_flags(f, e) != cases[i].end[e])
				check_fail(__FILE__, __LINE__, "case %u end %u: 0x%x, want 0x%x",
				           i, e, channel_end_flags(f, e), cases[i].end[e]);
		}
		CHECK_STR_EQ(channel_direction(f), cases[i].direction);
		CHECK_EQ(channel_stat_flags(f), (cases[i].end[0] & B));
	}
}

TEST(ept_write_permission_follows_only_the_ends_own_write_flag)
{
	CHECK(channel_end_writes(W01, 0));
	CHECK(!channel_end_writes(W01, 1));
	CHECK(!channel_end_writes(W10, 0));
	CHECK(channel_end_writes(W10, 1));
	/* Events never grant writing. */
	CHECK(!channel_end_writes(E01 | E10, 0));
	CHECK(!channel_end_writes(E01 | E10, 1));
	CHECK(channel_end_signals(E01, 0));
	CHECK(!channel_end_signals(E01, 1));
	CHECK(channel_end_signals(E10, 1));
	CHECK(!channel_end_signals(W01 | W10, 0));
}

TEST(every_combination_is_consistent_and_symmetric)
{
	for (uint32_t f = 0; f <= BH_POLICY_CH_FLAGS; f++) {
		/* The same channel with its ends swapped in the policy. */
		uint32_t swapped = (f & W01 ? W10 : 0) | (f & W10 ? W01 : 0) |
		                   (f & E01 ? E10 : 0) | (f & E10 ? E01 : 0);
		for (unsigned e = 0; e < 2; e++) {
			uint32_t seen = channel_end_flags(f, e);
			CHECK(seen & R);
			/* What the VM is told is what its EPT enforces. */
			CHECK_EQ(!!(seen & W), channel_end_writes(f, e));
			CHECK_EQ(!!(seen & S), channel_end_signals(f, e));
			CHECK_EQ(!!(seen & EV), channel_end_signals(f, 1 - e));
			CHECK_EQ(seen, channel_end_flags(swapped, 1 - e));
		}
	}
}
