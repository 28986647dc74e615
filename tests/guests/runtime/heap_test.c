/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Host tests of guests/runtime/heap.c: alignment, splitting, coalescing in
 * every order, exhaustion, bad frees, realloc, and long random sequences
 * checked against a shadow model after every step.
 */
#include "check.h"

#include <stdlib.h>

#include <bulkhead/errno.h>

#include "heap.h"

#define ARENA 65536

struct fixture {
	unsigned char *mem;   /* malloc'd: ASan catches any write outside */
	struct heap h;
	struct heap_stats fresh;
};

static void setup(struct fixture *f, size_t size)
{
	f->mem = malloc(size);
	CHECK(f->mem != NULL);
	memset(f->mem, 0xaa, size);   /* the heap must not rely on zeroes */
	CHECK_EQ(heap_init(&f->h, f->mem, size), 0);
	CHECK_EQ(heap_check(&f->h, &f->fresh), 0);
}

static void teardown(struct fixture *f)
{
	free(f->mem);
}

static struct heap_stats stats(const struct heap *h)
{
	struct heap_stats s;
	CHECK_EQ(heap_check(h, &s), 0);
	return s;
}

static size_t round16(size_t n)
{
	return (n + 15) & ~(size_t)15;
}

/* The payload size heap_alloc(size) uses: its success condition is
 * "some free block has at least this much payload". */
static size_t payload_need(size_t size)
{
	return size <= 16 ? 16 : round16(size);
}

static bool inside(const struct fixture *f, const void *p, size_t n)
{
	const unsigned char *c = p;
	return c >= f->mem && c + n <= f->mem + ARENA;
}

TEST(init_makes_one_free_block)
{
	struct fixture f;
	setup(&f, ARENA);
	CHECK_EQ(f.fresh.size, ARENA);
	CHECK_EQ(f.fresh.free_blocks, 1);
	CHECK_EQ(f.fresh.used_blocks, 0);
	CHECK_EQ(f.fresh.free_bytes, ARENA - HEAP_HDR);
	CHECK_EQ(f.fresh.largest_free, ARENA - HEAP_HDR);
	teardown(&f);
}

TEST(init_trims_to_alignment_and_rejects_tiny_ranges)
{
	static _Alignas(16) unsigned char buf[256];
	struct heap h;

	CHECK_EQ(heap_init(&h, buf + 3, 200), 0);
	CHECK_EQ(h.base, (uintptr_t)buf + 16);
	CHECK_EQ(h.end, (uintptr_t)buf + 192);   /* 203 rounded down */
	CHECK_EQ(heap_check(&h, NULL), 0);

	CHECK_EQ(heap_init(&h, buf, 31), -BH_ENOMEM);
	CHECK(heap_alloc(&h, 1) == NULL);
	CHECK_EQ(heap_check(&h, NULL), 0);
	CHECK_EQ(heap_init(&h, buf + 1, 40), -BH_ENOMEM);   /* 16..32: 16 bytes */
	CHECK_EQ(heap_init(&h, NULL, 0), -BH_ENOMEM);
	CHECK(heap_alloc(&h, 0) == NULL);
	CHECK_EQ(heap_free(&h, buf + 16), -BH_EINVAL);
	CHECK_EQ(heap_init(&h, (void *)(UINTPTR_MAX - 100), 1000), -BH_EINVAL);

	CHECK_EQ(heap_init(&h, buf, 32), 0);   /* exactly one minimal block */
	void *p = heap_alloc(&h, 16);
	CHECK(p == buf + 16);
	CHECK(heap_alloc(&h, 0) == NULL);
	CHECK_EQ(heap_free(&h, p), 0);
}

TEST(payloads_are_aligned_disjoint_and_big_enough)
{
	struct fixture f;
	void *p[200];
	setup(&f, ARENA);

	for (size_t i = 0; i < 200; i++) {
		p[i] = heap_alloc(&f.h, i);
		CHECK(p[i] != NULL);
		CHECK_EQ((uintptr_t)p[i] % 16, 0);
		CHECK(heap_usable_size(p[i]) >= i);
		CHECK(inside(&f, p[i], heap_usable_size(p[i])));
		memset(p[i], (int)i, heap_usable_size(p[i]));
	}
	for (size_t i = 0; i < 200; i++)
		for (size_t j = 0; j < heap_usable_size(p[i]); j++)
			CHECK_EQ(((unsigned char *)p[i])[j], (unsigned char)i);
	CHECK_EQ(stats(&f.h).used_blocks, 200);
	for (size_t i = 0; i < 200; i++)
		CHECK_EQ(heap_free(&f.h, p[i]), 0);
	CHECK_EQ(stats(&f.h).free_blocks, 1);
	CHECK_EQ(stats(&f.h).largest_free, f.fresh.largest_free);
	teardown(&f);
}

TEST(zero_size_allocations_are_distinct)
{
	struct fixture f;
	setup(&f, ARENA);
	void *a = heap_alloc(&f.h, 0), *b = heap_alloc(&f.h, 0);
	CHECK(a != NULL && b != NULL && a != b);
	CHECK_EQ(heap_usable_size(a), 16);
	teardown(&f);
}

TEST(first_fit_reuses_the_lowest_hole)
{
	struct fixture f;
	setup(&f, ARENA);
	void *a = heap_alloc(&f.h, 100);
	void *b = heap_alloc(&f.h, 100);
	void *c = heap_alloc(&f.h, 100);
	void *d = heap_alloc(&f.h, 100);
	CHECK((uintptr_t)a < (uintptr_t)b && (uintptr_t)b < (uintptr_t)c);
	heap_free(&f.h, a);
	heap_free(&f.h, c);
	CHECK(heap_alloc(&f.h, 50) == a);   /* split: the rest stays free */
	CHECK_EQ(stats(&f.h).free_blocks, 3);
	CHECK(heap_alloc(&f.h, 100) == c);  /* a's rest is too small */
	(void)b;
	(void)d;
	teardown(&f);
}

/* Frees three neighbours in every order: the end state is always the
 * fresh heap, and each intermediate state has no two free blocks touching
 * (heap_check). */
TEST(coalescing_in_every_order)
{
	static const int orders[6][3] = {
		{ 0, 1, 2 }, { 0, 2, 1 }, { 1, 0, 2 },
		{ 1, 2, 0 }, { 2, 0, 1 }, { 2, 1, 0 },
	};
	for (int o = 0; o < 6; o++) {
		struct fixture f;
		setup(&f, ARENA);
		void *p[3];
		for (int i = 0; i < 3; i++)
			p[i] = heap_alloc(&f.h, 64 + 16 * (size_t)i);
		void *guard = heap_alloc(&f.h, 8);   /* keeps the tail apart */
		for (int i = 0; i < 3; i++) {
			CHECK_EQ(heap_free(&f.h, p[orders[o][i]]), 0);
			stats(&f.h);
		}
		struct heap_stats s = stats(&f.h);
		CHECK_EQ(s.free_blocks, 2);   /* the three merged, and the tail */
		CHECK_EQ(s.used_blocks, 1);
		/* The merged hole holds exactly the three blocks. */
		void *big = heap_alloc(&f.h, 80 + 96 + 112 - HEAP_HDR);
		CHECK(big == p[0]);
		CHECK_EQ(heap_free(&f.h, big), 0);
		CHECK_EQ(heap_free(&f.h, guard), 0);
		s = stats(&f.h);
		CHECK_EQ(s.free_blocks, 1);
		CHECK_EQ(s.free_bytes, f.fresh.free_bytes);
		teardown(&f);
	}
}

TEST(exhaustion_returns_null_and_recovers)
{
	struct fixture f;
	static void *p[ARENA / 32 + 1];
	size_t n = 0;
	setup(&f, ARENA);

	while ((p[n] = heap_alloc(&f.h, 16)) != NULL)
		n++;
	CHECK_EQ(n, ARENA / 32);   /* every byte used: 32-byte blocks tile it */
	CHECK(heap_alloc(&f.h, 0) == NULL);
	CHECK(heap_calloc(&f.h, 1, 1) == NULL);
	struct heap_stats s = stats(&f.h);
	CHECK_EQ(s.free_blocks, 0);
	CHECK_EQ(s.largest_free, 0);

	/* Free every other block: lots of room, but no hole above 16 bytes. */
	for (size_t i = 0; i < n; i += 2)
		CHECK_EQ(heap_free(&f.h, p[i]), 0);
	CHECK_EQ(stats(&f.h).free_blocks, n / 2);
	CHECK(heap_alloc(&f.h, 17) == NULL);
	CHECK(heap_alloc(&f.h, 16) == p[0]);
	CHECK_EQ(heap_free(&f.h, p[0]), 0);
	for (size_t i = 1; i < n; i += 2)
		CHECK_EQ(heap_free(&f.h, p[i]), 0);
	s = stats(&f.h);
	CHECK_EQ(s.free_blocks, 1);
	CHECK_EQ(s.largest_free, f.fresh.largest_free);
	CHECK(heap_alloc(&f.h, f.fresh.largest_free) != NULL);
	teardown(&f);
}

TEST(impossible_sizes_fail_cleanly)
{
	struct fixture f;
	setup(&f, ARENA);
	CHECK(heap_alloc(&f.h, ARENA) == NULL);
	CHECK(heap_alloc(&f.h, f.fresh.largest_free + 1) == NULL);
	CHECK(heap_alloc(&f.h, SIZE_MAX) == NULL);
	CHECK(heap_alloc(&f.h, SIZE_MAX - 15) == NULL);
	CHECK(heap_calloc(&f.h, SIZE_MAX / 2, 3) == NULL);   /* overflows */
	CHECK(heap_calloc(&f.h, 1u << 20, 1u << 20) == NULL);
	CHECK_EQ(stats(&f.h).free_bytes, f.fresh.free_bytes);
	teardown(&f);
}

TEST(bad_frees_are_refused_and_change_nothing)
{
	struct fixture f;
	setup(&f, ARENA);
	unsigned char *a = heap_alloc(&f.h, 64);
	unsigned char *b = heap_alloc(&f.h, 64);
	struct heap_stats before = stats(&f.h);
	int outside;

	CHECK_EQ(heap_free(&f.h, NULL), 0);
	CHECK_EQ(heap_free(&f.h, a + 1), -BH_EINVAL);    /* misaligned */
	CHECK_EQ(heap_free(&f.h, a + 16), -BH_EINVAL);   /* inside a payload */
	CHECK_EQ(heap_free(&f.h, &outside), -BH_EINVAL);
	CHECK_EQ(heap_free(&f.h, f.mem), -BH_EINVAL);    /* no header before */
	CHECK_EQ(heap_free(&f.h, b + 64 + 16), -BH_EINVAL); /* the free tail */
	CHECK(!heap_owns(&f.h, a + 16));
	CHECK(heap_realloc(&f.h, a + 16, 10) == NULL);
	struct heap_stats after = stats(&f.h);
	CHECK(memcmp(&before, &after, sizeof(before)) == 0);

	CHECK_EQ(heap_free(&f.h, a), 0);
	CHECK_EQ(heap_free(&f.h, a), -BH_EINVAL);        /* double free */
	CHECK_EQ(heap_free(&f.h, b), 0);
	CHECK_EQ(heap_free(&f.h, b), -BH_EINVAL);        /* merged away */
	CHECK_EQ(stats(&f.h).free_blocks, 1);
	teardown(&f);
}

TEST(calloc_zeroes)
{
	struct fixture f;
	setup(&f, ARENA);
	unsigned char *p = heap_calloc(&f.h, 10, 33);
	CHECK(p != NULL);
	for (int i = 0; i < 330; i++)
		CHECK_EQ(p[i], 0);
	CHECK(heap_calloc(&f.h, 0, 5) != NULL);
	teardown(&f);
}

TEST(realloc_shrinks_and_grows_in_place_when_it_can)
{
	struct fixture f;
	setup(&f, ARENA);
	unsigned char *a = heap_alloc(&f.h, 256);
	for (int i = 0; i < 256; i++)
		a[i] = (unsigned char)i;

	/* Shrink: same pointer, the cut-off tail merges with the free rest. */
	CHECK(heap_realloc(&f.h, a, 100) == a);
	CHECK_EQ(heap_usable_size(a), 112);
	CHECK_EQ(stats(&f.h).free_blocks, 1);
	/* Grow into the free block after it. */
	CHECK(heap_realloc(&f.h, a, 4000) == a);
	for (int i = 0; i < 100; i++)
		CHECK_EQ(a[i], (unsigned char)i);

	/* Blocked by a neighbour: moves, keeps the contents, frees the old. */
	unsigned char *b = heap_alloc(&f.h, 16);
	unsigned char *c = heap_realloc(&f.h, a, 5000);
	CHECK(c != NULL && c != a);
	for (int i = 0; i < 100; i++)
		CHECK_EQ(c[i], (unsigned char)i);
	CHECK(!heap_owns(&f.h, a));
	CHECK(heap_owns(&f.h, b));

	/* No room: NULL, and the old allocation is untouched. */
	struct heap_stats before = stats(&f.h);
	CHECK(heap_realloc(&f.h, c, ARENA) == NULL);
	CHECK(heap_owns(&f.h, c));
	CHECK_EQ(c[99], 99);
	struct heap_stats after = stats(&f.h);
	CHECK(memcmp(&before, &after, sizeof(before)) == 0);

	/* NULL acts as alloc; size 0 frees. */
	unsigned char *d = heap_realloc(&f.h, NULL, 10);
	CHECK(heap_owns(&f.h, d));
	CHECK(heap_realloc(&f.h, d, 0) == NULL);
	CHECK(!heap_owns(&f.h, d));
	teardown(&f);
}

/* ---- Random sequences against a shadow model ---------------------------- */

struct live {
	unsigned char *p;
	size_t size;
	unsigned char fill;
};

static uint64_t rng_state;
/* What the random runs exercised, so a test can insist on coverage. */
static size_t failed_allocs, moved_reallocs, inplace_reallocs;

static uint64_t rng(void)
{
	/* xorshift64*: deterministic, so a failure reproduces. */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dull;
}

static size_t random_size(void)
{
	switch (rng() % 8) {
	case 0:  return 0;
	case 1:  return rng() % 8192;     /* big: forces failures */
	case 2:  return rng() % 1024;
	default: return rng() % 128;
	}
}

static void check_live(const struct live *l)
{
	for (size_t j = 0; j < l->size; j++)
		if (l->p[j] != l->fill)
			check_fail(__FILE__, __LINE__, "allocation %p byte %zu clobbered",
			           (void *)l->p, j);
}

/* The heap's own view must match the model after every step; contents are
 * compared in full every few steps (the costly part under ASan). */
static void check_model(struct fixture *f, const struct live *lv, size_t n,
                        bool contents)
{
	struct heap_stats s = stats(&f->h);
	size_t used = 0;

	CHECK_EQ(s.used_blocks, n);
	for (size_t i = 0; i < n; i++) {
		if (contents)
			check_live(&lv[i]);
		CHECK(heap_owns(&f->h, lv[i].p));
		used += heap_usable_size(lv[i].p);
	}
	CHECK_EQ(s.used_bytes, used);
	CHECK_EQ(s.size, f->fresh.size);
}

static void random_run(uint64_t seed, size_t arena, int steps)
{
	static struct live lv[4096];
	struct fixture f;
	size_t n = 0;

	rng_state = seed;
	setup(&f, arena);
	for (int step = 0; step < steps; step++) {
		uint64_t op = rng() % 10;
		if (op < 5 || n == 0) {
			size_t size = random_size();
			size_t largest = stats(&f.h).largest_free;
			unsigned char *p = rng() % 4 ? heap_alloc(&f.h, size)
			                             : heap_calloc(&f.h, 1, size);
			/* First fit fails exactly when no free block fits. */
			CHECK_EQ(p != NULL, largest >= payload_need(size));
			failed_allocs += p == NULL;
			if (p && n < 4096) {
				CHECK_EQ((uintptr_t)p % 16, 0);
				CHECK(heap_usable_size(p) >= size);
				lv[n] = (struct live){ p, size, (unsigned char)rng() };
				memset(p, lv[n].fill, size);
				n++;
			} else if (p) {
				CHECK_EQ(heap_free(&f.h, p), 0);
			}
		} else if (op < 8) {
			size_t i = rng() % n;
			CHECK_EQ(heap_free(&f.h, lv[i].p), 0);
			lv[i] = lv[--n];
		} else {
			size_t i = rng() % n;
			size_t size = random_size();
			unsigned char *p = heap_realloc(&f.h, lv[i].p, size);
			if (size == 0) {
				CHECK(p == NULL);
				lv[i] = lv[--n];
			} else if (p) {
				size_t keep = size < lv[i].size ? size : lv[i].size;
				for (size_t j = 0; j < keep; j++)
					CHECK_EQ(p[j], lv[i].fill);
				if (p == lv[i].p)
					inplace_reallocs++;
				else
					moved_reallocs++;
				lv[i].p = p;
				lv[i].size = size;
				memset(p, lv[i].fill, size);
			} else {
				/* Failure: only when nothing, not even the block
				 * itself plus free space around it, could fit. */
				CHECK(payload_need(size) > stats(&f.h).largest_free);
			}
		}
		check_model(&f, lv, n, step % 16 == 0 || step == steps - 1);
	}
	while (n)
		CHECK_EQ(heap_free(&f.h, lv[--n].p), 0);
	struct heap_stats s = stats(&f.h);
	CHECK_EQ(s.free_blocks, 1);
	CHECK_EQ(s.free_bytes, f.fresh.free_bytes);
	teardown(&f);
}

TEST(random_sequences_match_the_model)
{
	failed_allocs = moved_reallocs = inplace_reallocs = 0;
	for (uint64_t seed = 1; seed <= 32; seed++)
		random_run(seed * 0x9e3779b97f4a7c15ull, ARENA, 2000);
	CHECK(failed_allocs > 0 && moved_reallocs > 0 && inplace_reallocs > 0);
}

TEST(random_sequences_in_a_small_arena)
{
	/* Constantly full: most paths through split and merge at the edges. */
	failed_allocs = moved_reallocs = inplace_reallocs = 0;
	for (uint64_t seed = 1; seed <= 32; seed++)
		random_run(seed * 0xd1b54a32d192ed03ull, 4096, 2000);
	CHECK(failed_allocs > 100 && moved_reallocs > 0 && inplace_reallocs > 0);
}
