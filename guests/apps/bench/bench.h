/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The benchmark app's shared pieces (docs/benchmarks.md): the counts and
 * the two benchmarks the VM's name selects. Timing and summaries are the
 * runtime's (bulkhead/samples.h).
 *
 * Results are printed as "bench: NAME VALUE" lines, which
 * tests/bench/run.py collects from the console; "note: ..." lines say how a
 * figure was obtained and are shown as comments.
 */
#ifndef BENCH_BENCH_H
#define BENCH_BENCH_H

#include <stdbool.h>

#include <bulkhead/samples.h>

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

/* The null-hypercall round trip (null.c). Returns main's status. */
int bench_null(void);

/* The VM-switch round trip; report: print the bench: lines (switch.c). */
int bench_switch(bool report);

#endif
