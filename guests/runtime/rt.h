/* SPDX-License-Identifier: GPL-2.0-only */
/* The runtime's internal seams between its files; apps never see these. */
#ifndef RUNTIME_RT_H
#define RUNTIME_RT_H

#include <stdint.h>

#include <bulkhead/guest_abi.h>

/*
 * Called by _start (start.asm) with the start-info address from RDI:
 * validates the page, sets up the heap, runs main. Returns the exit status
 * for BH_HC_EXIT: main's return value, or -BH_EINVAL if the start-info page
 * is not one this runtime understands (main is then not called).
 */
int64_t bh_runtime_start(const struct bh_start_info *si);

/* The raw BH_HC_WAIT, bypassing the stash of events bh_wait returns first
 * (hypercall.c). */
int64_t rt_hc_wait(uint64_t timeout_ns);

/* Around every call that waits (BH_HC_WAIT, BH_HC_MONITOR_RUN): the
 * kernel takes a channel's memory away at the first wait after the one
 * that said its peer is gone, and the runtime keeps count (channel.c). */
void rt_channels_before_wait(void);
void rt_channels_after_wait(int64_t result);

/* Bit h: channel h's memory may be unmapped (bh_channel_closed); the
 * rings made from it look here (struct bh_ring.closed). */
extern uint32_t rt_closed_handles;

/* Keeps event bits for the next bh_wait (hypercall.c). */
void rt_stash_events(uint64_t bits);

/* Puts the heap over the free memory si describes (malloc.c). */
void rt_malloc_init(const struct bh_start_info *si);

#endif
