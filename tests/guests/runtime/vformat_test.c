/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Host tests of guests/runtime/vformat.c: short output straight from the
 * stack, long output whole from the heap (and the heap buffer freed), a
 * failed allocation cut to 255 bytes, and the returned length in each case.
 * bh_malloc and bh_free are the C library's here, with a switch that
 * makes the allocation fail.
 */
#include "check.h"

#include <stdarg.h>
#include <stdlib.h>

#include <bulkhead/runtime.h>

static bool fail_malloc;
static int live;   /* allocations not yet freed */

void *bh_malloc(size_t size)
{
	if (fail_malloc)
		return NULL;
	live++;
	return malloc(size);
}

void bh_free(void *p)
{
	if (p)
		live--;
	free(p);
}

static char got[2048];
static size_t got_len;
static int emits;

static void collect(void *ctx, const char *s, size_t n)
{
	CHECK(ctx == &got);
	CHECK(got_len + n < sizeof(got));
	memcpy(got + got_len, s, n);
	got_len += n;
	got[got_len] = '\0';
	emits++;
}

static int format(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int format(const char *fmt, ...)
{
	va_list ap;

	got_len = 0;
	got[0] = '\0';
	emits = 0;
	va_start(ap, fmt);
	int n = bh_vformat(collect, &got, fmt, ap);
	va_end(ap);
	return n;
}

TEST(short_output_one_emit)
{
	CHECK_EQ(format("tick %u of %s", 7u, "ten"), 13);
	CHECK_STR_EQ(got, "tick 7 of ten");
	CHECK_EQ(emits, 1);
	CHECK_EQ(live, 0);
}

TEST(empty_output)
{
	CHECK_EQ(format("%s", ""), 0);
	CHECK_EQ(got_len, 0);
}

TEST(exactly_255_bytes_stay_on_the_stack)
{
	char s[256];

	memset(s, 'a', 255);
	s[255] = '\0';
	fail_malloc = true;   /* no heap needed */
	CHECK_EQ(format("%s", s), 255);
	fail_malloc = false;
	CHECK_STR_EQ(got, s);
}

TEST(long_output_whole_from_the_heap)
{
	char s[1001];

	for (int i = 0; i < 1000; i++)
		s[i] = (char)('a' + i % 26);
	s[1000] = '\0';
	CHECK_EQ(format("<%s|%d>", s, 42), 1005);
	CHECK_EQ(got_len, 1005);
	CHECK_EQ(emits, 1);
	CHECK(got[0] == '<' && memcmp(got + 1, s, 1000) == 0);
	CHECK_STR_EQ(got + 1001, "|42>");
	CHECK_EQ(live, 0);   /* the heap buffer was freed */
}

TEST(failed_allocation_cuts_to_255)
{
	char s[301];

	memset(s, 'z', 300);
	s[300] = '\0';
	fail_malloc = true;
	int n = format("%s", s);
	fail_malloc = false;
	CHECK_EQ(n, 300);   /* the full length, as promised */
	CHECK_EQ(got_len, 255);
	CHECK(memcmp(got, s, 255) == 0);
}
