/* SPDX-License-Identifier: GPL-2.0-only */
/* The kernel's own address space, for arch/x86 code (private to arch/x86). */
#ifndef ARCH_X86_MM_KERNEL_SPACE_H
#define ARCH_X86_MM_KERNEL_SPACE_H

#include <stdbool.h>
#include <stdint.h>

/*
 * Maps the device registers at [phys, phys+size) identity, read+write,
 * uncached and never executable, after arch_kernel_space_init (the
 * local APIC's page where it has no x2APIC mode). phys and size 4 KiB
 * aligned. Returns 0, -BH_EEXIST if already mapped, or -BH_ENOMEM when
 * the early pool has no table left.
 */
int kernel_space_map_mmio(uint64_t phys, uint64_t size);

/*
 * Application processors' kernel stacks live apart from the identity map,
 * one slot of KERNEL_AP_STACK_SLOT bytes per CPU from KERNEL_AP_STACKS: an
 * unmapped guard page, then KERNEL_AP_STACK_PAGES mapped pages. A stack
 * overflow then faults (#PF, then #DF on the CPU's IST stack) instead of
 * writing into whatever frame lies below the stack's frames.
 */
#define KERNEL_AP_STACKS      0xffffff8000000000ull
#define KERNEL_AP_STACK_PAGES 4u
#define KERNEL_AP_STACK_SLOT  (16ull * 4096)

/*
 * Maps KERNEL_AP_STACK_PAGES frames at phys as a stack in slot `slot`
 * (below MAX_CPUS; each AP the kernel tries to start gets a slot of its
 * own, kept if it halts), read+write, never executable. Before the AP
 * runs, so no CPU can hold a translation of it. Returns the stack's top
 * (the first byte above it), or 0 if the slot is taken or a table could
 * not be had from the early pool.
 */
uint64_t kernel_space_map_ap_stack(unsigned slot, uint64_t phys);

/*
 * If addr lies in the pages of a slot that was mapped, sets [*lo, *hi) to
 * them and returns true (for the backtrace, which must not walk off the
 * stack, nor onto a slot that is not there).
 */
bool kernel_space_ap_stack_bounds(uint64_t addr, uint64_t *lo, uint64_t *hi);

#endif
