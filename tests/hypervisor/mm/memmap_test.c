/* SPDX-License-Identifier: GPL-2.0-only */
/* Host tests of hypervisor/mm/memmap.c. */
#include "check.h"

#include <bulkhead/errno.h>

#include "mm/memmap.h"

#define MAXD 64

/* A UEFI map under construction: descriptors desc_size bytes apart. */
struct map {
	uint8_t buf[MAXD * 64];
	uint64_t stride;
	uint64_t size;
};

/* The kind covering addr in the parsed regions, or MEM_RESERVED in a hole. */
static enum mem_kind memmap_kind_at(const struct mem_region *r, size_t n, uint64_t addr)
{
	for (size_t i = 0; i < n; i++)
		if (addr >= r[i].base && addr - r[i].base < r[i].size)
			return r[i].kind;
	return MEM_RESERVED;
}

static void map_init(struct map *m, uint64_t stride)
{
	memset(m, 0xa5, sizeof(*m));   /* padding beyond 40 bytes is garbage */
	m->stride = stride;
	m->size = 0;
}

static void add(struct map *m, uint32_t type, uint64_t base, uint64_t pages)
{
	uint8_t *d = m->buf + m->size;
	uint32_t pad = 0;
	uint64_t virt = 0, attr = 0xf;
	memcpy(d + 0, &type, 4);
	memcpy(d + 4, &pad, 4);
	memcpy(d + 8, &base, 8);
	memcpy(d + 16, &virt, 8);
	memcpy(d + 24, &pages, 8);
	memcpy(d + 32, &attr, 8);
	m->size += m->stride;
}

static int parse(const struct map *m, struct mem_region *out, size_t max, size_t *n)
{
	return memmap_from_uefi(m->buf, m->size, m->stride, out, max, n);
}

#define P(n) ((uint64_t)(n) * PAGE_SIZE)

static void check_region(const struct mem_region *r, uint64_t base, uint64_t size,
                         enum mem_kind kind)
{
	CHECK_EQ(r->base, base);
	CHECK_EQ(r->size, size);
	CHECK_EQ(r->kind, kind);
}

TEST(empty_map_gives_no_regions)
{
	struct map m;
	struct mem_region r[4];
	size_t n = 99;
	map_init(&m, 48);
	CHECK_EQ(parse(&m, r, 4, &n), 0);
	CHECK_EQ(n, 0);
}

TEST(unsorted_input_is_sorted)
{
	struct map m;
	struct mem_region r[8];
	size_t n;
	map_init(&m, 48);
	add(&m, 7, P(300), 10);
	add(&m, 11, P(100), 1);
	add(&m, 9, P(10), 5);
	CHECK_EQ(parse(&m, r, 8, &n), 0);
	CHECK_EQ(n, 3);
	check_region(&r[0], P(10), P(5), MEM_ACPI_RECLAIM);
	check_region(&r[1], P(100), P(1), MEM_MMIO);
	check_region(&r[2], P(300), P(10), MEM_USABLE);
}

TEST(adjacent_same_kind_is_merged)
{
	struct map m;
	struct mem_region r[8];
	size_t n;
	map_init(&m, 40);
	/* Conventional + boot-services code/data are all "usable". */
	add(&m, 4, P(20), 10);
	add(&m, 7, P(0), 10);
	add(&m, 3, P(10), 10);
	add(&m, 7, P(31), 1);   /* a gap at page 30: not merged */
	CHECK_EQ(parse(&m, r, 8, &n), 0);
	CHECK_EQ(n, 2);
	check_region(&r[0], 0, P(30), MEM_USABLE);
	check_region(&r[1], P(31), P(1), MEM_USABLE);
}

TEST(adjacent_different_kinds_stay_apart)
{
	struct map m;
	struct mem_region r[8];
	size_t n;
	map_init(&m, 48);
	add(&m, 7, P(0), 4);
	add(&m, 2, P(4), 4);
	add(&m, 1, P(8), 4);
	CHECK_EQ(parse(&m, r, 8, &n), 0);
	CHECK_EQ(n, 2);
	check_region(&r[0], 0, P(4), MEM_USABLE);
	check_region(&r[1], P(4), P(8), MEM_LOADER);   /* code+data merged */
}

TEST(overlap_goes_to_more_restrictive_kind)
{
	struct map m;
	struct mem_region r[8];
	size_t n;
	map_init(&m, 48);
	add(&m, 7, P(0), 100);      /* usable 0..100 */
	add(&m, 5, P(40), 10);      /* runtime code 40..50 inside it */
	add(&m, 0, P(90), 20);      /* reserved 90..110 overlapping the end */
	CHECK_EQ(parse(&m, r, 8, &n), 0);
	CHECK_EQ(n, 4);
	check_region(&r[0], 0, P(40), MEM_USABLE);
	check_region(&r[1], P(40), P(10), MEM_FIRMWARE);
	check_region(&r[2], P(50), P(40), MEM_USABLE);
	check_region(&r[3], P(90), P(20), MEM_RESERVED);
}

TEST(overlap_order_does_not_matter)
{
	struct map m;
	struct mem_region r[8];
	size_t n;
	map_init(&m, 48);
	add(&m, 10, P(5), 5);       /* NVS first */
	add(&m, 7, P(0), 20);       /* then usable over it */
	add(&m, 7, P(0), 20);       /* and a duplicate */
	CHECK_EQ(parse(&m, r, 8, &n), 0);
	CHECK_EQ(n, 3);
	check_region(&r[0], 0, P(5), MEM_USABLE);
	check_region(&r[1], P(5), P(5), MEM_ACPI_NVS);
	check_region(&r[2], P(10), P(10), MEM_USABLE);
}

/* Usable RAM the firmware also calls reserved must never reach the allocator. */
TEST(usable_inside_restrictive_kind_vanishes)
{
	struct map m;
	struct mem_region r[8];
	size_t n;
	map_init(&m, 48);
	add(&m, 0, P(0), 100);      /* reserved 0..100 */
	add(&m, 7, P(40), 10);      /* usable 40..50 inside it */
	add(&m, 11, P(200), 4);     /* MMIO 200..204 */
	add(&m, 7, P(200), 4);      /* the same pages claimed usable */
	CHECK_EQ(parse(&m, r, 8, &n), 0);
	CHECK_EQ(n, 2);
	check_region(&r[0], 0, P(100), MEM_RESERVED);
	check_region(&r[1], P(200), P(4), MEM_MMIO);
	CHECK_EQ(memmap_total(r, n, MEM_USABLE), 0);
}

TEST(every_uefi_type_has_its_kind)
{
	static const enum mem_kind want[] = {
		MEM_RESERVED, MEM_LOADER, MEM_LOADER, MEM_USABLE, MEM_USABLE,
		MEM_FIRMWARE, MEM_FIRMWARE, MEM_USABLE, MEM_RESERVED,
		MEM_ACPI_RECLAIM, MEM_ACPI_NVS, MEM_MMIO, MEM_MMIO,
		MEM_FIRMWARE, MEM_PERSISTENT, MEM_RESERVED,
	};
	for (uint32_t t = 0; t < sizeof(want) / sizeof(want[0]); t++) {
		struct map m;
		struct mem_region r[2];
		size_t n;
		map_init(&m, 48);
		add(&m, t, P(16), 1);
		CHECK_EQ(parse(&m, r, 2, &n), 0);
		CHECK_EQ(n, 1);
		if (r[0].kind != want[t])
			check_fail(__FILE__, __LINE__, "type %u: kind %d, want %d",
			           t, r[0].kind, want[t]);
	}
}

TEST(unknown_and_oem_types_are_reserved)
{
	static const uint32_t types[] = { 16, 0x6fffffff, 0x70000000, 0x80000000, 0xffffffff };
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		struct map m;
		struct mem_region r[2];
		size_t n;
		map_init(&m, 48);
		add(&m, types[i], P(16), 1);
		CHECK_EQ(parse(&m, r, 2, &n), 0);
		CHECK_EQ(n, 1);
		CHECK_EQ(r[0].kind, MEM_RESERVED);
	}
}

TEST(bad_desc_size_is_rejected)
{
	struct map m;
	struct mem_region r[4];
	size_t n;
	map_init(&m, 48);
	add(&m, 7, 0, 1);
	add(&m, 7, P(1), 1);
	CHECK_EQ(memmap_from_uefi(m.buf, 96, 32, r, 4, &n), -BH_EINVAL);  /* < 40 */
	CHECK_EQ(memmap_from_uefi(m.buf, 88, 44, r, 4, &n), -BH_EINVAL);  /* not 8x */
	CHECK_EQ(memmap_from_uefi(m.buf, 90, 48, r, 4, &n), -BH_EINVAL);  /* size */
	CHECK_EQ(memmap_from_uefi(m.buf, 96, 0, r, 4, &n), -BH_EINVAL);
	CHECK_EQ(memmap_from_uefi(m.buf, 96, 48, r, 4, &n), 0);
	CHECK_EQ(n, 1);
}

TEST(bad_descriptors_are_rejected)
{
	struct map m;
	struct mem_region r[4];
	size_t n;

	map_init(&m, 48);
	add(&m, 7, 0x1800, 1);                          /* unaligned start */
	CHECK_EQ(parse(&m, r, 4, &n), -BH_EINVAL);

	map_init(&m, 48);
	add(&m, 7, 0, 1);
	add(&m, 7, P(1), 0);                            /* zero pages */
	CHECK_EQ(parse(&m, r, 4, &n), -BH_EINVAL);

	map_init(&m, 48);
	add(&m, 7, 0xfffffffffff00000ull, 0x200);       /* wraps past 2^64 */
	CHECK_EQ(parse(&m, r, 4, &n), -BH_EINVAL);

	map_init(&m, 48);
	add(&m, 7, 0xfffffffffff00000ull, 0x100);       /* ends exactly at 2^64 */
	CHECK_EQ(parse(&m, r, 4, &n), -BH_EINVAL);

	map_init(&m, 48);
	add(&m, 7, P(1), 1ull << 52);                   /* pages * 4 KiB overflows */
	CHECK_EQ(parse(&m, r, 4, &n), -BH_EINVAL);

	map_init(&m, 48);
	add(&m, 7, 0xfffffffffff00000ull, 0xff);        /* just below 2^64: fine */
	CHECK_EQ(parse(&m, r, 4, &n), 0);
	CHECK_EQ(n, 1);
	check_region(&r[0], 0xfffffffffff00000ull, P(0xff), MEM_USABLE);
}

TEST(too_many_regions_is_enospc)
{
	struct map m;
	struct mem_region r[3];
	size_t n;
	map_init(&m, 48);
	for (int i = 0; i < 4; i++)
		add(&m, 7, P(2 * i), 1);
	CHECK_EQ(parse(&m, r, 3, &n), -BH_ENOSPC);
	CHECK_EQ(parse(&m, r, 4 - 1, &n), -BH_ENOSPC);

	/* Merging keeps it within max: 4 descriptors, 1 region. */
	map_init(&m, 48);
	for (int i = 0; i < 4; i++)
		add(&m, 7, P(i), 1);
	CHECK_EQ(parse(&m, r, 1, &n), 0);
	CHECK_EQ(n, 1);
	CHECK_EQ(parse(&m, r, 0, &n), -BH_ENOSPC);
}

TEST(larger_stride_skips_padding)
{
	struct map m;
	struct mem_region r[4];
	size_t n;
	map_init(&m, 64);   /* padding bytes after each descriptor are 0xa5 */
	add(&m, 7, P(1), 3);
	add(&m, 11, P(0xfec00), 1);
	CHECK_EQ(parse(&m, r, 4, &n), 0);
	CHECK_EQ(n, 2);
	check_region(&r[0], P(1), P(3), MEM_USABLE);
	check_region(&r[1], P(0xfec00), P(1), MEM_MMIO);
}

TEST(total_and_kind_at)
{
	struct map m;
	struct mem_region r[8];
	size_t n;
	map_init(&m, 48);
	add(&m, 7, P(1), 9);
	add(&m, 1, P(10), 2);
	add(&m, 7, P(20), 5);
	CHECK_EQ(parse(&m, r, 8, &n), 0);
	CHECK_EQ(n, 3);
	CHECK_EQ(memmap_total(r, n, MEM_USABLE), P(14));
	CHECK_EQ(memmap_total(r, n, MEM_LOADER), P(2));
	CHECK_EQ(memmap_total(r, n, MEM_MMIO), 0);
	CHECK_EQ(memmap_kind_at(r, n, 0), MEM_RESERVED);          /* hole */
	CHECK_EQ(memmap_kind_at(r, n, P(1)), MEM_USABLE);
	CHECK_EQ(memmap_kind_at(r, n, P(10) - 1), MEM_USABLE);
	CHECK_EQ(memmap_kind_at(r, n, P(10)), MEM_LOADER);
	CHECK_EQ(memmap_kind_at(r, n, P(12)), MEM_RESERVED);
	CHECK_EQ(memmap_kind_at(r, n, P(25) - 1), MEM_USABLE);
	CHECK_EQ(memmap_kind_at(r, n, P(25)), MEM_RESERVED);
}

TEST(a_device_range_may_not_overlap_memory_but_may_overlap_mmio)
{
	const struct mem_region r[] = {
		{ .base = 0x100000, .size = 0x100000, .kind = MEM_USABLE },
		{ .base = 0x300000, .size = 0x1000, .kind = MEM_MMIO },
		{ .base = 0x400000, .size = 0x1000, .kind = MEM_RESERVED },
	};
	CHECK(memmap_overlaps_memory(r, 3, 0x1ff000, 0x2000));     /* tail of RAM */
	CHECK(memmap_overlaps_memory(r, 3, 0x0, 0x200000));        /* covers RAM */
	CHECK(memmap_overlaps_memory(r, 3, 0x400000, 0x1000));     /* reserved */
	CHECK(!memmap_overlaps_memory(r, 3, 0x300000, 0x1000));    /* MMIO */
	CHECK(!memmap_overlaps_memory(r, 3, 0x200000, 0x100000));  /* a hole */
	CHECK(memmap_overlaps_memory(r, 3, 0x500000, 0));          /* empty */
	CHECK(memmap_overlaps_memory(r, 3, ~0ull - 0xfff, 0x2000)); /* wraps */
}
