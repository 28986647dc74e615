/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * An AMD-Vi domain's I/O page table (AMD IOMMU specification §2.2.3): DMA
 * address to host-physical, 4 levels of 512-entry 4 KiB tables (48-bit
 * DMA addresses, device table Mode 4), 4 KiB leaves only. Unlike EPT, a
 * table entry names the level of the table it points to (Next Level), so
 * the EPT builder cannot make these; its walker (mm/walk.h) still reads
 * and frees them, since present entries have bit 0 set and no entry has
 * bit 7. Pure, so host tests read the tables back.
 *
 * Every entry that maps nothing holds AMDVI_PTE_ABSENT, not 0: PR clear
 * makes the unit ignore the rest, but QEMU's emulated unit (7.2) reads
 * Next Level before it checks PR, aborts a DMA that meets an all-zero
 * entry or one with Next Level 0 without logging a fault, and logs one
 * only for a not-present entry whose Next Level says to walk on. The
 * marker keeps faults visible there too.
 */
#ifndef ARCH_X86_IOMMU_AMDVI_PAGETABLE_H
#define ARCH_X86_IOMMU_AMDVI_PAGETABLE_H

#include <stdbool.h>
#include <stdint.h>

#include "arch/x86/mm/ept.h"

#define AMDVI_PT_LEVELS 4
#define AMDVI_PT_LIMIT  (1ull << 48)      /* the first DMA address 4 levels cannot reach */
#define AMDVI_PTE_ABSENT (1ull << 9)      /* PR clear, Next Level 1: see above */

extern const struct ept_format amdvi_pt_format;

/* An empty table. Returns 0, -BH_EINVAL (bad env) or -BH_ENOMEM (nothing left allocated). */
int amdvi_pt_init(struct ept *pt, const struct ept_env *env);

/*
 * Maps [iova, iova+size) to [hpa, hpa+size), read-only or read+write, in
 * 4 KiB leaves. All three 4 KiB aligned, size non-zero, iova+size <=
 * AMDVI_PT_LIMIT, hpa+size <= 2^52, else -BH_EINVAL; -BH_EEXIST if any page
 * is mapped already; -BH_ENOMEM. Every table the range needs is made
 * before the first leaf is written, so on any error no page is mapped
 * (tables made stay, counted, until ept_destroy). A unit may be walking
 * the table: each entry is one 64-bit store, a table filled before it is
 * linked.
 */
int amdvi_pt_map(struct ept *pt, uint64_t iova, uint64_t hpa, uint64_t size, bool writable);

#endif
