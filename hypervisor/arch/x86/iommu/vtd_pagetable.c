/* SPDX-License-Identifier: GPL-2.0-only */
/* VT-d second-level tables on the EPT builder (contracts in vtd_pagetable.h). */
#include <bulkhead/errno.h>

#include "arch/x86/iommu/vtd_pagetable.h"

#define SL_R (1ull << 0)
#define SL_W (1ull << 1)

/*
 * Execute (bit 2) is left clear: the kernel never lets devices make
 * execute requests. Memory type bits stay 0: DMA snooping is the
 * platform's default, as for any untranslated request.
 */
static uint64_t sl_leaf_bits(unsigned flags)
{
	return SL_R | (flags & EPT_WRITE ? SL_W : 0);
}

const struct ept_format vtd_sl_format = {
	.walk = { .present = SL_R | SL_W, .table = SL_R | SL_W },
	.leaf_bits = sl_leaf_bits,
};

/* Contract in vtd_pagetable.h. */
int vtd_sl_init(struct ept *sl, const struct ept_env *env, unsigned levels, bool large)
{
	if (levels != 3 && levels != 4)
		return -BH_EINVAL;
	int err = ept_init_format(sl, env, large, &vtd_sl_format);
	if (err || levels == 4)
		return err;
	struct walker w = {
		.fmt = &vtd_sl_format.walk, .root = sl->root,
		.alloc_table = env->alloc_table, .phys_to_virt = env->phys_to_virt,
		.ctx = env->ctx, .tables = &sl->tables,
	};
	uint64_t pdpt = walk_new_table(&w);
	if (!pdpt) {
		ept_destroy(sl);
		return -BH_ENOMEM;
	}
	walk_set(&walk_table(&w, sl->root)[0], pdpt | vtd_sl_format.walk.table);
	return 0;
}

/* Contract in vtd_pagetable.h. */
uint64_t vtd_sl_root(const struct ept *sl, unsigned levels)
{
	if (levels == 4)
		return sl->root;
	const uint64_t *pml4 = sl->env.phys_to_virt(sl->env.ctx, sl->root);
	return pml4[0] & WALK_ADDR_MASK;
}

/* Contract in vtd_pagetable.h. */
int vtd_sl_map(struct ept *sl, unsigned levels, uint64_t iova, uint64_t hpa,
               uint64_t size, bool writable)
{
	uint64_t limit = vtd_sl_limit(levels);
	if (iova >= limit || size > limit - iova)
		return -BH_EINVAL;
	return ept_map(sl, iova, hpa, size, EPT_READ | (writable ? EPT_WRITE : 0));
}
