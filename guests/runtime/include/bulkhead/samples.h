/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Timing samples for the benchmark apps (docs/benchmarks.md): the fenced
 * TSC read they all time with, the summary of a set of samples, and the
 * cost of timing nothing, which each figure subtracts.
 */
#ifndef BULKHEAD_SAMPLES_H
#define BULKHEAD_SAMPLES_H

#include <stddef.h>
#include <stdint.h>

/*
 * The TSC, fenced on both sides. RDTSC is not serialising: on real hardware
 * it may read the counter before earlier instructions finish or after later
 * ones start (SDM Vol. 2B, RDTSC), and LFENCE keeps it in place. Bochs runs
 * one instruction at a time and its TSC counts instructions, so there the
 * fences only add a fixed cost, which the empty-pair baseline removes.
 * RDTSC does not exit: the kernel leaves CPU_BASED_RDTSC_EXITING clear.
 */
static inline uint64_t bh_tsc(void)
{
	uint32_t lo, hi;

	asm volatile("lfence; rdtsc; lfence" : "=a"(lo), "=d"(hi) : : "memory");
	return ((uint64_t)hi << 32) | lo;
}

struct bh_sample_stats {
	uint64_t min;
	uint64_t median;   /* element n / 2 of the sorted samples */
	uint64_t p99;      /* element n * 99 / 100 */
	uint64_t max;
};

/* Sorts the n > 0 samples s in place and summarises them. */
struct bh_sample_stats bh_samples_summarise(uint64_t *s, size_t n);

/*
 * The cost of timing nothing: n back-to-back bh_tsc() pairs, taken with the
 * loop shape of a measurement, summarised. s is scratch space for n > 0
 * samples.
 */
struct bh_sample_stats bh_tsc_pair(uint64_t *s, size_t n);

/* a - b, or 0 if b is larger: a figure minus its baseline, never wrapped. */
static inline uint64_t bh_sub_floor(uint64_t a, uint64_t b)
{
	return a > b ? a - b : 0;
}

#endif
