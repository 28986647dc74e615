/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * vm_switch_cycles: the cost of one switch between two VMs
 * (docs/benchmarks.md). VMs share no memory, so one VM cannot read the
 * other's timestamps. Instead each of the two runnable VMs times its own
 * BH_HC_YIELD: with exactly two VMs yielding in lock step, a yield returns
 * after two switches (this VM to the peer, the peer back) plus the peer's
 * loop body between its two yields (a few instructions). The figure is
 * (median round trip - empty TSC pair) / 2.
 *
 * Both VMs measure; only the reporting one (bench-a) prints the bench:
 * lines, the other a note to check them against.
 */
#include <bulkhead/runtime.h>

#include "bench.h"

int bench_switch(bool report)
{
	const size_t n = BENCH_SWITCH_ROUNDS;
	uint64_t *s = bh_malloc(n * sizeof(*s));
	int64_t failed = 0;

	if (!s) {
		bh_printf("note: switch: no memory for %zu samples\n", n);
		return 1;
	}
	struct bh_sample_stats pair = bh_tsc_pair(s, n);

	/* Both VMs make the same number of yields in total, so each yield of
	 * this VM is answered by one of the peer's. */
	for (unsigned i = 0; i < BENCH_SWITCH_WARMUP; i++)
		failed |= bh_yield();
	for (size_t i = 0; i < n; i++) {
		uint64_t t0 = bh_tsc();
		int64_t r = bh_yield();
		uint64_t t1 = bh_tsc();
		s[i] = t1 - t0;
		failed |= r;
	}
	for (unsigned i = 0; i < BENCH_SWITCH_TAIL; i++)
		failed |= bh_yield();
	if (failed) {
		bh_printf("note: switch: BH_HC_YIELD did not return 0\n");
		return 1;
	}
	struct bh_sample_stats rt = bh_samples_summarise(s, n);
	uint64_t median = bh_sub_floor(rt.median, pair.median) / 2;
	uint64_t min = bh_sub_floor(rt.min, pair.min) / 2;

	bh_printf("note: switch: %zu BH_HC_YIELD round trips after %u warm-up; raw "
	          "cycles min %llu median %llu p99 %llu max %llu; empty TSC pair "
	          "median %llu\n", n, BENCH_SWITCH_WARMUP,
	          (unsigned long long)rt.min, (unsigned long long)rt.median,
	          (unsigned long long)rt.p99, (unsigned long long)rt.max,
	          (unsigned long long)pair.median);
	if (report) {
		bh_printf("bench: vm_switch_cycles %llu\n", (unsigned long long)median);
		bh_printf("bench: vm_switch_cycles_min %llu\n", (unsigned long long)min);
	} else {
		bh_printf("note: switch: this side's view: vm_switch_cycles %llu, min %llu\n",
		          (unsigned long long)median, (unsigned long long)min);
	}
	bh_free(s);
	return 0;
}
