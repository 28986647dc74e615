/* SPDX-License-Identifier: GPL-2.0-only */
/* Sample summaries and the empty-measurement baseline (contracts: bench.h). */
#include "bench.h"

/* Heapsort: O(n log n) with no extra memory. An O(n^2) sort of 10,000
 * samples would cost more emulated time than the benchmark itself. */
static void sift_down(uint64_t *a, size_t root, size_t n)
{
	for (;;) {
		size_t child = 2 * root + 1;
		if (child >= n)
			return;
		if (child + 1 < n && a[child + 1] > a[child])
			child++;
		if (a[root] >= a[child])
			return;
		uint64_t t = a[root];
		a[root] = a[child];
		a[child] = t;
		root = child;
	}
}

static void sort(uint64_t *a, size_t n)
{
	for (size_t i = n / 2; i-- > 0;)
		sift_down(a, i, n);
	for (size_t end = n; end-- > 1;) {
		uint64_t t = a[0];
		a[0] = a[end];
		a[end] = t;
		sift_down(a, 0, end);
	}
}

struct bench_stats bench_summarise(uint64_t *s, size_t n)
{
	sort(s, n);
	return (struct bench_stats){
		.min = s[0],
		.median = s[n / 2],
		.p99 = s[n * 99 / 100],
		.max = s[n - 1],
	};
}

struct bench_stats bench_tsc_pair(uint64_t *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		uint64_t t0 = bench_tsc();
		uint64_t t1 = bench_tsc();
		s[i] = t1 - t0;
	}
	return bench_summarise(s, n);
}
