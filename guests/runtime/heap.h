/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A small first-fit heap over one caller-supplied buffer. Pure C with no
 * runtime dependencies, so tests/guests/runtime/heap_test.c runs it on the
 * host; the runtime puts one over [image_end, stack_top - stack_size)
 * (malloc.c).
 *
 * Layout: the buffer is a contiguous sequence of blocks, each a 16-byte
 * header { size, tag-or-next } followed by its payload. Blocks and payloads
 * are 16-byte aligned and sizes are multiples of 16. Free blocks form a
 * singly linked list in address order; freeing merges a block with free
 * neighbours, so no two free blocks are ever adjacent. A used block's second
 * header word is a tag derived from its address, which lets heap_free reject
 * pointers it never handed out and most double frees.
 *
 * Not thread-safe: a native VM has one vCPU and no interrupts.
 */
#ifndef RUNTIME_HEAP_H
#define RUNTIME_HEAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HEAP_ALIGN     16u   /* payload alignment */
#define HEAP_HDR       16u   /* header bytes before each payload */
#define HEAP_MIN_BLOCK 32u   /* smallest block: header + 16 payload bytes */

struct heap_block;

struct heap {
	uintptr_t base;               /* first block; 0 if the heap is empty */
	uintptr_t end;                /* one past the last block */
	struct heap_block *free_list; /* lowest free block */
};

struct heap_stats {
	size_t size;          /* bytes managed, headers included */
	size_t free_bytes;    /* payload bytes in free blocks */
	size_t largest_free;  /* largest single allocation that would succeed */
	size_t free_blocks;
	size_t used_blocks;
	size_t used_bytes;    /* payload bytes in used blocks */
};

/*
 * Makes [mem, mem + size) one free block, after trimming it to 16-byte
 * alignment. The heap never touches memory outside that range. Returns 0;
 * -BH_EINVAL if the range wraps around the address space, or -BH_ENOMEM if
 * the trimmed range cannot hold one block (either way the heap is then
 * empty and every allocation fails).
 */
int heap_init(struct heap *h, void *mem, size_t size);

/*
 * Returns a 16-byte aligned payload of at least size bytes (uninitialised),
 * or NULL if no free block is large enough. Size 0 yields a minimal block,
 * so NULL always means failure.
 */
void *heap_alloc(struct heap *h, size_t size);

/* heap_alloc(n * size), zeroed; NULL also if n * size overflows. */
void *heap_calloc(struct heap *h, size_t n, size_t size);

/*
 * Frees a payload heap_alloc returned. NULL is a no-op. Returns 0, or
 * -BH_EINVAL (and changes nothing) if ptr is not a live allocation of
 * this heap.
 */
int heap_free(struct heap *h, void *ptr);

/*
 * Resizes a live allocation, in place when it can (shrinking, or growing
 * into a free block right after it), else by allocate-copy-free. Returns
 * the new payload, or NULL with the old allocation untouched when there is
 * no room or ptr is not a live allocation. ptr NULL acts as heap_alloc;
 * size 0 frees ptr and returns NULL.
 */
void *heap_realloc(struct heap *h, void *ptr, size_t size);

/* True if ptr is a live allocation of this heap (what heap_free accepts). */
bool heap_owns(const struct heap *h, const void *ptr);

/* Payload bytes usable at ptr (>= the size asked for); ptr must be live. */
size_t heap_usable_size(const void *ptr);

/*
 * Walks every block and checks the invariants: blocks tile the range
 * exactly, sizes are aligned, the free list is exactly the free blocks in
 * address order, and no two free blocks touch. Fills *st (may be NULL) and
 * returns 0, or -BH_EINVAL on the first broken invariant.
 */
int heap_check(const struct heap *h, struct heap_stats *st);

#endif
