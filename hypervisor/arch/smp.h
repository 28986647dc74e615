/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The arch seam for several CPUs (docs/design.md, "CPUs"). CPUs are
 * numbered from 0, the boot CPU, in the order the firmware lists them;
 * only CPUs that started are counted. Implemented in arch/x86/smp.c.
 */
#ifndef ARCH_SMP_H
#define ARCH_SMP_H

#include <stddef.h>
#include <stdint.h>

#include "mm/memmap.h"

/* The most CPUs the kernel runs on; further ones are left parked. */
#define ARCH_MAX_CPUS 64u

/* The index of the CPU running the caller. */
unsigned arch_cpu_this(void);

/* How many CPUs run the kernel: 1 until arch_cpus_start. */
unsigned arch_cpu_count(void);

/*
 * Starts the application processors whose local APIC IDs are apic_ids[1..n)
 * (apic_ids[0] is the boot CPU), in that order, each on its own stack and
 * descriptor tables, with hardware virtualization turned on as on the boot
 * CPU, then calls cpu_main(index) on each, which must not return. The
 * start-up code is placed in usable memory below 1 MiB from regions[].
 * Reports each CPU in the log and returns how many run, the boot CPU
 * included. Call after arch_virt_init, with the kernel lock held: the APs
 * wait for it before cpu_main does anything.
 */
unsigned arch_cpus_start(const uint32_t *apic_ids, unsigned n,
                         const struct mem_region *regions, size_t nregions,
                         void (*cpu_main)(unsigned cpu));

/*
 * Makes CPU cpu look at its VMs again soon: an IPI that ends the slice of
 * the guest it runs (the guest exits) or wakes it from idle. Nothing for
 * the calling CPU itself.
 */
void arch_cpu_kick(unsigned cpu);

/* A pause in a spin-wait loop. */
void arch_cpu_relax(void);

#endif
