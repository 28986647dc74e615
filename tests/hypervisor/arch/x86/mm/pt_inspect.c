/* SPDX-License-Identifier: GPL-2.0-only */
/* Contracts in pt_inspect.h. */
#include <stdbool.h>
#include <stdint.h>

#include <bulkhead/errno.h>

#include "pt_inspect.h"

#define ADDR_MASK 0x000ffffffffff000ull   /* bits 51:12 of every entry */
#define PAGE_SIZE (1ull << 7)             /* PS: a leaf at level 3 or 2 */

/* x86 entry bits (SDM Vol. 3A Tables 4-14 to 4-20). */
#define X86_P   (1ull << 0)
#define X86_RW  (1ull << 1)
#define X86_PCD (1ull << 4)
#define X86_XD  (1ull << 63)

/* EPT entry bits (SDM Vol. 3C Tables 29-1 to 29-6). */
#define EPT_R   (1ull << 0)
#define EPT_W   (1ull << 1)
#define EPT_X   (1ull << 2)
#define EPT_MT(e) (((e) >> 3) & 7)        /* leaf memory type; 0 is UC */

struct walk_result {
	uint64_t leaf;
	uint64_t all;      /* AND of the entries walked: rights every level grants */
	uint64_t any;      /* OR of them: a restriction any level imposes */
	uint64_t size;     /* bytes the leaf maps */
};

/*
 * Walks the 4 levels from root for addr (table at level l indexed by
 * address bits 12+9(l-1) and up); an entry is present if it has any of the
 * present bits. Returns false if the walk meets an entry that is not.
 */
static bool walk(uint64_t root, void *(*to_virt)(void *, uint64_t), void *ctx,
                 uint64_t present, uint64_t addr, struct walk_result *r)
{
	uint64_t table = root;
	r->all = ~0ull;
	r->any = 0;
	for (unsigned l = 4; l >= 1; l--) {
		const uint64_t *t = to_virt(ctx, table);
		uint64_t e = t[(addr >> (3 + 9 * l)) & 511];
		if (!(e & present))
			return false;
		r->all &= e;
		r->any |= e;
		if (l == 1 || (l <= 3 && (e & PAGE_SIZE))) {
			r->leaf = e;
			r->size = 1ull << (3 + 9 * l);
			return true;
		}
		table = e & ADDR_MASK;
	}
	return false;
}

static uint64_t target(const struct walk_result *r, uint64_t addr)
{
	return (r->leaf & ADDR_MASK & ~(r->size - 1)) | (addr & (r->size - 1));
}

int pt_inspect(const struct page_table *pt, uint64_t virt, uint64_t *phys,
               unsigned *flags, uint64_t *page_size)
{
	struct walk_result r;
	uint64_t top = virt >> 47;

	if (top != 0 && top != 0x1ffff)
		return -BH_ENOENT;   /* not canonical: the CPU faults before any walk */
	if (!walk(pt->root, pt->env.phys_to_virt, pt->env.ctx, X86_P, virt, &r))
		return -BH_ENOENT;
	if (phys)
		*phys = target(&r, virt);
	if (flags)
		*flags = (r.all & X86_RW ? PT_WRITE : 0) |
		         (r.any & X86_XD ? 0 : PT_EXEC) |
		         (r.leaf & X86_PCD ? PT_UNCACHED : 0);
	if (page_size)
		*page_size = r.size;
	return 0;
}

int ept_inspect(const struct ept *ept, uint64_t gpa, uint64_t *hpa,
                unsigned *flags, uint64_t *page_size)
{
	struct walk_result r;

	if (!ept->root || gpa >> 48)
		return -BH_ENOENT;
	if (!walk(ept->root, ept->env.phys_to_virt, ept->env.ctx,
	          EPT_R | EPT_W | EPT_X, gpa, &r))
		return -BH_ENOENT;
	if (hpa)
		*hpa = target(&r, gpa);
	if (flags)
		*flags = (r.all & EPT_R ? EPT_READ : 0) |
		         (r.all & EPT_W ? EPT_WRITE : 0) |
		         (r.all & EPT_X ? EPT_EXEC : 0) |
		         (EPT_MT(r.leaf) == 0 ? EPT_UNCACHED : 0);
	if (page_size)
		*page_size = r.size;
	return 0;
}
