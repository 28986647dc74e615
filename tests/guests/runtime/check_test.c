/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Host tests of guests/runtime/check.c: the verdict, summary and probe
 * lines byte for byte (tests/system/ matches them on the console), the
 * counts, and the exit status a tally gives.
 */
#include "check.h"

#include <bulkhead/check.h>

#include "fake_console.h"

TEST(pass_prints_and_counts)
{
	struct bh_tally t = { 0 };

	fake_console_reset("t");
	CHECK(bh_check(&t, true, "PAT reads 0x%llx, the power-on value", 0x7040600070406ull));
	CHECK_STR_EQ(fake_console_output(), "PASS PAT reads 0x7040600070406, the power-on value\n");
	CHECK_EQ(t.passed, 1);
	CHECK_EQ(t.failed, 0);
}

TEST(fail_prints_and_counts)
{
	struct bh_tally t = { 0 };

	fake_console_reset("t");
	CHECK(!bh_check(&t, false, "consumer: %d", -1));
	CHECK(bh_check(&t, true, "no arguments"));
	CHECK_STR_EQ(fake_console_output(), "FAIL consumer: -1\nPASS no arguments\n");
	CHECK_EQ(t.passed, 1);
	CHECK_EQ(t.failed, 1);
}

TEST(message_is_not_a_format_twice)
{
	struct bh_tally t = { 0 };

	/* A % in an argument is printed as is, not formatted again. */
	fake_console_reset("t");
	bh_check(&t, true, "%s", "100%d");
	CHECK_STR_EQ(fake_console_output(), "PASS 100%d\n");
}

TEST(summary_line_and_status)
{
	struct bh_tally t = { 0 };

	fake_console_reset("t");
	CHECK_EQ(bh_tally_summary(&t), 1);   /* nothing checked: not a pass */
	t.passed = 4;
	CHECK_EQ(bh_tally_summary(&t), 0);
	t.failed = 1;
	CHECK_EQ(bh_tally_summary(&t), 1);
	CHECK_STR_EQ(fake_console_output(),
	             "summary: 0 passed, 0 failed\n"
	             "summary: 4 passed, 0 failed\n"
	             "summary: 4 passed, 1 failed\n");
}

TEST(summary_after_checks)
{
	struct bh_tally t = { 0 };

	fake_console_reset("t");
	for (int i = 0; i < 3; i++)
		bh_check(&t, i != 1, "check %d", i);
	CHECK_EQ(bh_tally_summary(&t), 1);
	CHECK_STR_EQ(fake_console_output(),
	             "PASS check 0\nFAIL check 1\nPASS check 2\nsummary: 2 passed, 1 failed\n");
}

TEST(probe_lines)
{
	fake_console_reset("t");
	bh_probe_say("read 0x%llx", 0x200000ull);
	CHECK_EQ(bh_probe_not_contained("read 0x%llx returned 0x%x", 0x200000ull, 7u),
	         BH_PROBE_NOT_CONTAINED);
	CHECK_STR_EQ(fake_console_output(),
	             "probe: read 0x200000\n"
	             "probe: NOT CONTAINED: read 0x200000 returned 0x7\n");
}
