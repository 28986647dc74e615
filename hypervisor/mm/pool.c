/* SPDX-License-Identifier: GPL-2.0-only */
#include "mm/pool.h"

#include "kernel/log.h"
#include "mm/phys.h"

#define TWO_MIB_PAGES ((2ull << 20) / PAGE_SIZE)

struct frame_alloc pool_frames;

uint64_t pool_init(uint64_t bytes)
{
	struct mem_region runs[POOL_MAX_RUNS];
	size_t n;

	uint64_t spare = phys_frames.free_frames * PAGE_SIZE;
	spare = spare > POOL_KERNEL_HEADROOM ? spare - POOL_KERNEL_HEADROOM : 0;
	if (bytes > spare)
		bytes = spare;
	uint64_t got = frame_alloc_runs(&phys_frames, bytes, TWO_MIB_PAGES, runs,
	                                POOL_MAX_RUNS, &n);
	if (!got)
		return 0;
	/* The pool's bitmap is kernel memory; it lives as long as the pool. */
	uint64_t map_bytes = frame_alloc_bitmap_bytes(runs, n, PHYS_FLOOR);
	uint64_t map_pages = (map_bytes + PAGE_SIZE - 1) / PAGE_SIZE;
	uint64_t map = frame_alloc(&phys_frames, map_pages, 1);
	if (!map || frame_alloc_init(&pool_frames, runs, n, (uint64_t *)(uintptr_t)map,
	                             map_bytes, PHYS_FLOOR)) {
		for (size_t i = 0; i < n; i++)
			frame_free(&phys_frames, runs[i].base, runs[i].size / PAGE_SIZE);
		if (map)
			frame_free(&phys_frames, map, map_pages);
		return 0;
	}
	return got;
}

void pool_reserve(uint64_t want)
{
	if (!want)
		return;
	uint64_t got = pool_init(want);
	if (got < want)
		kprintf("pool: only %llu of the %llu MiB run-time pool could be reserved: "
		        "the machine has no more free; launches are held to that\n",
		        (unsigned long long)(got >> 20), (unsigned long long)(want >> 20));
	else
		kprintf("pool: %llu MiB reserved for VMs launched at run time\n",
		        (unsigned long long)(got >> 20));
}

uint64_t pool_size(void)
{
	return pool_frames.total_frames * PAGE_SIZE;
}

uint64_t pool_used(void)
{
	return (pool_frames.total_frames - pool_frames.free_frames) * PAGE_SIZE;
}

uint64_t pool_free(void)
{
	return pool_frames.free_frames * PAGE_SIZE;
}
