/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * First-fit heap with an address-ordered, coalescing free list (contract and
 * layout: heap.h).
 */
#include <bulkhead/errno.h>

#include "heap.h"
#include "lib/string.h"

struct heap_block {
	size_t size;                  /* whole block, header included */
	union {
		struct heap_block *next;  /* free: next free block, or NULL */
		uintptr_t tag;            /* used: used_tag(block) */
	};
};

_Static_assert(sizeof(struct heap_block) == HEAP_HDR, "header size");

/*
 * The tag's top bits make it a non-canonical address, so it never equals a
 * free block's next pointer; mixing in the block address makes a stale copy
 * of a header elsewhere in the heap fail the check.
 */
#define USED_TAG 0xa110c8ed00000000ull

static uintptr_t used_tag(const struct heap_block *b)
{
	return (uintptr_t)USED_TAG ^ (uintptr_t)b;
}

static struct heap_block *block_at(uintptr_t addr)
{
	return (struct heap_block *)addr;
}

static struct heap_block *block_of(const void *payload)
{
	return block_at((uintptr_t)payload - HEAP_HDR);
}

static void *payload_of(struct heap_block *b)
{
	return (void *)((uintptr_t)b + HEAP_HDR);
}

static uintptr_t block_end(const struct heap_block *b)
{
	return (uintptr_t)b + b->size;
}

/*
 * Block size for a payload of size bytes, or 0 if no block in h could be
 * that large (which also catches overflow in the rounding).
 */
static size_t block_size_for(const struct heap *h, size_t size)
{
	if (size > h->end - h->base)
		return 0;
	size_t need = (size + HEAP_HDR + HEAP_ALIGN - 1) & ~(size_t)(HEAP_ALIGN - 1);
	return need < HEAP_MIN_BLOCK ? HEAP_MIN_BLOCK : need;
}

int heap_init(struct heap *h, void *mem, size_t size)
{
	uintptr_t lo = (uintptr_t)mem;
	uintptr_t hi = lo + size;

	h->base = h->end = 0;
	h->free_list = NULL;
	if (hi < lo)
		return -BH_EINVAL;
	lo = (lo + HEAP_ALIGN - 1) & ~(uintptr_t)(HEAP_ALIGN - 1);
	hi &= ~(uintptr_t)(HEAP_ALIGN - 1);
	if (lo == 0 || hi <= lo || hi - lo < HEAP_MIN_BLOCK)
		return -BH_ENOMEM;

	struct heap_block *b = block_at(lo);
	b->size = hi - lo;
	b->next = NULL;
	h->base = lo;
	h->end = hi;
	h->free_list = b;
	return 0;
}

bool heap_owns(const struct heap *h, const void *ptr)
{
	uintptr_t p = (uintptr_t)ptr;

	if (p % HEAP_ALIGN || p < h->base + HEAP_HDR || p >= h->end)
		return false;
	const struct heap_block *b = block_of(ptr);
	/* The size check keeps a corrupt header from sending callers outside. */
	return b->tag == used_tag(b) && b->size >= HEAP_MIN_BLOCK &&
	       b->size % HEAP_ALIGN == 0 && b->size <= h->end - (uintptr_t)b;
}

size_t heap_usable_size(const void *ptr)
{
	return block_of(ptr)->size - HEAP_HDR;
}

/*
 * Cuts b (not on the free list) down to size bytes when the rest can form a
 * block of its own, and returns that rest (not yet on the free list), else
 * NULL.
 */
static struct heap_block *split(struct heap_block *b, size_t size)
{
	if (b->size - size < HEAP_MIN_BLOCK)
		return NULL;
	struct heap_block *rest = block_at((uintptr_t)b + size);
	rest->size = b->size - size;
	b->size = size;
	return rest;
}

/* Puts b on the free list in address order, merging it with its free
 * neighbours. */
static void insert_free(struct heap *h, struct heap_block *b)
{
	struct heap_block *prev = NULL, *next = h->free_list;

	while (next && next < b) {
		prev = next;
		next = next->next;
	}

	if (next && block_end(b) == (uintptr_t)next) {
		b->size += next->size;
		next = next->next;
	}
	b->next = next;

	if (prev && block_end(prev) == (uintptr_t)b) {
		prev->size += b->size;
		prev->next = b->next;
	} else if (prev) {
		prev->next = b;
	} else {
		h->free_list = b;
	}
}

void *heap_alloc(struct heap *h, size_t size)
{
	size_t need = block_size_for(h, size);
	struct heap_block **link = &h->free_list;

	if (need == 0)
		return NULL;
	for (struct heap_block *b = *link; b; link = &b->next, b = *link) {
		if (b->size < need)
			continue;
		struct heap_block *rest = split(b, need);
		if (rest) {
			rest->next = b->next;
			*link = rest;
		} else {
			*link = b->next;
		}
		b->tag = used_tag(b);
		return payload_of(b);
	}
	return NULL;
}

void *heap_calloc(struct heap *h, size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size)
		return NULL;
	void *p = heap_alloc(h, n * size);
	if (p)
		memset(p, 0, n * size);
	return p;
}

int heap_free(struct heap *h, void *ptr)
{
	if (!ptr)
		return 0;
	if (!heap_owns(h, ptr))
		return -BH_EINVAL;
	insert_free(h, block_of(ptr));
	return 0;
}

/* Grows used block b in place to need bytes by taking the free block right
 * after it; false (nothing changed) if that block is missing or too small. */
static bool grow_in_place(struct heap *h, struct heap_block *b, size_t need)
{
	uintptr_t after = block_end(b);
	struct heap_block **link = &h->free_list;

	if (after >= h->end)
		return false;
	while (*link && *link < block_at(after))
		link = &(*link)->next;
	struct heap_block *n = *link;
	if (n != block_at(after) || b->size + n->size < need)
		return false;

	*link = n->next;
	b->size += n->size;
	struct heap_block *rest = split(b, need);
	if (rest) {
		/* rest sits where n was: same place in the address order. */
		rest->next = *link;
		*link = rest;
	}
	return true;
}

void *heap_realloc(struct heap *h, void *ptr, size_t size)
{
	if (!ptr)
		return heap_alloc(h, size);
	if (!heap_owns(h, ptr))
		return NULL;
	if (size == 0) {
		heap_free(h, ptr);
		return NULL;
	}

	struct heap_block *b = block_of(ptr);
	size_t need = block_size_for(h, size);
	if (need == 0)
		return NULL;
	if (need <= b->size) {
		struct heap_block *rest = split(b, need);
		if (rest)
			insert_free(h, rest);
		return ptr;
	}
	if (grow_in_place(h, b, need))
		return ptr;

	void *p = heap_alloc(h, size);
	if (!p)
		return NULL;
	memcpy(p, ptr, b->size - HEAP_HDR);
	heap_free(h, ptr);
	return p;
}

int heap_check(const struct heap *h, struct heap_stats *st)
{
	struct heap_stats s = { .size = h->end - h->base };
	const struct heap_block *want_free = h->free_list;
	bool prev_free = false;
	uintptr_t p = h->base;

	while (p < h->end) {
		const struct heap_block *b = block_at(p);
		if (b->size < HEAP_MIN_BLOCK || b->size % HEAP_ALIGN ||
		    b->size > h->end - p)
			return -BH_EINVAL;
		if (b == want_free) {
			if (prev_free)
				return -BH_EINVAL;   /* missed a merge */
			want_free = b->next;
			if (want_free && want_free <= b)
				return -BH_EINVAL;   /* list out of order */
			prev_free = true;
			s.free_blocks++;
			s.free_bytes += b->size - HEAP_HDR;
			if (b->size - HEAP_HDR > s.largest_free)
				s.largest_free = b->size - HEAP_HDR;
		} else {
			if (b->tag != used_tag(b))
				return -BH_EINVAL;   /* neither listed nor tagged */
			prev_free = false;
			s.used_blocks++;
			s.used_bytes += b->size - HEAP_HDR;
		}
		p += b->size;
	}
	if (p != h->end || want_free)
		return -BH_EINVAL;   /* list names a block outside the heap */
	if (st)
		*st = s;
	return 0;
}
