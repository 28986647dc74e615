/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The kernel lock (docs/design.md, "CPUs"): one ticket lock around all of
 * the kernel's state. A CPU holds it whenever it runs kernel code, and
 * lets go only while it runs a guest (from just before VM entry to just
 * after VM exit), while it idles, and between the 1 MiB pieces of a
 * scrub of memory no other CPU can reach (kernel_lock_pass), so guests
 * run in parallel and the kernel's own work, short by design, runs on one
 * CPU at a time. Nothing
 * else in the kernel needs a lock, and no CPU ever waits for another while
 * holding it. A ticket lock serves CPUs in the order they asked, so a CPU
 * whose guest exits often cannot starve another.
 */
#ifndef KERNEL_KERNEL_LOCK_H
#define KERNEL_KERNEL_LOCK_H

#include <stdint.h>

#include "arch/smp.h"

struct ticket_lock {
	uint32_t next;      /* the ticket the next CPU to ask takes */
	uint32_t serving;   /* the ticket that holds the lock */
};

/* Hidden: reached directly, not through the GOT, on every VM exit. */
extern struct ticket_lock kernel_lock_word __attribute__((visibility("hidden")));

static inline void kernel_lock(void)
{
	uint32_t mine = __atomic_fetch_add(&kernel_lock_word.next, 1, __ATOMIC_RELAXED);
	while (__atomic_load_n(&kernel_lock_word.serving, __ATOMIC_ACQUIRE) != mine)
		arch_cpu_relax();
}

static inline void kernel_unlock(void)
{
	/* Only the holder writes serving: one locked add is the whole
	 * release. */
	__atomic_fetch_add(&kernel_lock_word.serving, 1, __ATOMIC_RELEASE);
}

/*
 * Lets the lock go and takes it again: every CPU already waiting has it
 * first, in ticket order. For long work on something no other CPU touches
 * meanwhile (a reaped VM's scrub): anything else may have changed when
 * this returns.
 */
static inline void kernel_lock_pass(void)
{
	kernel_unlock();
	kernel_lock();
}

#endif
