/* SPDX-License-Identifier: GPL-2.0-only */
#include "mm/phys.h"

#include <bulkhead/errno.h>

struct frame_alloc phys_frames;

int phys_init(const struct mem_region *regions, size_t n, const char **why)
{
	size_t bytes = frame_alloc_bitmap_bytes(regions, n, PHYS_FLOOR);
	if (!bytes) {
		*why = "the memory map has no usable RAM above 1 MiB";
		return -BH_ENOMEM;
	}
	/* The bitmap lives in usable RAM, identity-mapped by the kernel. */
	uint64_t storage = frame_alloc_find_storage(regions, n, bytes, PHYS_FLOOR);
	if (!storage) {
		*why = "no usable region can hold the frame bitmap";
		return -BH_ENOMEM;
	}
	int rc = frame_alloc_init(&phys_frames, regions, n,
	                          (uint64_t *)(uintptr_t)storage, bytes, PHYS_FLOOR);
	if (rc) {
		*why = "frame allocator set-up failed";
		return rc;
	}
	frame_reserve(&phys_frames, storage, bytes);
	return 0;
}
