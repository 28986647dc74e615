/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A VT-d domain's second-level page table (Intel VT-d specification §9.8):
 * DMA address to host-physical, in the same 4 KiB-table, 512-entry shape
 * as EPT, so the EPT builder (mm/ept.h) makes it, given this entry format:
 * R in bit 0, W in bit 1, PS in bit 7 for a 2 MiB leaf; tables point on
 * with R|W so the leaf alone decides. Pure, so host tests read the tables
 * back.
 *
 * A unit may walk only 3 levels (39-bit addresses, QEMU's default). The
 * builder always makes 4; for a 3-level unit the domain's first level-3
 * table is made at creation and handed to the unit as the root, and
 * mappings stay below 2^39, the only part of the tree that table covers.
 */
#ifndef ARCH_X86_IOMMU_VTD_PAGETABLE_H
#define ARCH_X86_IOMMU_VTD_PAGETABLE_H

#include <stdbool.h>
#include <stdint.h>

#include "arch/x86/mm/ept.h"

extern const struct ept_format vtd_sl_format;

/* The first DMA address a walk of levels (3 or 4) cannot reach. */
static inline uint64_t vtd_sl_limit(unsigned levels)
{
	return 1ull << (12 + 9 * levels);
}

/*
 * An empty second-level table for a unit walking levels (3 or 4), with
 * 2 MiB leaves if large. Returns 0, -BH_EINVAL (bad levels or env), or
 * -BH_ENOMEM (nothing is left allocated).
 */
int vtd_sl_init(struct ept *sl, const struct ept_env *env, unsigned levels, bool large);

/* The table a context entry names: the root, or for 3 levels its first level-3 table. */
uint64_t vtd_sl_root(const struct ept *sl, unsigned levels);

/*
 * Maps [iova, iova+size) to [hpa, hpa+size), read-only or read+write.
 * The ept_map rules, and iova+size <= vtd_sl_limit(levels): -BH_EINVAL.
 */
int vtd_sl_map(struct ept *sl, unsigned levels, uint64_t iova, uint64_t hpa,
               uint64_t size, bool writable);

#endif
