/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Physical frame allocator: a bitmap over the usable RAM of the memory map
 * (one bit per 4 KiB frame, set = free). It can only ever hand out frames
 * that the memory map calls MEM_USABLE, at or above a floor address, and
 * not reserved afterwards; firmware, runtime-services, ACPI, MMIO and loader
 * ranges are never in it. Contiguous, aligned runs are supported because
 * VM memory and EPT tables want them.
 *
 * Pure: works on physical addresses as numbers and never touches the memory
 * it manages; the caller zeroes frames it hands to a VM.
 */
#ifndef MM_FRAME_H
#define MM_FRAME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mm/memmap.h"

struct frame_alloc {
	uint64_t *bitmap;      /* bit i covers frame (base_pfn + i); 1 = free */
	uint64_t  base_pfn;    /* first frame the bitmap covers */
	uint64_t  nframes;     /* frames the bitmap covers */
	uint64_t  free_frames; /* frames currently free */
	uint64_t  total_frames;/* frames that were free right after init */
};

/*
 * Bytes of bitmap needed to cover every usable frame at or above min_phys
 * (rounded up to a multiple of 8). 0 if there is no usable memory.
 */
size_t frame_alloc_bitmap_bytes(const struct mem_region *r, size_t n,
                                uint64_t min_phys);

/*
 * Finds a page-aligned physical range of `bytes` inside one usable region
 * at or above min_phys, for the bitmap itself. Returns its address, or 0 if
 * none fits. The caller must then frame_reserve() it.
 */
uint64_t frame_alloc_find_storage(const struct mem_region *r, size_t n,
                                  size_t bytes, uint64_t min_phys);

/*
 * Initialises fa over the regions, with bitmap (bitmap_bytes long, as sized
 * by frame_alloc_bitmap_bytes) as storage: usable frames at or above
 * min_phys become free, all others used. Returns 0, or -BH_EINVAL if the
 * storage is too small.
 */
int frame_alloc_init(struct frame_alloc *fa, const struct mem_region *r,
                     size_t n, uint64_t *bitmap, size_t bitmap_bytes,
                     uint64_t min_phys);

/*
 * Marks [base, base+size) used (page-rounded outward) so it is never handed
 * out; frames outside the bitmap are ignored. Returns how many frames went
 * from free to used. total_frames is reduced by the same amount.
 */
uint64_t frame_reserve(struct frame_alloc *fa, uint64_t base, uint64_t size);

/*
 * Allocates npages contiguous frames whose first address is a multiple of
 * align_pages * 4 KiB (align_pages a power of two, 1 for none). Returns the
 * physical address, or 0 when no such run is free (0 is never usable: the
 * kernel's floor keeps page 0 out).
 */
uint64_t frame_alloc(struct frame_alloc *fa, uint64_t npages, uint64_t align_pages);

/*
 * Returns npages frames starting at phys. Returns 0, or -BH_EINVAL if any of
 * them is outside the allocator or already free (a double free is our bug:
 * the caller ASSERTs on it); nothing changes on error.
 */
int frame_free(struct frame_alloc *fa, uint64_t phys, uint64_t npages);

/*
 * Takes up to `bytes` out of fa as at most max runs of contiguous frames,
 * each a multiple of align_pages frames long and aligned to it, largest
 * first: it asks for everything still wanted and halves the request (down
 * to one alignment unit) until a run is found. The runs are written to
 * runs[] as MEM_USABLE regions, so a second frame allocator can be built
 * over them. Returns how many bytes were taken: less than asked (rounded
 * down to the alignment) when fa has no more, or max runs did not cover it.
 */
uint64_t frame_alloc_runs(struct frame_alloc *fa, uint64_t bytes, uint64_t align_pages,
                          struct mem_region *runs, size_t max, size_t *nruns);

#endif
