/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Host tests of guests/runtime/role.c: exact names and prefixes, table
 * order, the catch-all, and what bh_role_run runs, returns and prints when
 * the VM's name has no role.
 */
#include "check.h"

#include <bulkhead/role.h>

#include "fake_console.h"

static const char *ran;

static int run_a(void)
{
	ran = "a";
	return 0;
}

static int run_b(void)
{
	ran = "b";
	return 7;
}

static int run_any(void)
{
	ran = "any";
	return 3;
}

static const struct bh_role roles[] = {
	{ "bench-a", run_a },
	{ "bench-b", run_b },
	{ "mem-*",   run_a },
	{ "m*",      run_b },
};
#define NROLES (sizeof(roles) / sizeof(roles[0]))

TEST(matches_exact)
{
	CHECK(bh_role_matches("bench-a", "bench-a"));
	CHECK(!bh_role_matches("bench-a", "bench-ab"));
	CHECK(!bh_role_matches("bench-a", "bench-"));
	CHECK(!bh_role_matches("bench-a", ""));
	CHECK(!bh_role_matches("", "x"));
	CHECK(bh_role_matches("", ""));
}

TEST(matches_prefix)
{
	CHECK(bh_role_matches("spin*", "spin"));
	CHECK(bh_role_matches("spin*", "spin2"));
	CHECK(!bh_role_matches("spin*", "spi"));
	CHECK(!bh_role_matches("spin*", "xspin"));
	CHECK(bh_role_matches("*", ""));
	CHECK(bh_role_matches("*", "anything"));
	/* Only a last '*' is special. */
	CHECK(bh_role_matches("a*b", "a*b"));
	CHECK(!bh_role_matches("a*b", "axb"));
}

TEST(find_first_in_table_order)
{
	CHECK(bh_role_find(roles, NROLES, "bench-a") == &roles[0]);
	CHECK(bh_role_find(roles, NROLES, "bench-b") == &roles[1]);
	CHECK(bh_role_find(roles, NROLES, "mem-past-read") == &roles[2]);
	CHECK(bh_role_find(roles, NROLES, "mem") == &roles[3]);
	CHECK(bh_role_find(roles, NROLES, "bench-c") == NULL);
	CHECK(bh_role_find(roles, NROLES, "") == NULL);
	CHECK(bh_role_find(roles, 0, "bench-a") == NULL);
}

TEST(run_runs_the_role)
{
	fake_console_reset("bench-b");
	ran = NULL;
	CHECK_EQ(bh_role_run(roles, NROLES), 7);
	CHECK_STR_EQ(ran, "b");
	CHECK_STR_EQ(fake_console_output(), "");
}

TEST(run_catch_all_last)
{
	static const struct bh_role with_default[] = {
		{ "mark*", run_a },
		{ "*",     run_any },
	};

	fake_console_reset("idle1");
	ran = NULL;
	CHECK_EQ(bh_role_run(with_default, 2), 3);
	CHECK_STR_EQ(ran, "any");
	fake_console_reset("mark1");
	CHECK_EQ(bh_role_run(with_default, 2), 0);
	CHECK_STR_EQ(ran, "a");
}

TEST(run_without_a_role)
{
	fake_console_reset("bench-c");
	ran = NULL;
	CHECK_EQ(bh_role_run(roles, NROLES), BH_ROLE_NONE);
	CHECK(ran == NULL);
	CHECK_STR_EQ(fake_console_output(),
	             "FAIL no role for a VM named 'bench-c'; roles: bench-a, bench-b, mem-*, m*\n");
}

TEST(run_empty_table)
{
	fake_console_reset("x");
	CHECK_EQ(bh_role_run(roles, 0), BH_ROLE_NONE);
	CHECK_STR_EQ(fake_console_output(), "FAIL no role for a VM named 'x'; roles:\n");
}
