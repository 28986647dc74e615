/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Host tests of guests/runtime/samples.c (with sort.c): which sorted
 * element each summary figure is, for sizes where the indices round, and
 * that the empty-pair baseline fills every sample. The host runs the same
 * fenced RDTSC as a guest.
 */
#include "check.h"

#include <stdlib.h>

#include <bulkhead/samples.h>

TEST(summary_of_one)
{
	uint64_t s[] = { 42 };
	struct bh_sample_stats st = bh_samples_summarise(s, 1);

	CHECK_EQ(st.min, 42);
	CHECK_EQ(st.median, 42);
	CHECK_EQ(st.p99, 42);
	CHECK_EQ(st.max, 42);
}

TEST(summary_picks_sorted_elements)
{
	uint64_t s[] = { 9, 1, 8, 2, 7, 3, 6, 4, 5, 0 };
	struct bh_sample_stats st = bh_samples_summarise(s, 10);

	for (uint64_t i = 0; i < 10; i++)
		CHECK_EQ(s[i], i);   /* sorted in place */
	CHECK_EQ(st.min, 0);
	CHECK_EQ(st.median, 5);   /* element 10 / 2 */
	CHECK_EQ(st.p99, 9);      /* element 990 / 100 */
	CHECK_EQ(st.max, 9);
}

TEST(summary_of_many)
{
	enum { N = 1000 };
	uint64_t *s = malloc(N * sizeof(*s));

	CHECK(s);
	/* 0..999 shuffled by a multiplier prime to N. */
	for (uint64_t i = 0; i < N; i++)
		s[i] = (i * 617) % N + 100;
	struct bh_sample_stats st = bh_samples_summarise(s, N);
	CHECK_EQ(st.min, 100);
	CHECK_EQ(st.median, 600);
	CHECK_EQ(st.p99, 1090);
	CHECK_EQ(st.max, 1099);
	free(s);
}

TEST(tsc_pair_fills_every_sample)
{
	enum { N = 64 };
	uint64_t s[N];

	for (size_t i = 0; i < N; i++)
		s[i] = ~0ull;
	struct bh_sample_stats st = bh_tsc_pair(s, N);
	/* Differences of a monotonic counter: never the marker, ordered. */
	for (size_t i = 0; i < N; i++)
		CHECK(s[i] != ~0ull);
	CHECK(st.min <= st.median && st.median <= st.p99 && st.p99 <= st.max);
}

TEST(sub_floor)
{
	CHECK_EQ(bh_sub_floor(10, 3), 7);
	CHECK_EQ(bh_sub_floor(3, 10), 0);
	CHECK_EQ(bh_sub_floor(5, 5), 0);
}
