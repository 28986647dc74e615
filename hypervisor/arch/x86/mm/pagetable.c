/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * x86-64 4-level page-table builder (SDM Vol. 3A §4.5), and the 4-level
 * walk it shares with the EPT builder (contract in walk.h).
 *
 * pt_map validates, then checks the whole range for existing mappings
 * without touching anything, and only then allocates and writes: so
 * -BH_EINVAL and -BH_EEXIST leave the tables as they were.
 */
#include <stdbool.h>
#include <stdint.h>

#include <bulkhead/errno.h>

#include "arch/x86/mm/pagetable.h"
#include "arch/x86/mm/walk.h"
#include "lib/string.h"

/* ---- The shared walk (walk.h) ---- */

static unsigned idx(uint64_t addr, unsigned level)
{
	return (unsigned)(addr >> (12 + 9 * (level - 1))) & 511;
}

/* A leaf at this level: a PT entry, or a large page in a PD or PDPT. */
static bool is_leaf(uint64_t e, unsigned level)
{
	return level == 1 || (level <= 3 && (e & WALK_LARGE));
}

uint64_t *walk_table(const struct walker *w, uint64_t phys)
{
	return w->phys_to_virt(w->ctx, phys);
}

uint64_t walk_new_table(const struct walker *w)
{
	uint64_t phys = w->alloc_table(w->ctx);
	if (phys == 0 || (phys & ~WALK_ADDR_MASK) != 0)
		return 0;
	memset(walk_table(w, phys), 0, WALK_SIZE_4K);
	(*w->tables)++;
	return phys;
}

uint64_t *walk_find(const struct walker *w, uint64_t addr, unsigned *level)
{
	uint64_t *table = walk_table(w, w->root);
	for (unsigned l = 4; ; l--) {
		uint64_t *e = &table[idx(addr, l)];
		if (!walk_present(w, *e) || is_leaf(*e, l)) {
			*level = l;
			return e;
		}
		table = walk_table(w, *e & WALK_ADDR_MASK);
	}
}

uint64_t walk_next(uint64_t addr, unsigned level)
{
	uint64_t size = walk_size(level);
	return (addr & ~(size - 1)) + size;
}

/* Skips whole absent subtrees, so checking a large empty range is cheap. */
bool walk_range_present(const struct walker *w, uint64_t addr, uint64_t size)
{
	uint64_t end = addr + size;   /* 0 for a range ending at 2^64 */
	for (uint64_t a = addr;;) {
		unsigned level;
		if (walk_present(w, *walk_find(w, a, &level)))
			return true;
		a = walk_next(a, level);
		if (a == 0 || (end != 0 && a >= end))
			return false;
	}
}

bool walk_range_ok(uint64_t addr, uint64_t phys, uint64_t size)
{
	if (size == 0 || ((addr | phys | size) & (WALK_SIZE_4K - 1)))
		return false;
	uint64_t alast = addr + (size - 1), plast = phys + (size - 1);
	return alast >= addr && plast >= phys && plast < WALK_PHYS_LIMIT;
}

/* The entry for addr at level (1 = PT, 2 = PD), allocating tables on the way. */
static uint64_t *walk_alloc(const struct walker *w, uint64_t addr, unsigned level)
{
	uint64_t *table = walk_table(w, w->root);
	for (unsigned l = 4; l > level; l--) {
		uint64_t *e = &table[idx(addr, l)];
		if (!walk_present(w, *e)) {
			uint64_t phys = walk_new_table(w);
			if (!phys)
				return NULL;
			walk_set(e, phys | w->fmt->table);
		}
		table = walk_table(w, *e & WALK_ADDR_MASK);
	}
	return &table[idx(addr, level)];
}

/* True if a 2 MiB leaf can go at addr: aligned, room, and an empty PDE. */
static bool use_large(const struct walker *w, uint64_t addr, uint64_t phys,
                      uint64_t left)
{
	if (((addr | phys) & (WALK_SIZE_2M - 1)) || left < WALK_SIZE_2M)
		return false;
	unsigned level;
	uint64_t *e = walk_find(w, addr, &level);
	/*
	 * Found above level 2: no PD yet (walk_range_present ruled out a leaf).
	 * Found at level 1: a page table is there; keep using it.
	 */
	return level > 2 || (level == 2 && *e == 0);
}

int walk_map(const struct walker *w, uint64_t addr, uint64_t phys, uint64_t size,
             uint64_t leaf, bool large)
{
	if (walk_range_present(w, addr, size))
		return -BH_EEXIST;

	for (uint64_t done = 0; done < size;) {
		uint64_t a = addr + done, p = phys + done;
		if (large && use_large(w, a, p, size - done)) {
			uint64_t *pde = walk_alloc(w, a, 2);
			if (!pde)
				return -BH_ENOMEM;
			walk_set(pde, p | leaf | WALK_LARGE);
			done += WALK_SIZE_2M;
		} else {
			uint64_t *pte = walk_alloc(w, a, 1);
			if (!pte)
				return -BH_ENOMEM;
			walk_set(pte, p | leaf);
			done += WALK_SIZE_4K;
		}
	}
	return 0;
}

static uint64_t free_below(const struct walker *w, uint64_t table, unsigned level,
                           void (*free_table)(void *ctx, uint64_t phys))
{
	uint64_t freed = 0;
	if (level > 1) {
		uint64_t *t = walk_table(w, table);
		for (unsigned i = 0; i < 512; i++)
			if (walk_present(w, t[i]) && !is_leaf(t[i], level))
				freed += free_below(w, t[i] & WALK_ADDR_MASK, level - 1,
				                    free_table);
	}
	free_table(w->ctx, table);
	return freed + 1;
}

uint64_t walk_free_all(const struct walker *w,
                       void (*free_table)(void *ctx, uint64_t phys))
{
	return free_below(w, w->root, 4, free_table);
}

/* ---- x86 page tables ---- */

/* Entry bits (SDM Vol. 3A §4.5.5, Tables 4-14 to 4-20). */
#define PTE_P    (1ull << 0)
#define PTE_RW   (1ull << 1)
#define PTE_US   (1ull << 2)   /* never set: every mapping is supervisor-only */
#define PTE_PWT  (1ull << 3)
#define PTE_PCD  (1ull << 4)
#define PTE_XD   (1ull << 63)

#define PT_ALL_FLAGS (PT_WRITE | PT_EXEC | PT_UNCACHED | PT_NO_LARGE)

/* Intermediate entries allow everything; the leaf alone decides (§4.6). */
static const struct walk_format pt_format = {
	.present = PTE_P,
	.table = PTE_P | PTE_RW,
};

static struct walker pt_walker(const struct page_table *pt, uint64_t *tables)
{
	return (struct walker){
		.fmt = &pt_format, .root = pt->root,
		.alloc_table = pt->env.alloc_table, .phys_to_virt = pt->env.phys_to_virt,
		.ctx = pt->env.ctx, .tables = tables,
	};
}

/* Bits 63:47 all equal (SDM Vol. 1 §3.3.7.1). */
static bool canonical(uint64_t v)
{
	uint64_t top = v >> 47;
	return top == 0 || top == 0x1ffff;
}

/* Contract in pagetable.h. */
int pt_init(struct page_table *pt, const struct pt_env *env)
{
	pt->env = *env;
	pt->tables = 0;
	pt->root = 0;
	struct walker w = pt_walker(pt, &pt->tables);
	pt->root = walk_new_table(&w);
	return pt->root ? 0 : -BH_ENOMEM;
}

static uint64_t leaf_bits(unsigned flags)
{
	uint64_t bits = PTE_P;
	if (flags & PT_WRITE)
		bits |= PTE_RW;
	if (!(flags & PT_EXEC))
		bits |= PTE_XD;
	if (flags & PT_UNCACHED)
		bits |= PTE_PCD | PTE_PWT;
	return bits;
}

/* Contract in pagetable.h. */
int pt_map(struct page_table *pt, uint64_t virt, uint64_t phys, uint64_t size,
           unsigned flags)
{
	if ((flags & ~PT_ALL_FLAGS) || !walk_range_ok(virt, phys, size))
		return -BH_EINVAL;
	/* Both ends canonical and in the same half: nothing in between isn't. */
	uint64_t vlast = virt + (size - 1);
	if (!canonical(virt) || !canonical(vlast) || (virt ^ vlast) >> 47)
		return -BH_EINVAL;

	struct walker w = pt_walker(pt, &pt->tables);
	return walk_map(&w, virt, phys, size, leaf_bits(flags), !(flags & PT_NO_LARGE));
}
