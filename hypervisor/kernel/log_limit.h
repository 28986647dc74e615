/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A token bucket for what one VM makes the kernel log without being
 * stopped: the lines about its refused accesses (MSRs, control and debug
 * registers, XSETBV) and its console text. Without it a VM that loops on a
 * refusal, or writes as fast as it can, would push the kernel's own events
 * out of the console's way and take the line from every other VM's text.
 * Pure: kernel/vm_console.c applies it.
 */
#ifndef KERNEL_LOG_LIMIT_H
#define KERNEL_LOG_LIMIT_H

#include <stdbool.h>
#include <stdint.h>

/* Lines about refusals: a VM's first ones go out at once, then one a second. */
#define LOG_LIMIT_BURST       5
#define LOG_LIMIT_INTERVAL_NS 1000000000ull

/*
 * Console text of a VM that does not own the console: 16 KiB at once, then
 * 4 KiB a second. COM1 sends about 11.5 KiB a second at 115200 baud, so two
 * VMs writing flat out still leave the line room for the kernel's events.
 */
#define CONSOLE_LIMIT_BURST_BYTES   16384
#define CONSOLE_LIMIT_BYTES_PER_SEC 4096

struct log_limit {
	uint64_t full_at;      /* when the bucket is full again (TSC) */
	uint64_t suppressed;   /* items refused since the caller last reported */
};

/*
 * Whether an item costing `cost` (> 0) may pass at TSC value now, from a
 * bucket that holds `capacity` (>= cost) and refills one unit a cycle:
 * capacity / cost items at once after a quiet spell, then one every cost
 * cycles. A refused item is counted in l->suppressed, which the caller
 * reports and clears. A zeroed log_limit is a full bucket.
 */
bool log_limit_allow(struct log_limit *l, uint64_t now, uint64_t cost, uint64_t capacity);

/* True once the bucket is full again at now: whatever flood it held back
 * has ended. */
static inline bool log_limit_full(const struct log_limit *l, uint64_t now)
{
	return l->full_at <= now;
}

#endif
