/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * x86-64 4-level page-table builder (SDM Vol. 3A §4.5).
 *
 * pt_map validates, then checks the whole range for existing mappings
 * without touching anything, and only then allocates and writes: so
 * -BH_EINVAL and -BH_EEXIST leave the tables as they were.
 */
#include <stdbool.h>
#include <stdint.h>

#include <bulkhead/errno.h>

#include "arch/x86/mm/pagetable.h"
#include "lib/string.h"

/* Entry bits (SDM Vol. 3A §4.5.5, Tables 4-14 to 4-20). */
#define PTE_P    (1ull << 0)
#define PTE_RW   (1ull << 1)
#define PTE_US   (1ull << 2)   /* never set: every mapping is supervisor-only */
#define PTE_PWT  (1ull << 3)
#define PTE_PCD  (1ull << 4)
#define PTE_PS   (1ull << 7)   /* in a PDE: maps 2 MiB; in a PDPTE: 1 GiB */
#define PTE_XD   (1ull << 63)

#define ADDR_MASK_4K 0x000ffffffffff000ull   /* bits 51:12 */
#define ADDR_MASK_2M 0x000fffffffe00000ull   /* bits 51:21 (bit 12 is PAT) */
#define ADDR_MASK_1G 0x000fffffc0000000ull   /* bits 51:30 */

#define SIZE_4K (1ull << 12)
#define SIZE_2M (1ull << 21)
#define SIZE_1G (1ull << 30)
#define SIZE_512G (1ull << 39)
#define PHYS_LIMIT (1ull << 52)

#define PT_ALL_FLAGS (PT_WRITE | PT_EXEC | PT_UNCACHED | PT_NO_LARGE)

/* Intermediate entries allow everything; the leaf alone decides (§4.6). */
#define TABLE_ENTRY (PTE_P | PTE_RW)

static unsigned idx(uint64_t virt, unsigned level)
{
	return (unsigned)(virt >> (12 + 9 * (level - 1))) & 511;
}

static uint64_t *table_at(const struct page_table *pt, uint64_t phys)
{
	return pt->env.phys_to_virt(pt->env.ctx, phys);
}

/* Bits 63:47 all equal (SDM Vol. 1 §3.3.7.1). */
static bool canonical(uint64_t v)
{
	uint64_t top = v >> 47;
	return top == 0 || top == 0x1ffff;
}

/* A zeroed table frame, or 0. Zeroed here too: a stale entry is a hole. */
static uint64_t new_table(struct page_table *pt)
{
	uint64_t phys = pt->env.alloc_table(pt->env.ctx);
	if (phys == 0 || (phys & ~ADDR_MASK_4K) != 0)
		return 0;
	memset(table_at(pt, phys), 0, SIZE_4K);
	pt->tables++;
	return phys;
}

/* Contract in pagetable.h. */
int pt_init(struct page_table *pt, const struct pt_env *env)
{
	pt->env = *env;
	pt->tables = 0;
	pt->root = new_table(pt);
	return pt->root ? 0 : -BH_ENOMEM;
}

/*
 * The table the entry e (at level > 1) points to, or NULL when e is not
 * present or is itself a large-page leaf.
 */
static uint64_t *next_table(const struct page_table *pt, uint64_t e)
{
	if (!(e & PTE_P) || (e & PTE_PS))
		return NULL;
	return table_at(pt, e & ADDR_MASK_4K);
}

/*
 * True if any page of [virt, virt+size) is mapped. Walks the range skipping
 * whole absent subtrees, so checking a large empty range is cheap.
 */
static bool range_mapped(const struct page_table *pt, uint64_t virt, uint64_t size)
{
	uint64_t end = virt + size;   /* may be 0 for a range ending at 2^64 */
	uint64_t v = virt;
	do {
		uint64_t step = SIZE_4K;
		uint64_t e4 = table_at(pt, pt->root)[idx(v, 4)];
		uint64_t *pdpt = next_table(pt, e4);
		if (!pdpt) {
			if (e4 & PTE_P)
				return true;
			step = SIZE_512G;
		} else {
			uint64_t e3 = pdpt[idx(v, 3)];
			uint64_t *pd = next_table(pt, e3);
			if (!pd) {
				if (e3 & PTE_P)
					return true;
				step = SIZE_1G;
			} else {
				uint64_t e2 = pd[idx(v, 2)];
				uint64_t *ptab = next_table(pt, e2);
				if (!ptab) {
					if (e2 & PTE_P)
						return true;
					step = SIZE_2M;
				} else if (ptab[idx(v, 1)] & PTE_P) {
					return true;
				}
			}
		}
		uint64_t next = (v & ~(step - 1)) + step;
		if (next == 0 || (end != 0 && next >= end))
			break;
		v = next;
	} while (true);
	return false;
}

/* The entry for virt at level (1 = PT, 2 = PD), allocating tables on the way. */
static uint64_t *walk_alloc(struct page_table *pt, uint64_t virt, unsigned level)
{
	uint64_t *table = table_at(pt, pt->root);
	for (unsigned l = 4; l > level; l--) {
		uint64_t *e = &table[idx(virt, l)];
		if (!(*e & PTE_P)) {
			uint64_t phys = new_table(pt);
			if (!phys)
				return NULL;
			*e = phys | TABLE_ENTRY;
		}
		table = table_at(pt, *e & ADDR_MASK_4K);
	}
	return &table[idx(virt, level)];
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

/* True if a 2 MiB leaf can go at virt: aligned, room, and an empty PDE. */
static bool use_large(struct page_table *pt, uint64_t virt, uint64_t phys,
                      uint64_t left, unsigned flags)
{
	if ((flags & PT_NO_LARGE) || ((virt | phys) & (SIZE_2M - 1)) || left < SIZE_2M)
		return false;
	uint64_t e4 = table_at(pt, pt->root)[idx(virt, 4)];
	uint64_t *pdpt = next_table(pt, e4);
	if (!pdpt)
		return true;   /* no PD yet; range_mapped ruled out a leaf */
	uint64_t *pd = next_table(pt, pdpt[idx(virt, 3)]);
	return !pd || pd[idx(virt, 2)] == 0;
}

/* Contract in pagetable.h. */
int pt_map(struct page_table *pt, uint64_t virt, uint64_t phys, uint64_t size,
           unsigned flags)
{
	if (size == 0 || ((virt | phys | size) & (SIZE_4K - 1)) ||
	    (flags & ~PT_ALL_FLAGS))
		return -BH_EINVAL;
	uint64_t vlast = virt + (size - 1), plast = phys + (size - 1);
	if (vlast < virt || plast < phys || plast >= PHYS_LIMIT)
		return -BH_EINVAL;
	/* Both ends canonical and in the same half: nothing in between isn't. */
	if (!canonical(virt) || !canonical(vlast) || (virt ^ vlast) >> 47)
		return -BH_EINVAL;

	if (range_mapped(pt, virt, size))
		return -BH_EEXIST;

	uint64_t bits = leaf_bits(flags);
	for (uint64_t done = 0; done < size;) {
		uint64_t v = virt + done, p = phys + done;
		if (use_large(pt, v, p, size - done, flags)) {
			uint64_t *pde = walk_alloc(pt, v, 2);
			if (!pde)
				return -BH_ENOMEM;
			*pde = p | bits | PTE_PS;
			done += SIZE_2M;
		} else {
			uint64_t *pte = walk_alloc(pt, v, 1);
			if (!pte)
				return -BH_ENOMEM;
			*pte = p | bits;
			done += SIZE_4K;
		}
	}
	return 0;
}

static unsigned flags_of(uint64_t e)
{
	unsigned f = 0;
	if (e & PTE_RW)
		f |= PT_WRITE;
	if (!(e & PTE_XD))
		f |= PT_EXEC;
	if (e & PTE_PCD)
		f |= PT_UNCACHED;
	return f;
}

/*
 * Contract in pagetable.h. A 1 GiB leaf is never built here but is reported
 * truthfully (page size 1 GiB) rather than walked as a table.
 */
int pt_lookup(const struct page_table *pt, uint64_t virt, uint64_t *phys,
              unsigned *flags, uint64_t *page_size)
{
	if (!canonical(virt))
		return -BH_ENOENT;
	uint64_t *table = table_at(pt, pt->root);
	static const uint64_t size_at[] = { 0, SIZE_4K, SIZE_2M, SIZE_1G };
	static const uint64_t mask_at[] = { 0, ADDR_MASK_4K, ADDR_MASK_2M, ADDR_MASK_1G };

	for (unsigned l = 4; l >= 1; l--) {
		uint64_t e = table[idx(virt, l)];
		if (!(e & PTE_P))
			return -BH_ENOENT;
		if (l == 1 || ((e & PTE_PS) && l <= 3)) {
			if (phys)
				*phys = (e & mask_at[l]) | (virt & (size_at[l] - 1));
			if (flags)
				*flags = flags_of(e);
			if (page_size)
				*page_size = size_at[l];
			return 0;
		}
		table = table_at(pt, e & ADDR_MASK_4K);
	}
	return -BH_ENOENT;
}
