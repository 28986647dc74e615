/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * hypercall_null_cycles: the round trip of BH_HC_NULL, guest to kernel and
 * back, in TSC cycles (docs/benchmarks.md). The VM runs alone, so nothing
 * but the kernel's exit path and the odd preemption-timer exit (every
 * scheduler slice) lies between the two TSC reads; the median is immune to
 * the latter. The call goes through the runtime's bh_null, whose CALL, RET
 * and number load add a few instructions to the kernel's path.
 */
#include <bulkhead/runtime.h>

#include "bench.h"

int bench_null(void)
{
	const size_t n = BENCH_NULL_CALLS;
	uint64_t *s = bh_malloc(n * sizeof(*s));
	int64_t failed = 0;

	if (!s) {
		bh_printf("note: null: no memory for %zu samples\n", n);
		return 1;
	}
	struct bh_sample_stats pair = bh_tsc_pair(s, n);

	for (unsigned i = 0; i < BENCH_NULL_WARMUP; i++)
		failed |= bh_null();
	for (size_t i = 0; i < n; i++) {
		uint64_t t0 = bh_tsc();
		int64_t r = bh_null();
		uint64_t t1 = bh_tsc();
		s[i] = t1 - t0;
		failed |= r;
	}
	if (failed) {
		bh_printf("note: null: BH_HC_NULL did not return 0\n");
		return 1;
	}
	struct bh_sample_stats raw = bh_samples_summarise(s, n);

	bh_printf("note: null: %zu BH_HC_NULL calls after %u warm-up; raw cycles "
	          "min %llu median %llu p99 %llu max %llu\n", n, BENCH_NULL_WARMUP,
	          (unsigned long long)raw.min, (unsigned long long)raw.median,
	          (unsigned long long)raw.p99, (unsigned long long)raw.max);
	bh_printf("note: null: empty TSC pair min %llu median %llu, subtracted\n",
	          (unsigned long long)pair.min, (unsigned long long)pair.median);
	bh_printf("bench: hypercall_null_cycles %llu\n",
	          (unsigned long long)bh_sub_floor(raw.median, pair.median));
	bh_printf("bench: hypercall_null_cycles_min %llu\n",
	          (unsigned long long)bh_sub_floor(raw.min, pair.min));
	bh_free(s);
	return 0;
}
