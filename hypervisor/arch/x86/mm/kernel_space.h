/* SPDX-License-Identifier: GPL-2.0-only */
/* The kernel's own address space, for arch/x86 code (private to arch/x86). */
#ifndef ARCH_X86_MM_KERNEL_SPACE_H
#define ARCH_X86_MM_KERNEL_SPACE_H

#include <stdint.h>

/*
 * Maps the device registers at [phys, phys+size) identity, read+write,
 * uncached and never executable, after arch_kernel_space_init (the
 * local APIC's page where it has no x2APIC mode). phys and size 4 KiB
 * aligned. Returns 0, -BH_EEXIST if already mapped, or -BH_ENOMEM when
 * the early pool has no table left.
 */
int kernel_space_map_mmio(uint64_t phys, uint64_t size);

#endif
