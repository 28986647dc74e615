/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The benchmark app's shared pieces (docs/benchmarks.md): reading the TSC,
 * summarising samples, and the two benchmarks the VM's name selects.
 *
 * Results are printed as "bench: NAME VALUE" lines, which
 * tests/bench/run.py collects from the console; "note: ..." lines say how a
 * figure was obtained and are shown as comments.
 */
#ifndef BENCH_BENCH_H
#define BENCH_BENCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Counts; -D overridable through guest_bench_CFLAGS in mk/guests.mk. */
#ifndef BENCH_NULL_WARMUP
#define BENCH_NULL_WARMUP  1000
#endif
#ifndef BENCH_NULL_CALLS
#define BENCH_NULL_CALLS   10000
#endif
#ifndef BENCH_SWITCH_WARMUP
#define BENCH_SWITCH_WARMUP 100
#endif
#ifndef BENCH_SWITCH_ROUNDS
#define BENCH_SWITCH_ROUNDS 2000
#endif
/* Yields after the measured ones, so the peer's last measured round trip
 * still finds this VM yielding in a loop rather than printing or gone. */
#define BENCH_SWITCH_TAIL  16

/*
 * The TSC, fenced on both sides. RDTSC is not serialising: on real hardware
 * it may read the counter before earlier instructions finish or after later
 * ones start (SDM Vol. 2B, RDTSC), and LFENCE keeps it in place. Bochs runs
 * one instruction at a time and its TSC counts instructions, so there the
 * fences only add a fixed cost, which the empty-pair baseline removes.
 * RDTSC does not exit: the kernel leaves CPU_BASED_RDTSC_EXITING clear.
 */
static inline uint64_t bench_tsc(void)
{
	uint32_t lo, hi;

	asm volatile("lfence; rdtsc; lfence" : "=a"(lo), "=d"(hi) : : "memory");
	return ((uint64_t)hi << 32) | lo;
}

struct bench_stats {
	uint64_t min;
	uint64_t median;   /* element n / 2 of the sorted samples */
	uint64_t p99;      /* element n * 99 / 100 */
	uint64_t max;
};

/* Sorts the n > 0 samples s in place and summarises them. */
struct bench_stats bench_summarise(uint64_t *s, size_t n);

/*
 * The cost of measuring nothing: n back-to-back bench_tsc() pairs, taken
 * with the same loop shape as the benchmarks, summarised. s is scratch
 * space for n samples.
 */
struct bench_stats bench_tsc_pair(uint64_t *s, size_t n);

/* a - b, or 0 if b is larger. */
static inline uint64_t bench_sub(uint64_t a, uint64_t b)
{
	return a > b ? a - b : 0;
}

/* The null-hypercall round trip (null.c). Returns main's status. */
int bench_null(void);

/* The VM-switch round trip; report: print the bench: lines (switch.c). */
int bench_switch(bool report);

#endif
