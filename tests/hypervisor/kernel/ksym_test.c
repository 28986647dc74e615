/* SPDX-License-Identifier: GPL-2.0-only */
/* Symbol lookup in a table shaped like the one tools/mksyms.py generates. */
#include "check.h"
#include "kernel/ksym.h"

static const uint32_t addrs[] = { 0x1000, 0x1030, 0x1100, 0x2000 };
static const uint32_t names[] = { 0, 2, 6, 10 };
static const char strings[] = "a\0bcd\0efg\0";
static const struct ksym_table table = { 4, addrs, names, strings };

TEST(function_starts_and_insides)
{
	uint64_t off;
	CHECK_STR_EQ(ksym_find(&table, 0x1000, &off), "a");
	CHECK_EQ(off, 0);
	CHECK_STR_EQ(ksym_find(&table, 0x102f, &off), "a");
	CHECK_EQ(off, 0x2f);
	CHECK_STR_EQ(ksym_find(&table, 0x1030, &off), "bcd");
	CHECK_EQ(off, 0);
	CHECK_STR_EQ(ksym_find(&table, 0x1fff, &off), "efg");
	CHECK_EQ(off, 0xeff);
}

TEST(outside_the_text)
{
	uint64_t off = 7;
	CHECK(ksym_find(&table, 0xfff, &off) == NULL);
	CHECK_EQ(off, 0);
	CHECK(ksym_find(&table, 0x2000, &off) == NULL);   /* the end marker */
	CHECK(ksym_find(&table, 0xffffffffffffull, &off) == NULL);
}

TEST(empty_table)
{
	static const uint32_t zero[] = { 0 };
	const struct ksym_table empty = { 0, zero, zero, "" };
	uint64_t off;
	CHECK(ksym_find(&empty, 0, &off) == NULL);
	CHECK(ksym_find(&empty, 0x1000, &off) == NULL);
}

TEST(every_entry_of_a_long_table)
{
	uint32_t a[101], n[101];
	for (uint32_t i = 0; i < 101; i++) {
		a[i] = 0x1000 + i * 0x10;
		n[i] = i < 100 ? (i % 2) * 2 : 3;
	}
	const struct ksym_table t = { 101, a, n, "x\0y\0" };
	uint64_t off;
	for (uint32_t i = 0; i < 100; i++) {
		CHECK_STR_EQ(ksym_find(&t, a[i] + 5, &off), i % 2 ? "y" : "x");
		CHECK_EQ(off, 5);
	}
	CHECK(ksym_find(&t, a[100], &off) == NULL);
}
