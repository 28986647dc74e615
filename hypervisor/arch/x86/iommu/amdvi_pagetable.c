/* SPDX-License-Identifier: GPL-2.0-only */
/* AMD-Vi I/O page tables (contracts in amdvi_pagetable.h). */
#include <bulkhead/errno.h>

#include "arch/x86/iommu/amdvi_entries.h"
#include "arch/x86/iommu/amdvi_pagetable.h"

#define ENTRIES 512u

/* Leaves are written by amdvi_pt_map itself; this only serves the format's users. */
static uint64_t leaf_bits(unsigned flags)
{
	return amdvi_pte_leaf(0, (flags & EPT_WRITE) != 0);
}

const struct ept_format amdvi_pt_format = {
	.walk = { .present = AMDVI_PTE_PR, .table = 0 },
	.leaf_bits = leaf_bits,
};

static struct walker walker_of(struct ept *pt)
{
	return (struct walker){
		.fmt = &amdvi_pt_format.walk, .root = pt->root,
		.alloc_table = pt->env.alloc_table, .phys_to_virt = pt->env.phys_to_virt,
		.ctx = pt->env.ctx, .tables = &pt->tables,
	};
}

static void fill_absent(uint64_t *table)
{
	for (unsigned i = 0; i < ENTRIES; i++)
		table[i] = AMDVI_PTE_ABSENT;
}

static unsigned idx(uint64_t iova, unsigned level)
{
	return (unsigned)(iova >> (12 + 9 * (level - 1))) & (ENTRIES - 1);
}

/* Contract in amdvi_pagetable.h. */
int amdvi_pt_init(struct ept *pt, const struct ept_env *env)
{
	int err = ept_init_format(pt, env, false, &amdvi_pt_format);
	if (err)
		return err;
	struct walker w = walker_of(pt);
	fill_absent(walk_table(&w, pt->root));
	return 0;
}

/*
 * The level-1 table covering iova, made (with its parents) if missing when
 * make is set; 0 if it is missing and make is clear or memory ran out.
 */
static uint64_t leaf_table(struct ept *pt, uint64_t iova, bool make)
{
	struct walker w = walker_of(pt);
	uint64_t table = pt->root;
	for (unsigned level = AMDVI_PT_LEVELS; level > 1; level--) {
		uint64_t *e = &walk_table(&w, table)[idx(iova, level)];
		if (!(*e & AMDVI_PTE_PR)) {
			uint64_t t = make ? walk_new_table(&w) : 0;
			if (!t)
				return 0;
			fill_absent(walk_table(&w, t));
			walk_set(e, amdvi_pte_table(t, level));
		}
		table = *e & WALK_ADDR_MASK;
	}
	return table;
}

/* Contract in amdvi_pagetable.h. */
int amdvi_pt_map(struct ept *pt, uint64_t iova, uint64_t hpa, uint64_t size, bool writable)
{
	if (!pt->root || !walk_range_ok(iova, hpa, size) || iova >= AMDVI_PT_LIMIT ||
	    size > AMDVI_PT_LIMIT - iova)
		return -BH_EINVAL;
	struct walker w = walker_of(pt);
	if (walk_range_present(&w, iova, size))
		return -BH_EEXIST;
	/* One level-1 table covers 2 MiB: make them all first. */
	for (uint64_t a = iova; a < iova + size; a = (a | (WALK_SIZE_2M - 1)) + 1)
		if (!leaf_table(pt, a, true))
			return -BH_ENOMEM;
	for (uint64_t off = 0; off < size; off += WALK_SIZE_4K) {
		uint64_t *t = walk_table(&w, leaf_table(pt, iova + off, false));
		walk_set(&t[idx(iova + off, 1)], amdvi_pte_leaf(hpa + off, writable));
	}
	return 0;
}
