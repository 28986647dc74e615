/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The 4-level table walk shared by the x86 page-table builder
 * (mm/pagetable.c) and the EPT/NPT builder (mm/ept.c). Both formats have the
 * same shape (SDM Vol. 3A §4.5, Vol. 3C §29.3.2): 4 KiB tables of 512
 * 8-byte entries, indexed by address bits 47:39, 38:30, 29:21 and 20:12;
 * a table's physical address in bits 51:12 of the entry pointing to it;
 * bit 7 making an entry at level 3 or 2 a 1 GiB or 2 MiB leaf. They differ
 * in which bits make an entry present and what an entry pointing to a table
 * holds: that is the walk_format.
 *
 * Levels are numbered as the SDM does: 4 = PML4, 3 = PDPT, 2 = PD, 1 = PT.
 * Tables are reached only through the walker's callbacks, so this is pure
 * and runs in host tests on a fake memory. Nothing here validates
 * addresses; the callers do (canonical virtual addresses, 48-bit guest-
 * physical ones), and only ever build tables of their own format.
 *
 * Implemented in pagetable.c, next to its first user, so that the page-table
 * host test still builds from the same sources.
 */
#ifndef ARCH_X86_MM_WALK_H
#define ARCH_X86_MM_WALK_H

#include <stdbool.h>
#include <stdint.h>

#define WALK_LARGE      (1ull << 7)                /* leaf at level 3 or 2 */
#define WALK_ADDR_MASK  0x000ffffffffff000ull      /* bits 51:12 */
#define WALK_PHYS_LIMIT (1ull << 52)
#define WALK_SIZE_4K    (1ull << 12)
#define WALK_SIZE_2M    (1ull << 21)

struct walk_format {
	uint64_t present;   /* an entry with any of these bits set is present */
	uint64_t table;     /* the non-address bits of an entry pointing to a table */
};

/* One page-table hierarchy as the walk sees it; built on the fly by callers. */
struct walker {
	const struct walk_format *fmt;
	uint64_t root;                                 /* physical address of the level-4 table */
	uint64_t (*alloc_table)(void *ctx);            /* a 4 KiB frame's physical address, or 0 */
	void *(*phys_to_virt)(void *ctx, uint64_t phys);
	void *ctx;
	uint64_t *tables;   /* bumped per table allocated; NULL if the walk never allocates */
};

/* Bytes mapped by one entry at level (4 KiB at 1, 2 MiB at 2, 1 GiB at 3). */
static inline uint64_t walk_size(unsigned level)
{
	return 1ull << (12 + 9 * (level - 1));
}

static inline bool walk_present(const struct walker *w, uint64_t entry)
{
	return (entry & w->fmt->present) != 0;
}

/*
 * Writes an entry of a table that a CPU may be walking: one 64-bit store,
 * ordered after the stores before it (a new table's contents, the 4 KiB
 * leaves of a split), so a walk never sees a half-built table.
 */
static inline void walk_set(uint64_t *entry, uint64_t value)
{
	__atomic_store_n(entry, value, __ATOMIC_RELEASE);
}

/* The table frame at phys, through phys_to_virt. */
uint64_t *walk_table(const struct walker *w, uint64_t phys);

/*
 * Allocates a table frame and zeroes it (a stale entry in a fresh table
 * would be a hole), counting it in *w->tables. Returns its physical
 * address, or 0 if the allocator had none or returned an unaligned one.
 */
uint64_t walk_new_table(const struct walker *w);

/*
 * The entry that decides addr: the present leaf that maps it, or the first
 * non-present entry on the way down (then the whole walk_size(*level)
 * block around addr is unmapped). Never NULL; allocates nothing.
 */
uint64_t *walk_find(const struct walker *w, uint64_t addr, unsigned *level);

/*
 * The first address after the walk_size(level) block holding addr, or 0
 * when the block ends at 2^64: how range loops skip absent subtrees.
 */
uint64_t walk_next(uint64_t addr, unsigned level);

/* True if any page of [addr, addr+size) is mapped; size > 0, no wrap past 2^64. */
bool walk_range_present(const struct walker *w, uint64_t addr, uint64_t size);

/*
 * True if [addr, addr+size) and [phys, phys+size) are non-empty, 4 KiB
 * aligned, do not wrap, and phys+size <= 2^52: the checks every mapping
 * shares; callers add their own address-space limits.
 */
bool walk_range_ok(uint64_t addr, uint64_t phys, uint64_t size);

/*
 * Maps [addr, addr+size) to [phys, phys+size) with leaf entries holding
 * the given non-address bits, using 2 MiB leaves (leaf | WALK_LARGE) where
 * large is true, both addresses are 2 MiB aligned, 2 MiB remain and no
 * page table exists there yet; 4 KiB leaves elsewhere. The range must have
 * passed walk_range_ok. Returns 0; -BH_EEXIST if any page in the range is
 * mapped (checked before anything is written, so nothing changes);
 * -BH_ENOMEM if a table frame could not be had (the range may then be
 * partly mapped, with the tables made so far kept and counted).
 */
int walk_map(const struct walker *w, uint64_t addr, uint64_t phys, uint64_t size,
             uint64_t leaf, bool large);

/*
 * Hands every table frame of the hierarchy, the root last, to free_table,
 * children before parents. Returns how many it freed. Leaves only point
 * at mapped memory, which is not the walk's to free.
 */
uint64_t walk_free_all(const struct walker *w,
                       void (*free_table)(void *ctx, uint64_t phys));

#endif
