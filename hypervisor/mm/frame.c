/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Bitmap frame allocator.
 *
 * The storage holds two bitmaps of the same length, one after the other:
 *   free  (fa->bitmap)       bit set = frame free now
 *   owned (just after it)    bit set = frame is ours to hand out: usable,
 *                            at or above the floor, never reserved
 * "owned" is what lets frame_free() refuse a frame that was never handed
 * out (a hole between regions, MMIO, a reserved range): with one bitmap such
 * a bug would quietly turn non-usable memory into allocatable memory.
 *
 * The callers only see the size frame_alloc_bitmap_bytes() asks for, so the
 * second bitmap is an internal detail.
 */
#include <stdbool.h>
#include <stdint.h>

#include <bulkhead/errno.h>

#include "lib/string.h"
#include "mm/frame.h"

#define BITS 64u
#define PFN_LIMIT (1ull << 52)   /* MAXPHYADDR is at most 52 (SDM Vol. 3A §4.1.4) */

/* Software popcount: __builtin_popcountll may become a libgcc call. */
static unsigned popcount64(uint64_t x)
{
	x = x - ((x >> 1) & 0x5555555555555555ull);
	x = (x & 0x3333333333333333ull) + ((x >> 2) & 0x3333333333333333ull);
	x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0full;
	return (unsigned)((x * 0x0101010101010101ull) >> 56);
}

static uint64_t words_for(uint64_t nframes)
{
	return (nframes + BITS - 1) / BITS;
}

/* The lowest address a handed-out frame may have: page 0 never (0 = failure). */
static uint64_t floor_pfn(uint64_t min_phys)
{
	uint64_t pfn = min_phys / PAGE_SIZE + (min_phys % PAGE_SIZE != 0);
	return pfn ? pfn : 1;
}

/* Frames [*lo, *hi) of region r that lie at or above the floor; false if none. */
static bool usable_pfns(const struct mem_region *r, uint64_t floor,
                        uint64_t *lo, uint64_t *hi)
{
	if (r->kind != MEM_USABLE || r->size == 0)
		return false;
	uint64_t first = r->base / PAGE_SIZE + (r->base % PAGE_SIZE != 0);
	uint64_t end = (r->size > UINT64_MAX - r->base ? UINT64_MAX : r->base + r->size)
	               / PAGE_SIZE;
	if (end > PFN_LIMIT)
		end = PFN_LIMIT;
	if (first < floor)
		first = floor;
	if (first >= end)
		return false;
	*lo = first;
	*hi = end;
	return true;
}

/* The frame span [*lo, *hi) covering every usable frame at or above min_phys. */
static bool usable_span(const struct mem_region *r, size_t n, uint64_t min_phys,
                        uint64_t *lo, uint64_t *hi)
{
	uint64_t floor = floor_pfn(min_phys);
	bool any = false;
	for (size_t i = 0; i < n; i++) {
		uint64_t a, b;
		if (!usable_pfns(&r[i], floor, &a, &b))
			continue;
		if (!any || a < *lo)
			*lo = a;
		if (!any || b > *hi)
			*hi = b;
		any = true;
	}
	return any;
}

/* Contract in frame.h; twice one bitmap's size (see the file comment). */
size_t frame_alloc_bitmap_bytes(const struct mem_region *r, size_t n,
                                uint64_t min_phys)
{
	uint64_t lo, hi;
	if (!usable_span(r, n, min_phys, &lo, &hi))
		return 0;
	return (size_t)(2 * words_for(hi - lo) * sizeof(uint64_t));
}

/* First fit; a region starting at 0 gives up page 0 so 0 can mean failure. */
uint64_t frame_alloc_find_storage(const struct mem_region *r, size_t n,
                                  size_t bytes, uint64_t min_phys)
{
	if (bytes == 0)
		return 0;
	uint64_t need = ((uint64_t)bytes + PAGE_SIZE - 1) / PAGE_SIZE;
	uint64_t floor = floor_pfn(min_phys);
	for (size_t i = 0; i < n; i++) {
		uint64_t lo, hi;
		if (usable_pfns(&r[i], floor, &lo, &hi) && hi - lo >= need)
			return lo * PAGE_SIZE;
	}
	return 0;
}

static uint64_t *owned_map(const struct frame_alloc *fa)
{
	return fa->bitmap + words_for(fa->nframes);
}

/* Mask of bits [from, to) within one word, 0 <= from < to <= 64. */
static uint64_t bit_mask(uint64_t from, uint64_t to)
{
	uint64_t hi = to == BITS ? ~0ull : (1ull << to) - 1;
	return hi & ~((1ull << from) - 1);
}

/*
 * Sets (value true) or clears bits [from, to) of map; returns how many
 * changed.
 */
static uint64_t set_bits(uint64_t *map, uint64_t from, uint64_t to, bool value)
{
	uint64_t changed = 0;
	while (from < to) {
		uint64_t w = from / BITS, b = from % BITS;
		uint64_t e = (to - from < BITS - b) ? b + (to - from) : BITS;
		uint64_t m = bit_mask(b, e);
		uint64_t old = map[w];
		map[w] = value ? old | m : old & ~m;
		changed += popcount64((old ^ map[w]) & m);
		from += e - b;
	}
	return changed;
}

/* Index of the first bit >= from in [from, to) equal to value, or to. */
static uint64_t find_bit(const uint64_t *map, uint64_t from, uint64_t to, bool value)
{
	while (from < to) {
		uint64_t w = from / BITS, b = from % BITS;
		uint64_t word = value ? map[w] : ~map[w];
		word &= ~((1ull << b) - 1);
		if (word) {
			uint64_t i = w * BITS + (uint64_t)__builtin_ctzll(word);
			return i < to ? i : to;
		}
		from = (w + 1) * BITS;   /* a whole word without a match: skip it */
	}
	return to;
}

/* Contract in frame.h. */
int frame_alloc_init(struct frame_alloc *fa, const struct mem_region *r,
                     size_t n, uint64_t *bitmap, size_t bitmap_bytes,
                     uint64_t min_phys)
{
	memset(fa, 0, sizeof(*fa));
	uint64_t lo = 0, hi = 0;
	if (!usable_span(r, n, min_phys, &lo, &hi))
		return 0;   /* no usable memory: an allocator that always fails */

	uint64_t words = words_for(hi - lo);
	if (bitmap == NULL || bitmap_bytes < 2 * words * sizeof(uint64_t))
		return -BH_EINVAL;

	fa->bitmap = bitmap;
	fa->base_pfn = lo;
	fa->nframes = hi - lo;
	memset(bitmap, 0, 2 * words * sizeof(uint64_t));

	uint64_t floor = floor_pfn(min_phys);
	for (size_t i = 0; i < n; i++) {
		uint64_t a, b;
		if (!usable_pfns(&r[i], floor, &a, &b))
			continue;
		/* set_bits counts only 0 -> 1, so overlapping regions count once. */
		fa->free_frames += set_bits(fa->bitmap, a - lo, b - lo, true);
		set_bits(owned_map(fa), a - lo, b - lo, true);
	}
	fa->total_frames = fa->free_frames;
	return 0;
}

/* Clips [base, base+size), rounded outward to pages, to bitmap indices. */
static bool clip(const struct frame_alloc *fa, uint64_t base, uint64_t size,
                 uint64_t *from, uint64_t *to)
{
	if (size == 0 || fa->nframes == 0)
		return false;
	uint64_t first = base / PAGE_SIZE;
	uint64_t last = (base + (size - 1) < base) ? UINT64_MAX / PAGE_SIZE
	                                           : (base + (size - 1)) / PAGE_SIZE;
	uint64_t lo = fa->base_pfn, hi = fa->base_pfn + fa->nframes;
	if (last < lo || first >= hi)
		return false;
	*from = (first < lo ? lo : first) - lo;
	*to = (last >= hi ? hi - 1 : last) - lo + 1;
	return true;
}

/* Contract in frame.h. Reserved frames also stop being owned: see frame_free. */
uint64_t frame_reserve(struct frame_alloc *fa, uint64_t base, uint64_t size)
{
	uint64_t from, to;
	if (!clip(fa, base, size, &from, &to))
		return 0;
	uint64_t changed = set_bits(fa->bitmap, from, to, false);
	set_bits(owned_map(fa), from, to, false);
	fa->free_frames -= changed;
	fa->total_frames -= changed;
	return changed;
}

static uint64_t align_up(uint64_t x, uint64_t align)
{
	return (x + align - 1) & ~(align - 1);
}

/*
 * Contract in frame.h. Candidates are aligned frame numbers; a used frame
 * inside a candidate run moves the search past it, and runs of fully used
 * words are skipped 64 frames at a time by find_bit.
 */
uint64_t frame_alloc(struct frame_alloc *fa, uint64_t npages, uint64_t align_pages)
{
	if (npages == 0 || npages > fa->free_frames || align_pages == 0 ||
	    (align_pages & (align_pages - 1)) != 0 || align_pages >= PFN_LIMIT)
		return 0;

	uint64_t lo = fa->base_pfn, n = fa->nframes;
	uint64_t pfn = align_up(lo, align_pages);
	while (pfn - lo < n && npages <= n - (pfn - lo)) {
		uint64_t i = pfn - lo;
		uint64_t f = find_bit(fa->bitmap, i, n, true);
		if (f == n)
			return 0;
		if (f != i) {
			pfn = align_up(lo + f, align_pages);
			continue;
		}
		uint64_t used = find_bit(fa->bitmap, i, i + npages, false);
		if (used == i + npages) {
			set_bits(fa->bitmap, i, i + npages, false);
			fa->free_frames -= npages;
			return pfn * PAGE_SIZE;
		}
		pfn = align_up(lo + used + 1, align_pages);
	}
	return 0;
}

/*
 * Contract in frame.h; also -BH_EINVAL for an unaligned phys or npages 0,
 * both caller bugs. Every frame must be owned and currently used.
 */
int frame_free(struct frame_alloc *fa, uint64_t phys, uint64_t npages)
{
	if (npages == 0 || phys % PAGE_SIZE != 0)
		return -BH_EINVAL;
	uint64_t pfn = phys / PAGE_SIZE;
	if (pfn < fa->base_pfn || pfn - fa->base_pfn >= fa->nframes ||
	    npages > fa->nframes - (pfn - fa->base_pfn))
		return -BH_EINVAL;

	uint64_t i = pfn - fa->base_pfn;
	if (find_bit(owned_map(fa), i, i + npages, false) != i + npages ||
	    find_bit(fa->bitmap, i, i + npages, true) != i + npages)
		return -BH_EINVAL;

	set_bits(fa->bitmap, i, i + npages, true);
	fa->free_frames += npages;
	return 0;
}

/* Contract in frame.h. */
uint64_t frame_alloc_runs(struct frame_alloc *fa, uint64_t bytes, uint64_t align_pages,
                          struct mem_region *runs, size_t max, size_t *nruns)
{
	uint64_t unit = align_pages * PAGE_SIZE, taken = 0;

	*nruns = 0;
	if (align_pages == 0 || (align_pages & (align_pages - 1)) != 0 ||
	    align_pages >= PFN_LIMIT)
		return 0;
	uint64_t want = bytes / unit * unit;
	while (taken < want && *nruns < max) {
		uint64_t ask = want - taken, got = 0;
		for (;;) {
			got = frame_alloc(fa, ask / PAGE_SIZE, align_pages);
			if (got || ask == unit)
				break;
			ask = ask / 2 / unit * unit;
			if (ask < unit)
				ask = unit;
		}
		if (!got)
			break;   /* not even one unit left */
		runs[*nruns] = (struct mem_region){ got, ask, MEM_USABLE };
		++*nruns;
		taken += ask;
	}
	return taken;
}
