/* SPDX-License-Identifier: GPL-2.0-only */
/* Host tests of hypervisor/mm/frame.c. */
#include "check.h"

#include <stdlib.h>

#include <bulkhead/errno.h>

#include "mm/frame.h"

#define P(n) ((uint64_t)(n) * PAGE_SIZE)

/* Usable frames: 0-15, 20-39, 50-99, 110-299; holes of other kinds between. */
static const struct mem_region layout[] = {
	{ P(0),   P(16),  MEM_USABLE },
	{ P(16),  P(4),   MEM_RESERVED },
	{ P(20),  P(20),  MEM_USABLE },
	{ P(40),  P(10),  MEM_MMIO },
	{ P(50),  P(50),  MEM_USABLE },
	{ P(100), P(10),  MEM_LOADER },
	{ P(110), P(190), MEM_USABLE },
	{ P(300), P(20),  MEM_ACPI_RECLAIM },
	{ P(320), P(8),   MEM_FIRMWARE },
};
#define NLAYOUT (sizeof(layout) / sizeof(layout[0]))
#define FLOOR P(5)
#define NUSABLE (11 + 20 + 50 + 190)   /* usable frames at or above FLOOR */

struct fixture {
	struct frame_alloc fa;
	uint64_t *bitmap;
	size_t bytes;
};

static void setup(struct fixture *f, const struct mem_region *r, size_t n, uint64_t floor)
{
	f->bytes = frame_alloc_bitmap_bytes(r, n, floor);
	f->bitmap = malloc(f->bytes ? f->bytes : 1);
	memset(f->bitmap, 0xff, f->bytes);   /* init must not trust the storage */
	CHECK_EQ(frame_alloc_init(&f->fa, r, n, f->bitmap, f->bytes, floor), 0);
}

static void teardown(struct fixture *f)
{
	free(f->bitmap);
}

static bool usable_at(uint64_t phys)
{
	for (size_t i = 0; i < NLAYOUT; i++)
		if (phys >= layout[i].base && phys - layout[i].base < layout[i].size)
			return layout[i].kind == MEM_USABLE;
	return false;
}

/*
 * Reads the allocator's state where frame.h says it lives (bit i of the
 * bitmap for frame base_pfn + i, set = free), rather than through the
 * allocator's own code: the kernel never asks this of it.
 */
static bool frame_is_free(const struct frame_alloc *fa, uint64_t phys)
{
	uint64_t i = phys / PAGE_SIZE - fa->base_pfn;
	if (phys / PAGE_SIZE < fa->base_pfn || i >= fa->nframes)
		return false;
	return (fa->bitmap[i / 64] >> (i % 64)) & 1;
}

TEST(init_counts_usable_frames_above_floor)
{
	struct fixture f;
	setup(&f, layout, NLAYOUT, FLOOR);
	CHECK_EQ(f.fa.total_frames, NUSABLE);
	CHECK_EQ(f.fa.free_frames, NUSABLE);
	CHECK(!frame_is_free(&f.fa, P(4)));     /* below floor */
	CHECK(frame_is_free(&f.fa, P(5)));
	CHECK(!frame_is_free(&f.fa, P(16)));    /* reserved */
	CHECK(!frame_is_free(&f.fa, P(45)));    /* MMIO */
	CHECK(!frame_is_free(&f.fa, P(105)));   /* loader */
	CHECK(frame_is_free(&f.fa, P(299) + 123));
	CHECK(!frame_is_free(&f.fa, P(300)));
	CHECK(!frame_is_free(&f.fa, P(5000)));
	teardown(&f);
}

TEST(exhaustion_hands_out_only_usable_frames_above_floor)
{
	struct fixture f;
	setup(&f, layout, NLAYOUT, FLOOR);
	static bool seen[400];
	memset(seen, 0, sizeof(seen));
	uint64_t got = 0, phys;
	while ((phys = frame_alloc(&f.fa, 1, 1)) != 0) {
		CHECK_EQ(phys % PAGE_SIZE, 0);
		CHECK(phys >= FLOOR);
		CHECK(usable_at(phys));
		CHECK(phys / PAGE_SIZE < 400);
		CHECK(!seen[phys / PAGE_SIZE]);
		seen[phys / PAGE_SIZE] = true;
		CHECK(!frame_is_free(&f.fa, phys));
		got++;
	}
	CHECK_EQ(got, NUSABLE);
	CHECK_EQ(f.fa.free_frames, 0);
	CHECK_EQ(frame_alloc(&f.fa, 1, 1), 0);
	teardown(&f);
}

TEST(page_zero_is_never_handed_out)
{
	struct fixture f;
	setup(&f, layout, NLAYOUT, 0);
	CHECK_EQ(f.fa.total_frames, NUSABLE + 4);   /* frames 1-4 join; 0 does not */
	uint64_t phys;
	while ((phys = frame_alloc(&f.fa, 1, 1)) != 0)
		CHECK(phys != 0);
	CHECK_EQ(f.fa.free_frames, 0);
	teardown(&f);
}

TEST(unaligned_floor_rounds_up)
{
	struct fixture f;
	setup(&f, layout, NLAYOUT, P(7) + 1);
	CHECK(!frame_is_free(&f.fa, P(7)));
	CHECK(frame_is_free(&f.fa, P(8)));
	CHECK_EQ(frame_alloc(&f.fa, 1, 1), P(8));
	teardown(&f);
}

TEST(aligned_allocation)
{
	struct fixture f;
	setup(&f, layout, NLAYOUT, FLOOR);
	uint64_t a = frame_alloc(&f.fa, 1, 16);
	CHECK_EQ(a, P(32));   /* 16 is reserved; 32 the first 16-aligned usable frame */
	CHECK_EQ(frame_alloc(&f.fa, 1, 16), P(64));   /* 48 is MMIO */
	uint64_t b = frame_alloc(&f.fa, 3, 64);
	CHECK_EQ(b, P(128));  /* 64 is taken now */
	for (int i = 0; i < 3; i++)
		CHECK(!frame_is_free(&f.fa, b + P(i)));
	CHECK(frame_is_free(&f.fa, b + P(3)));
	CHECK_EQ(frame_alloc(&f.fa, 1, 512), 0);    /* no usable 2 MiB-aligned frame */
	CHECK_EQ(frame_alloc(&f.fa, 1, 3), 0);      /* not a power of two */
	CHECK_EQ(frame_alloc(&f.fa, 1, 0), 0);
	CHECK_EQ(frame_alloc(&f.fa, 0, 1), 0);
	CHECK_EQ(f.fa.free_frames, NUSABLE - 5);
	teardown(&f);
}

TEST(contiguous_run_never_spans_a_hole)
{
	struct fixture f;
	setup(&f, layout, NLAYOUT, FLOOR);
	/* 60 frames fit only in 110-299. */
	uint64_t a = frame_alloc(&f.fa, 60, 1);
	CHECK_EQ(a, P(110));
	for (uint64_t p = a; p < a + P(60); p += PAGE_SIZE)
		CHECK(usable_at(p) && !frame_is_free(&f.fa, p));
	/* 200 contiguous frames exist nowhere. */
	CHECK_EQ(frame_alloc(&f.fa, 200, 1), 0);
	CHECK_EQ(frame_alloc(&f.fa, 131, 1), 0);
	CHECK_EQ(frame_alloc(&f.fa, 130, 1), P(170));
	CHECK_EQ(f.fa.free_frames, NUSABLE - 190);
	teardown(&f);
}

TEST(fragmented_memory_refuses_runs_until_freed)
{
	struct fixture f;
	setup(&f, layout, NLAYOUT, FLOOR);
	while (frame_alloc(&f.fa, 1, 1) != 0)
		;
	for (uint64_t pfn = 110; pfn < 300; pfn += 2)
		CHECK_EQ(frame_free(&f.fa, P(pfn), 1), 0);
	CHECK_EQ(f.fa.free_frames, 95);
	CHECK_EQ(frame_alloc(&f.fa, 2, 1), 0);
	CHECK_EQ(frame_free(&f.fa, P(201), 1), 0);
	CHECK_EQ(frame_alloc(&f.fa, 2, 16), 0);       /* 200-202 free, none 16-aligned */
	CHECK_EQ(frame_alloc(&f.fa, 3, 1), P(200));
	teardown(&f);
}

TEST(double_free_is_rejected_and_changes_nothing)
{
	struct fixture f;
	setup(&f, layout, NLAYOUT, FLOOR);
	uint64_t a = frame_alloc(&f.fa, 4, 1);
	CHECK(a != 0);
	CHECK_EQ(frame_free(&f.fa, a + P(1), 1), 0);

	struct frame_alloc before = f.fa;
	uint64_t *snap = malloc(f.bytes);
	memcpy(snap, f.bitmap, f.bytes);

	CHECK_EQ(frame_free(&f.fa, a + P(1), 1), -BH_EINVAL);   /* plain double free */
	CHECK_EQ(frame_free(&f.fa, a, 4), -BH_EINVAL);          /* one of 4 is free */
	CHECK(memcmp(snap, f.bitmap, f.bytes) == 0);
	CHECK(memcmp(&before, &f.fa, sizeof(before)) == 0);
	CHECK(!frame_is_free(&f.fa, a));
	CHECK(!frame_is_free(&f.fa, a + P(2)));
	free(snap);
	teardown(&f);
}

TEST(freeing_frames_never_owned_is_rejected)
{
	struct fixture f;
	setup(&f, layout, NLAYOUT, FLOOR);
	uint64_t free0 = f.fa.free_frames;
	CHECK_EQ(frame_free(&f.fa, P(16), 1), -BH_EINVAL);    /* reserved hole */
	CHECK_EQ(frame_free(&f.fa, P(45), 1), -BH_EINVAL);    /* MMIO */
	CHECK_EQ(frame_free(&f.fa, P(4), 1), -BH_EINVAL);     /* below floor */
	CHECK_EQ(frame_free(&f.fa, P(310), 1), -BH_EINVAL);   /* past the bitmap */
	CHECK_EQ(frame_free(&f.fa, P(299), 2), -BH_EINVAL);   /* runs past it */
	CHECK_EQ(frame_free(&f.fa, P(20) + 8, 1), -BH_EINVAL);/* unaligned */
	CHECK_EQ(frame_free(&f.fa, P(20), 0), -BH_EINVAL);
	CHECK_EQ(frame_free(&f.fa, UINT64_MAX & ~(PAGE_SIZE - 1), 1), -BH_EINVAL);
	CHECK_EQ(f.fa.free_frames, free0);
	CHECK(!frame_is_free(&f.fa, P(16)));
	CHECK(!frame_is_free(&f.fa, P(45)));

	/* A frame that is allocated, then reserved, can no longer be freed. */
	uint64_t a = frame_alloc(&f.fa, 1, 1);
	CHECK_EQ(frame_reserve(&f.fa, a, PAGE_SIZE), 0);
	CHECK_EQ(frame_free(&f.fa, a, 1), -BH_EINVAL);
	teardown(&f);
}

TEST(reserve_removes_frames_for_good)
{
	struct fixture f;
	setup(&f, layout, NLAYOUT, FLOOR);
	/* [60 pages + 100, 62 pages + 100) rounded outward: frames 60-62. */
	CHECK_EQ(frame_reserve(&f.fa, P(60) + 100, P(2)), 3);
	CHECK_EQ(f.fa.total_frames, NUSABLE - 3);
	CHECK_EQ(f.fa.free_frames, NUSABLE - 3);
	CHECK_EQ(frame_reserve(&f.fa, P(60), P(3)), 0);          /* already used */
	CHECK_EQ(frame_reserve(&f.fa, P(35), P(10)), 5);         /* 35-39; MMIO part ignored */
	CHECK_EQ(frame_reserve(&f.fa, P(1000), P(10)), 0);       /* outside */
	CHECK_EQ(frame_reserve(&f.fa, P(1), 0), 0);
	CHECK_EQ(frame_reserve(&f.fa, UINT64_MAX - 10, 100), 0); /* wraps */
	CHECK_EQ(frame_reserve(&f.fa, P(298), UINT64_MAX), 2);   /* to the end */
	CHECK_EQ(f.fa.total_frames, NUSABLE - 10);
	uint64_t phys;
	while ((phys = frame_alloc(&f.fa, 1, 1)) != 0) {
		uint64_t pfn = phys / PAGE_SIZE;
		CHECK(!(pfn >= 60 && pfn <= 62));
		CHECK(!(pfn >= 35 && pfn <= 39));
		CHECK(pfn < 298);
	}
	CHECK_EQ(frame_free(&f.fa, P(61), 1), -BH_EINVAL);
	teardown(&f);
}

TEST(counts_restored_after_alloc_free_cycles)
{
	struct fixture f;
	setup(&f, layout, NLAYOUT, FLOOR);
	uint64_t *snap = malloc(f.bytes);
	memcpy(snap, f.bitmap, f.bytes);

	struct { uint64_t phys, n; } live[64];
	int nlive = 0;
	uint32_t seed = 12345;
	for (int round = 0; round < 2000; round++) {
		seed = seed * 1103515245u + 12345u;
		uint32_t r = seed >> 8;
		if (nlive < 64 && (r & 1)) {
			uint64_t n = 1 + (r >> 1) % 9, align = 1ull << ((r >> 5) % 4);
			uint64_t p = frame_alloc(&f.fa, n, align);
			if (p) {
				CHECK_EQ(p % (align * PAGE_SIZE), 0);
				for (uint64_t i = 0; i < n; i++)
					CHECK(usable_at(p + P(i)) && p + P(i) >= FLOOR);
				live[nlive].phys = p;
				live[nlive].n = n;
				nlive++;
			}
		} else if (nlive > 0) {
			int k = (int)((r >> 1) % (uint32_t)nlive);
			CHECK_EQ(frame_free(&f.fa, live[k].phys, live[k].n), 0);
			live[k] = live[--nlive];
		}
		uint64_t in_use = 0;
		for (int i = 0; i < nlive; i++)
			in_use += live[i].n;
		CHECK_EQ(f.fa.free_frames + in_use, f.fa.total_frames);
	}
	while (nlive > 0) {
		nlive--;
		CHECK_EQ(frame_free(&f.fa, live[nlive].phys, live[nlive].n), 0);
	}
	CHECK_EQ(f.fa.free_frames, NUSABLE);
	CHECK_EQ(f.fa.total_frames, NUSABLE);
	CHECK(memcmp(snap, f.bitmap, f.bytes) == 0);
	free(snap);
	teardown(&f);
}

TEST(bitmap_bytes_and_too_small_storage)
{
	/* Span 5..299 = 295 frames: at least 37 bytes, multiple of 8. */
	size_t bytes = frame_alloc_bitmap_bytes(layout, NLAYOUT, FLOOR);
	CHECK(bytes >= (295 + 7) / 8);
	CHECK_EQ(bytes % 8, 0);
	CHECK_EQ(frame_alloc_bitmap_bytes(layout, NLAYOUT, P(300)), 0);
	CHECK_EQ(frame_alloc_bitmap_bytes(layout, 0, 0), 0);
	static const struct mem_region none[] = { { P(0), P(100), MEM_LOADER } };
	CHECK_EQ(frame_alloc_bitmap_bytes(none, 1, 0), 0);

	uint64_t *bm = calloc(1, bytes);
	struct frame_alloc fa;
	CHECK_EQ(frame_alloc_init(&fa, layout, NLAYOUT, bm, bytes - 8, FLOOR), -BH_EINVAL);
	CHECK_EQ(frame_alloc_init(&fa, layout, NLAYOUT, NULL, bytes, FLOOR), -BH_EINVAL);
	CHECK_EQ(frame_alloc_init(&fa, layout, NLAYOUT, bm, bytes, FLOOR), 0);
	free(bm);

	/* No usable memory: an allocator that always fails. */
	CHECK_EQ(frame_alloc_init(&fa, none, 1, NULL, 0, 0), 0);
	CHECK_EQ(fa.total_frames, 0);
	CHECK_EQ(frame_alloc(&fa, 1, 1), 0);
	CHECK_EQ(frame_free(&fa, P(1), 1), -BH_EINVAL);
	CHECK(!frame_is_free(&fa, P(1)));
	CHECK_EQ(frame_reserve(&fa, 0, P(100)), 0);
}

TEST(find_storage_then_reserve)
{
	/* A 3-page bitmap: must come from one usable region, above the floor. */
	uint64_t at = frame_alloc_find_storage(layout, NLAYOUT, 3 * PAGE_SIZE - 5, FLOOR);
	CHECK_EQ(at, P(5));
	at = frame_alloc_find_storage(layout, NLAYOUT, 25 * PAGE_SIZE, FLOOR);
	CHECK_EQ(at, P(50));
	at = frame_alloc_find_storage(layout, NLAYOUT, 100 * PAGE_SIZE, P(200));
	CHECK_EQ(at, P(200));
	CHECK_EQ(frame_alloc_find_storage(layout, NLAYOUT, 191 * PAGE_SIZE, 0), 0);
	CHECK_EQ(frame_alloc_find_storage(layout, NLAYOUT, 10, P(300)), 0);
	CHECK_EQ(frame_alloc_find_storage(layout, NLAYOUT, 0, 0), 0);
	/* A floor of 0 still never yields address 0. */
	CHECK_EQ(frame_alloc_find_storage(layout, NLAYOUT, PAGE_SIZE, 0), P(1));

	/* The boot sequence: size, place, init, reserve the storage. */
	size_t bytes = frame_alloc_bitmap_bytes(layout, NLAYOUT, FLOOR);
	uint64_t phys = frame_alloc_find_storage(layout, NLAYOUT, bytes, P(100));
	CHECK_EQ(phys, P(110));
	uint64_t *bm = malloc(bytes);
	struct frame_alloc fa;
	CHECK_EQ(frame_alloc_init(&fa, layout, NLAYOUT, bm, bytes, FLOOR), 0);
	uint64_t pages = (bytes + PAGE_SIZE - 1) / PAGE_SIZE;
	CHECK_EQ(frame_reserve(&fa, phys, bytes), pages);
	uint64_t p;
	while ((p = frame_alloc(&fa, 1, 1)) != 0)
		CHECK(p < phys || p >= phys + P(pages));
	free(bm);
}

TEST(overlapping_regions_count_once)
{
	static const struct mem_region dup[] = {
		{ P(10), P(10), MEM_USABLE },
		{ P(15), P(10), MEM_USABLE },
	};
	struct fixture f;
	setup(&f, dup, 2, 0);
	CHECK_EQ(f.fa.total_frames, 15);
	CHECK_EQ(frame_alloc(&f.fa, 15, 1), P(10));
	CHECK_EQ(f.fa.free_frames, 0);
	teardown(&f);
}

TEST(large_bitmap_skips_full_words)
{
	/* 1 GiB of usable memory: allocate all but the last frame, then ask for it. */
	static const struct mem_region big[] = { { P(256), 1ull << 30, MEM_USABLE } };
	struct fixture f;
	setup(&f, big, 1, 0);
	uint64_t n = (1ull << 30) / PAGE_SIZE;
	CHECK_EQ(f.fa.total_frames, n);
	CHECK_EQ(frame_alloc(&f.fa, n - 1, 1), P(256));
	CHECK_EQ(frame_alloc(&f.fa, 1, 1), P(256 + n - 1));
	CHECK_EQ(frame_alloc(&f.fa, 1, 1), 0);
	CHECK_EQ(frame_free(&f.fa, P(256), n), 0);
	CHECK_EQ(frame_alloc(&f.fa, 512, 512), P(512));   /* first 2 MiB-aligned run */
	teardown(&f);
}

/* Runs are disjoint, aligned, inside usable memory, and no longer free in fa. */
static uint64_t check_runs(const struct frame_alloc *fa, const struct mem_region *runs,
                           size_t n, uint64_t align_pages)
{
	uint64_t sum = 0;
	for (size_t i = 0; i < n; i++) {
		CHECK_EQ(runs[i].kind, MEM_USABLE);
		CHECK_EQ(runs[i].base % P(align_pages), 0);
		CHECK_EQ(runs[i].size % P(align_pages), 0);
		CHECK(runs[i].size > 0);
		for (uint64_t a = runs[i].base; a < runs[i].base + runs[i].size; a += PAGE_SIZE) {
			CHECK(usable_at(a));
			CHECK(!frame_is_free(fa, a));
		}
		for (size_t j = 0; j < i; j++)
			CHECK(runs[j].base + runs[j].size <= runs[i].base ||
			      runs[i].base + runs[i].size <= runs[j].base);
		sum += runs[i].size;
	}
	return sum;
}

TEST(runs_cover_the_request_largest_first)
{
	/* 100 frames fit in one usable region; 200 do not: half of them come
	 * first, as one run, then the rest from the other regions. */
	static const struct { uint64_t frames; size_t min_runs, max_runs; } cases[] = {
		{ 100, 1, 1 }, { 200, 2, 8 },
	};
	for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		struct fixture f;
		struct mem_region runs[8];
		size_t n;
		setup(&f, layout, NLAYOUT, FLOOR);
		CHECK_EQ(frame_alloc_runs(&f.fa, P(cases[c].frames), 1, runs, 8, &n),
		         P(cases[c].frames));
		CHECK(n >= cases[c].min_runs && n <= cases[c].max_runs);
		CHECK_EQ(runs[0].size, P(100));
		CHECK_EQ(check_runs(&f.fa, runs, n, 1), P(cases[c].frames));
		CHECK_EQ(f.fa.free_frames, NUSABLE - cases[c].frames);
		teardown(&f);
	}
}

TEST(runs_report_a_shortfall_and_take_everything_left)
{
	struct fixture f;
	struct mem_region runs[16];
	size_t n;
	setup(&f, layout, NLAYOUT, FLOOR);
	CHECK_EQ(frame_alloc_runs(&f.fa, P(1000), 1, runs, 16, &n), P(NUSABLE));
	CHECK_EQ(check_runs(&f.fa, runs, n, 1), P(NUSABLE));
	CHECK_EQ(f.fa.free_frames, 0);
	CHECK_EQ(frame_alloc_runs(&f.fa, P(1), 1, runs, 16, &n), 0);
	CHECK_EQ(n, 0);
	teardown(&f);
}

TEST(runs_stop_at_max_and_respect_alignment)
{
	struct fixture f;
	struct mem_region runs[8];
	size_t n;
	setup(&f, layout, NLAYOUT, FLOOR);
	CHECK_EQ(frame_alloc_runs(&f.fa, P(200), 1, runs, 1, &n), P(100));
	CHECK_EQ(n, 1);
	teardown(&f);

	setup(&f, layout, NLAYOUT, FLOOR);
	/* 8-frame units: 60 frames round down to 56; no unit fits below frame 24. */
	uint64_t got = frame_alloc_runs(&f.fa, P(60), 8, runs, 8, &n);
	CHECK_EQ(got, P(56));
	CHECK_EQ(check_runs(&f.fa, runs, n, 8), got);
	CHECK_EQ(frame_alloc_runs(&f.fa, P(8), 3, runs, 8, &n), 0);   /* not a power of two */
	teardown(&f);
}

TEST(second_allocator_over_runs_hands_out_only_their_frames)
{
	struct fixture f, pool;
	struct mem_region runs[8];
	size_t n;
	setup(&f, layout, NLAYOUT, FLOOR);
	uint64_t got = frame_alloc_runs(&f.fa, P(120), 4, runs, 8, &n);
	CHECK_EQ(got, P(120));
	setup(&pool, runs, n, FLOOR);
	CHECK_EQ(pool.fa.total_frames, 120);
	for (uint64_t a; (a = frame_alloc(&pool.fa, 1, 1)) != 0;) {
		bool inside = false;
		for (size_t i = 0; i < n; i++)
			inside |= a >= runs[i].base && a < runs[i].base + runs[i].size;
		CHECK(inside);
	}
	CHECK_EQ(pool.fa.free_frames, 0);
	teardown(&pool);
	teardown(&f);
}
