/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Prints "tick N" every 100 ms of BH_HC_TIME time, waiting with BH_HC_WAIT
 * timeouts in between (a waiting VM costs no CPU). Runs forever, or for
 * TICKER_COUNT ticks when built with -DTICKER_COUNT=N (N > 0), then exits 0.
 *
 * Deadlines are absolute, so ticks don't drift with wake-up latency; ticks
 * missed while the VM was not scheduled are skipped, not bunched up.
 */
#include <bulkhead/runtime.h>

#ifndef TICKER_COUNT
#define TICKER_COUNT 0   /* forever */
#endif

#define PERIOD_NS (100 * BH_NS_PER_MS)

/* Waits until BH_HC_TIME reaches deadline; returns the time it read. */
static uint64_t wait_until(uint64_t deadline)
{
	uint64_t now;

	/* An early return means an event came in; none are ours to handle,
	 * so wait again. */
	while ((now = bh_time_ns()) < deadline)
		bh_wait(deadline - now);
	return now;
}

int main(void)
{
	uint64_t next = bh_time_ns() + PERIOD_NS;

	for (uint64_t n = 1;; n++) {
		uint64_t now = wait_until(next);
		bh_printf("tick %lu\n", (unsigned long)n);
		if (TICKER_COUNT != 0 && n == (uint64_t)TICKER_COUNT)
			return 0;
		next += PERIOD_NS;
		if (next <= now)
			next = now + PERIOD_NS;
	}
}
