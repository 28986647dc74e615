/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A token bucket for the log lines one VM causes without being stopped
 * (refused MSRs, control- and debug-register accesses, XSETBV). Each line
 * is written to the UART synchronously (~87 us a byte at 115200 baud) and
 * into the 64 KiB ring, so a VM that loops on a refusal would otherwise
 * stall every VM and push everything else out of the ring. Pure: kernel/vm.c
 * applies it (vm_log_allowed).
 */
#ifndef KERNEL_LOG_LIMIT_H
#define KERNEL_LOG_LIMIT_H

#include <stdbool.h>
#include <stdint.h>

/* A VM's first lines go out at once; after that one a second. */
#define LOG_LIMIT_BURST       5
#define LOG_LIMIT_INTERVAL_NS 1000000000ull

struct log_limit {
	uint64_t full_at;      /* when the bucket is full again (TSC) */
	uint64_t suppressed;   /* lines refused since the last one let through */
};

/*
 * Whether a line may be logged at TSC value now: at most burst (>= 1) at
 * once, and one more every interval cycles. A refused line is counted in
 * l->suppressed, which the caller reports and clears. A zeroed log_limit
 * is a full bucket.
 */
bool log_limit_allow(struct log_limit *l, uint64_t now, uint64_t interval, unsigned burst);

#endif
