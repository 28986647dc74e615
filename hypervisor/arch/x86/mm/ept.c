/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * EPT builder (contracts in ept.h) on the 4-level walk of mm/walk.h.
 *
 * Every call validates first, then checks or prepares everything that can
 * fail (existing mappings, split tables), and only then writes entries, so
 * an error leaves the guest's view of memory as it was.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <bulkhead/errno.h>

#include "arch/x86/mm/walk.h"
#include "arch/x86/mm/ept.h"
#include "arch/x86/vmx/vmx_defs.h"

#define EPT_ALL_FLAGS (EPT_READ | EPT_WRITE | EPT_EXEC | EPT_UNCACHED | EPT_NO_LARGE)

/*
 * An entry is present if any of R, W, X is set (§29.3.2). Entries pointing
 * to tables allow everything, so the leaf alone decides: the rights of all
 * levels of a walk combine (§29.3.3.2).
 */
static uint64_t leaf_bits(unsigned flags);

const struct ept_format ept_format_vmx = {
	.walk = { .present = VMX_EPT_RWX_MASK, .table = VMX_EPT_RWX_MASK },
	.leaf_bits = leaf_bits,
};

static struct walker ept_walker(const struct ept *ept, uint64_t *tables)
{
	return (struct walker){
		.fmt = &ept->fmt->walk, .root = ept->root,
		.alloc_table = ept->env.alloc_table, .phys_to_virt = ept->env.phys_to_virt,
		.ctx = ept->env.ctx, .tables = tables,
	};
}

/* Contract in ept.h. */
int ept_init(struct ept *ept, const struct ept_env *env, bool large_pages)
{
	return ept_init_format(ept, env, large_pages, &ept_format_vmx);
}

/* Contract in ept.h. */
int ept_init_format(struct ept *ept, const struct ept_env *env, bool large_pages,
                    const struct ept_format *fmt)
{
	if (!env->alloc_table || !env->phys_to_virt || !env->free_table || !fmt)
		return -BH_EINVAL;
	ept->fmt = fmt;
	ept->env = *env;
	ept->tables = 0;
	ept->root = 0;
	ept->large_pages = large_pages;
	struct walker w = ept_walker(ept, &ept->tables);
	ept->root = walk_new_table(&w);
	return ept->root ? 0 : -BH_ENOMEM;
}

/* 4 KiB aligned, non-empty, inside the 48-bit guest-physical space. */
static bool gpa_range_ok(uint64_t gpa, uint64_t size)
{
	return size != 0 && !((gpa | size) & (WALK_SIZE_4K - 1)) &&
	       gpa < EPT_GPA_LIMIT && size <= EPT_GPA_LIMIT - gpa;
}

static uint64_t leaf_bits(unsigned flags)
{
	uint64_t bits = VMX_EPT_READABLE_MASK;
	if (flags & EPT_WRITE)
		bits |= VMX_EPT_WRITABLE_MASK;
	if (flags & EPT_EXEC)
		bits |= VMX_EPT_EXECUTABLE_MASK;
	if (flags & EPT_UNCACHED)
		bits |= MTRR_TYPE_UNCACHABLE << VMX_EPT_MT_EPTE_SHIFT;
	else
		bits |= (MTRR_TYPE_WRBACK << VMX_EPT_MT_EPTE_SHIFT) | VMX_EPT_IPAT_BIT;
	return bits;
}

/*
 * Clears every leaf in [gpa, gpa+size), skipping absent subtrees. Every
 * 2 MiB leaf met lies wholly inside the range (the caller split those at
 * the ends), so clearing it unmaps nothing outside.
 */
static void clear_range(const struct walker *w, uint64_t gpa, uint64_t size)
{
	uint64_t end = gpa + size;
	for (uint64_t a = gpa; a < end;) {
		unsigned level;
		uint64_t *e = walk_find(w, a, &level);
		if (walk_present(w, *e))
			walk_set(e, 0);
		a = walk_next(a, level);
	}
}

/* Contract in ept.h. */
int ept_map(struct ept *ept, uint64_t gpa, uint64_t hpa, uint64_t size,
            unsigned flags)
{
	if (!ept->root || (flags & ~EPT_ALL_FLAGS) || !(flags & EPT_READ) ||
	    !gpa_range_ok(gpa, size) || !walk_range_ok(gpa, hpa, size))
		return -BH_EINVAL;

	struct walker w = ept_walker(ept, &ept->tables);
	bool large = ept->large_pages && !(flags & EPT_NO_LARGE);
	int err = walk_map(&w, gpa, hpa, size, ept->fmt->leaf_bits(flags), large);
	/*
	 * The range was empty before (else -BH_EEXIST) and every leaf walk_map
	 * wrote lies inside it, so clearing the range undoes exactly that.
	 */
	if (err == -BH_ENOMEM)
		clear_range(&w, gpa, size);
	return err;
}

/*
 * The 2 MiB leaf holding addr that [gpa, end) covers only in part, or
 * NULL. Only the blocks holding the range's two ends can be such.
 */
static uint64_t *partial_large(const struct walker *w, uint64_t addr)
{
	if (!(addr & (WALK_SIZE_2M - 1)))
		return NULL;   /* a block edge: no leaf straddles it */
	unsigned level;
	uint64_t *e = walk_find(w, addr, &level);
	return level == 2 && walk_present(w, *e) ? e : NULL;
}

/* Replaces the 2 MiB leaf *pde by the 4 KiB leaves of the zeroed table pt. */
static void split(const struct walker *w, uint64_t *pde, uint64_t pt)
{
	uint64_t base = *pde & WALK_ADDR_MASK & ~(WALK_SIZE_2M - 1);
	uint64_t bits = *pde & ~WALK_ADDR_MASK & ~WALK_LARGE;
	uint64_t *t = walk_table(w, pt);
	for (unsigned i = 0; i < 512; i++)
		t[i] = (base + i * WALK_SIZE_4K) | bits;
	walk_set(pde, pt | w->fmt->table);
}

/* Contract in ept.h. */
int ept_unmap(struct ept *ept, uint64_t gpa, uint64_t size)
{
	if (!ept->root || !gpa_range_ok(gpa, size))
		return -BH_EINVAL;
	struct walker w = ept_walker(ept, &ept->tables);

	/* Find the leaves to split and get their tables before changing anything. */
	uint64_t *pde[2] = { partial_large(&w, gpa), partial_large(&w, gpa + size) };
	if (pde[1] == pde[0])
		pde[1] = NULL;   /* both ends inside one 2 MiB leaf */
	uint64_t pt[2] = { 0, 0 };
	for (int i = 0; i < 2; i++) {
		if (pde[i] && !(pt[i] = walk_new_table(&w))) {
			if (pt[0]) {   /* only the second can fail after the first */
				ept->env.free_table(ept->env.ctx, pt[0]);
				ept->tables--;
			}
			return -BH_ENOMEM;
		}
	}

	for (int i = 0; i < 2; i++)
		if (pde[i])
			split(&w, pde[i], pt[i]);
	clear_range(&w, gpa, size);
	return 0;
}

/* Contract in ept.h. */
void ept_destroy(struct ept *ept)
{
	if (!ept->root)
		return;
	struct walker w = ept_walker(ept, NULL);
	ept->tables -= walk_free_all(&w, ept->env.free_table);
	ept->root = 0;
}

/* Contract in ept.h. */
uint64_t ept_eptp(const struct ept *ept)
{
	return ept->root | VMX_EPTP_PWL_4 | VMX_EPTP_MT_WB;
}
