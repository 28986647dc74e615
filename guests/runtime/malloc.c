/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The app's heap (contracts: bulkhead/runtime.h): heap.c over the memory
 * between the loaded image and the stack. Misuse that heap.c reports
 * (freeing a pointer it never handed out) ends the VM: going on would
 * corrupt the heap.
 */
#include <bulkhead/runtime.h>

#include "heap.h"
#include "rt.h"

/* First byte after the image, from guest.lds. */
extern char __image_end[];

static struct heap heap;

void rt_malloc_init(const struct bh_start_info *si)
{
	/* Trust the link over the start-info page if they disagree: the heap
	 * must never overlap the image. */
	uint64_t lo = si->image_end;
	if (lo < (uintptr_t)__image_end)
		lo = (uintptr_t)__image_end;
	uint64_t hi = si->stack_top - si->stack_size;
	if (si->stack_size > si->stack_top || hi > si->mem_size || hi <= lo ||
	    heap_init(&heap, (void *)(uintptr_t)lo, hi - lo) != 0)
		heap_init(&heap, NULL, 0);   /* empty: every allocation fails */
}

void *bh_malloc(size_t size)
{
	return heap_alloc(&heap, size);
}

void *bh_calloc(size_t n, size_t size)
{
	return heap_calloc(&heap, n, size);
}

void bh_free(void *ptr)
{
	if (heap_free(&heap, ptr) != 0)
		bh_panic("bh_free(%p): not a live allocation", ptr);
}

void *bh_realloc(void *ptr, size_t size)
{
	if (ptr && !heap_owns(&heap, ptr))
		bh_panic("bh_realloc(%p): not a live allocation", ptr);
	return heap_realloc(&heap, ptr, size);
}

void bh_malloc_stats(struct bh_malloc_stats *st)
{
	struct heap_stats s;

	if (heap_check(&heap, &s) != 0)
		bh_panic("heap corrupted");
	st->heap_size = s.size;
	st->free_bytes = s.free_bytes;
	st->largest_free = s.largest_free;
	st->used_bytes = s.used_bytes;
}
