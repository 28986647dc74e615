/* SPDX-License-Identifier: GPL-2.0-only */
/* The per-VM log rate limiter (hypervisor/kernel/log_limit.c): a burst,
 * then one item per cost, and a count of what it held back. */
#include "check.h"
#include "kernel/log_limit.h"

#define INTERVAL 1000u
#define BURST    3u

static bool allow(struct log_limit *l, uint64_t now)
{
	return log_limit_allow(l, now, INTERVAL, BURST * INTERVAL);
}

TEST(a_burst_goes_out_at_once_then_the_rest_is_counted)
{
	struct log_limit l = { 0 };

	for (unsigned i = 0; i < BURST; i++)
		CHECK(allow(&l, 5000));
	for (unsigned i = 0; i < 100; i++)
		CHECK(!allow(&l, 5000 + i));
	CHECK_EQ(l.suppressed, 100);
}

TEST(one_line_per_interval_after_the_burst)
{
	struct log_limit l = { 0 };

	for (unsigned i = 0; i < BURST; i++)
		CHECK(allow(&l, 0));
	CHECK(!allow(&l, INTERVAL - 1));
	CHECK(allow(&l, INTERVAL));
	CHECK(!allow(&l, INTERVAL));
	CHECK(!allow(&l, 2 * INTERVAL - 1));
	CHECK(allow(&l, 2 * INTERVAL));
	CHECK_EQ(l.suppressed, 3);
}

TEST(a_quiet_vm_gets_its_whole_burst_back_and_no_more)
{
	struct log_limit l = { 0 };

	for (unsigned i = 0; i < BURST; i++)
		CHECK(allow(&l, 0));
	CHECK(!allow(&l, 1));
	/* Long quiet: the bucket is full again, but holds only BURST. */
	for (unsigned i = 0; i < BURST; i++)
		CHECK(allow(&l, 100 * INTERVAL));
	CHECK(!allow(&l, 100 * INTERVAL));
}

TEST(a_burst_of_one_is_one_line_per_interval)
{
	struct log_limit l = { 0 };

	CHECK(log_limit_allow(&l, 10, INTERVAL, INTERVAL));
	CHECK(!log_limit_allow(&l, 11, INTERVAL, INTERVAL));
	CHECK(log_limit_allow(&l, 10 + INTERVAL, INTERVAL, INTERVAL));
	CHECK_EQ(l.suppressed, 1);
}

TEST(a_clock_near_its_end_does_not_wrap_into_a_free_burst)
{
	struct log_limit l = { 0 };
	uint64_t now = UINT64_MAX - 10 * INTERVAL;

	for (unsigned i = 0; i < BURST; i++)
		CHECK(allow(&l, now));
	CHECK(!allow(&l, now + 1));
}

/* Console text: the cost is the line's bytes times the cycles a byte. */
TEST(costs_by_size_let_many_short_lines_or_few_long_ones_through)
{
	struct log_limit l = { 0 };
	const uint64_t byte = 10, capacity = 1000 * byte;

	for (unsigned i = 0; i < 10; i++)
		CHECK(log_limit_allow(&l, 0, 100 * byte, capacity));
	CHECK(!log_limit_allow(&l, 0, 1 * byte, capacity));
	/* 50 bytes' worth refilled: a 50-byte line fits, a 51-byte one not. */
	CHECK(!log_limit_allow(&l, 50 * byte, 51 * byte, capacity));
	CHECK(log_limit_allow(&l, 50 * byte, 50 * byte, capacity));
	CHECK_EQ(l.suppressed, 2);
}

TEST(the_bucket_is_full_again_only_after_the_flood_has_been_paid_for)
{
	struct log_limit l = { 0 };

	CHECK(log_limit_full(&l, 0));
	CHECK(log_limit_allow(&l, 100, INTERVAL, BURST * INTERVAL));
	CHECK(!log_limit_full(&l, 100 + INTERVAL - 1));
	CHECK(log_limit_full(&l, 100 + INTERVAL));
}
