/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The run-time pool (policy "pool runtime memory"): RAM set aside at boot,
 * after the boot VMs and channels have theirs, for the VMs launched at run
 * time. Launched VMs take their memory only from it, so a launch can never
 * take what a boot VM or the kernel needs, and the pool's size is a
 * physical limit, not a counter. It is a frame allocator of its own over
 * 2 MiB-aligned runs carved out of phys_frames. The kernel's records of a
 * launched VM (VM record, vCPU, VMCS or VMCB, EPT or NPT: mm/records.h)
 * come from the pool too, so how many VMs can be launched is the pool's
 * size, not a table's.
 */
#ifndef MM_POOL_H
#define MM_POOL_H

#include <stdint.h>

#include "mm/frame.h"

/* At most this many separate runs make up the pool. */
#define POOL_MAX_RUNS 32

/* A pool the machine cannot fully provide still leaves this much to the
 * kernel (its log, the pool's own bitmap, what the boot VMs map later). */
#define POOL_KERNEL_HEADROOM (8ull << 20)

extern struct frame_alloc pool_frames;

/*
 * Takes `bytes` (a multiple of 2 MiB) out of phys_frames for the pool,
 * leaving at least POOL_KERNEL_HEADROOM there. Returns the bytes reserved:
 * less than asked if the machine has no more (the caller reports the
 * shortfall), 0 if there is no pool.
 */
uint64_t pool_init(uint64_t bytes);

/*
 * Reserves the policy's pool of `bytes` (0: none) with pool_init and logs
 * what it got, or that the machine could give only part of it (launches
 * are then held to that). Called once, after the boot VMs and channels
 * have their memory.
 */
void pool_reserve(uint64_t bytes);

/* Bytes of the pool in total, currently handed out, and free. */
uint64_t pool_size(void);
uint64_t pool_used(void);
uint64_t pool_free(void);

#endif
