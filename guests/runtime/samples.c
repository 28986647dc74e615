/* SPDX-License-Identifier: GPL-2.0-only */
/* Sample summaries and the empty-measurement baseline (contracts:
 * bulkhead/samples.h). */
#include <bulkhead/runtime.h>
#include <bulkhead/samples.h>

struct bh_sample_stats bh_samples_summarise(uint64_t *s, size_t n)
{
	bh_sort_u64(s, n);
	return (struct bh_sample_stats){
		.min = s[0],
		.median = s[n / 2],
		.p99 = s[n * 99 / 100],
		.max = s[n - 1],
	};
}

struct bh_sample_stats bh_tsc_pair(uint64_t *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		uint64_t t0 = bh_tsc();
		uint64_t t1 = bh_tsc();
		s[i] = t1 - t0;
	}
	return bh_samples_summarise(s, n);
}
