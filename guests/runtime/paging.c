/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Adding mappings to the VM's own page tables (contract: bh_map_range in
 * bulkhead/channel.h). The kernel builds the tables at entry
 * (docs/guest-abi.md, "Guest page tables") and maps channel memory only in
 * EPT, so a guest that wants to touch a channel maps it here first.
 *
 * The tables are identity-mapped guest memory: a table's physical address
 * is also the pointer to it. 4-level paging, SDM Vol. 3A 4.5.
 */
#include <bulkhead/runtime.h>

#define PTE_P        (1ull << 0)
#define PTE_W        (1ull << 1)
#define PTE_PS       (1ull << 7)    /* in a PDPTE or PDE: a 1 GiB / 2 MiB leaf */
#define PTE_PAT_4K   (1ull << 7)    /* PAT bit of a 4 KiB PTE ... */
#define PTE_PAT_BIG  (1ull << 12)   /* ... and of a large leaf */
#define PTE_XD       (1ull << 63)   /* EFER.NXE = 1 at entry (guest-abi.md) */
#define PTE_ADDR     0x000ffffffffff000ull

#define PAGE_4K      0x1000ull
#define PAGE_2M      0x200000ull
#define VA_LIMIT     (1ull << 47)   /* end of the lower canonical half */

/* Table pages: a few in .bss, enough for the first channels; then heap
 * chunks, aligned by hand (bh_malloc only promises 16 bytes). Table pages
 * are never freed: mappings are never removed. */
#define POOL_PAGES   4u
#define CHUNK_PAGES  8u

static uint8_t pool[POOL_PAGES][PAGE_4K] __attribute__((aligned(PAGE_4K)));
static unsigned int pool_used;
static uint8_t *chunk;
static unsigned int chunk_left;

static inline uint64_t read_cr3(void)
{
	uint64_t v;

	__asm__ __volatile__("mov %%cr3, %0" : "=r"(v));
	return v;
}

/* Drops any TLB and paging-structure cache entry for the page holding va,
 * large pages included (SDM Vol. 3A 4.10.4.1). */
static inline void invlpg(uint64_t va)
{
	__asm__ __volatile__("invlpg (%0)" : : "r"(va) : "memory");
}

static uint64_t *table_at(uint64_t entry)
{
	return (uint64_t *)(uintptr_t)(entry & PTE_ADDR);
}

static uint64_t *alloc_table(void)
{
	uint8_t *p;

	if (pool_used < POOL_PAGES) {
		p = pool[pool_used++];
	} else {
		if (chunk_left == 0) {
			uint8_t *m = bh_malloc((CHUNK_PAGES + 1) * PAGE_4K);
			if (!m)
				return NULL;
			chunk = (uint8_t *)(((uintptr_t)m + PAGE_4K - 1) &
			                    ~(uintptr_t)(PAGE_4K - 1));
			chunk_left = CHUNK_PAGES;
		}
		p = chunk;
		chunk += PAGE_4K;
		chunk_left--;
	}
	memset(p, 0, PAGE_4K);
	return (uint64_t *)p;
}

/*
 * The table *entry points to, made if absent. A large leaf in the way is
 * split into a table of leaves one size down with the same rights, so the
 * rest of its range stays mapped as it was. child_size is the size of one
 * entry of the table returned. NULL if no page is left.
 */
static uint64_t *descend(uint64_t *entry, uint64_t child_size)
{
	uint64_t e = *entry;

	if ((e & PTE_P) && !(e & PTE_PS))
		return table_at(e);

	uint64_t *t = alloc_table();
	if (!t)
		return NULL;
	if (e & PTE_P) {
		uint64_t base = e & PTE_ADDR & ~(child_size * 512 - 1);
		uint64_t flags = e & ~PTE_ADDR & ~PTE_PAT_BIG;
		if (child_size == PAGE_4K) {
			flags &= ~PTE_PS;
			if (e & PTE_PAT_BIG)
				flags |= PTE_PAT_4K;
		} else if (e & PTE_PAT_BIG) {
			flags |= PTE_PAT_BIG;   /* 2 MiB leaves keep it at bit 12 */
		}
		for (uint64_t i = 0; i < 512; i++)
			t[i] = (base + i * child_size) | flags;
	}
	/* Non-leaf entries grant everything: the leaves decide. */
	*entry = (uintptr_t)t | PTE_P | PTE_W;
	return t;
}

/* Maps [va, end) identity with the leaf flags into the tables at pml4. */
static int map_range(uint64_t *pml4, uint64_t va, uint64_t end, uint64_t leaf)
{
	while (va < end) {
		uint64_t *pdpt = descend(&pml4[(va >> 39) & 511], 1ull << 30);
		if (!pdpt)
			return -BH_ENOMEM;
		uint64_t *pd = descend(&pdpt[(va >> 30) & 511], PAGE_2M);
		if (!pd)
			return -BH_ENOMEM;
		uint64_t *pde = &pd[(va >> 21) & 511];

		if ((va & (PAGE_2M - 1)) == 0 && end - va >= PAGE_2M &&
		    (!(*pde & PTE_P) || (*pde & PTE_PS))) {
			*pde = va | leaf | PTE_PS;
			invlpg(va);
			va += PAGE_2M;
			continue;
		}
		uint64_t *pt = descend(pde, PAGE_4K);
		if (!pt)
			return -BH_ENOMEM;
		pt[(va >> 12) & 511] = va | leaf;
		invlpg(va);
		va += PAGE_4K;
	}
	return 0;
}

int bh_map_range(uint64_t gpa, uint64_t size, bool writable)
{
	uint64_t end = gpa + size;

	/* Page 0 stays the null-pointer guard. */
	if (size == 0 || ((gpa | size) & (PAGE_4K - 1)) || end < gpa ||
	    gpa < PAGE_4K || end > VA_LIMIT)
		return -BH_EINVAL;

	uint64_t leaf = PTE_P | PTE_XD | (writable ? PTE_W : 0);
	return map_range(table_at(read_cr3()), gpa, end, leaf);
}
