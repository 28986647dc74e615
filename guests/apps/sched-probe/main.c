/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * sched-probe: what the scheduler gives a VM, seen from inside it. The
 * VM's name picks the role:
 * - spin...: burns CPU forever without a single exit of its own, as a
 *   compute-bound or hostile VM would; only the preemption timer ends its
 *   slices.
 * - wake...: sleeps WAKES times for SLEEP_NS each and measures how late
 *   each wake-up is (BH_HC_TIME after the wait, minus the deadline), then
 *   prints "wake-up lateness over N sleeps of 1 ms: max X us, mean Y us"
 *   and exits 0. A VM with a CPU budget must be woken on time even while
 *   best-effort VMs spin (docs/policy.md, "cpu"). It first sleeps
 *   WARMUP_NS unmeasured, so what other VMs cause as they start (the
 *   kernel's first lines about them) is not counted.
 * - gap...: for GAP_NS, reads BH_HC_TIME again and again (an exit each
 *   time, so each needs the kernel) and prints "longest gap between two
 *   clock reads over N ms: X us (M reads)": how long the kernel, busy for
 *   another VM on another CPU, kept this one waiting.
 * - flood-msr..., flood-io..., flood-console..., trespass...: hostile VMs
 *   that make the kernel refuse them in a loop, flood the console, or reach
 *   for memory that is not theirs (flood.c).
 */
#include <bulkhead/role.h>
#include <bulkhead/runtime.h>

#include "probe.h"

#define WAKES    200
#define SLEEP_NS BH_NS_PER_MS
#define WARMUP_NS (250 * BH_NS_PER_MS)
#define GAP_NS    (3000 * BH_NS_PER_MS)

static int spin(void)
{
	for (volatile uint64_t n = 0;; n++)
		;
	return 0;
}

static void sleep_until(uint64_t deadline)
{
	uint64_t now;

	while ((now = bh_time_ns()) < deadline)
		bh_wait(deadline - now);
}

static int wake(void)
{
	uint64_t max = 0, sum = 0;

	sleep_until(bh_time_ns() + WARMUP_NS);
	for (int i = 0; i < WAKES; i++) {
		uint64_t deadline = bh_time_ns() + SLEEP_NS, now;
		while ((now = bh_time_ns()) < deadline)
			bh_wait(deadline - now);
		uint64_t late = now - deadline;
		sum += late;
		if (late > max)
			max = late;
	}
	bh_printf("wake-up lateness over %d sleeps of 1 ms: max %lu us, mean %lu us\n", WAKES,
	          (unsigned long)(max / BH_NS_PER_US),
	          (unsigned long)(sum / WAKES / BH_NS_PER_US));
	return 0;
}

static int gap(void)
{
	uint64_t start = bh_time_ns(), prev = start, now, longest = 0, reads = 0;

	bh_printf("gap: reading the clock for %lu ms\n", (unsigned long)(GAP_NS / BH_NS_PER_MS));
	while ((now = bh_time_ns()) - start < GAP_NS) {
		if (now - prev > longest)
			longest = now - prev;
		prev = now;
		reads++;
	}
	bh_printf("longest gap between two clock reads over %lu ms: %lu us (%lu reads)\n",
	          (unsigned long)(GAP_NS / BH_NS_PER_MS), (unsigned long)(longest / BH_NS_PER_US),
	          (unsigned long)reads);
	return 0;
}

static const struct bh_role roles[] = {
	{ "flood-msr*", flood_msr },
	{ "flood-io*", flood_io },
	{ "flood-console*", flood_console },
	{ "trespass*", trespass },
	{ "spin*", spin },
	{ "wake*", wake },
	{ "gap*", gap },
};

int main(void)
{
	return bh_role_run(roles, sizeof(roles) / sizeof(roles[0]));
}
