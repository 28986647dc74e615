/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Host tests of AMD-Vi I/O page tables (arch/x86/iommu/amdvi_pagetable.c)
 * on a fake physical memory. The tables are read back by a walk written
 * here from the AMD IOMMU specification (§2.2.3): start at the root a
 * Mode 4 device table entry names, follow Next Level, PR bit 0, IR bit 61
 * and IW bit 62 and-ed down the walk; never through the kernel's walker.
 */
#include "check.h"

#include <bulkhead/errno.h>

#include "arch/x86/iommu/amdvi_pagetable.h"

#define FAKE_BASE 0x7f000000ull
#define NFRAMES   32
#define K4 0x1000ull
#define M2 0x200000ull
#define ADDR 0x000ffffffffff000ull
#define IR (1ull << 61)
#define IW (1ull << 62)

static uint8_t memory[NFRAMES * K4] __attribute__((aligned(4096)));
static unsigned handed_out, limit_frames = NFRAMES, freed;

static uint64_t bump_alloc(void *ctx)
{
	(void)ctx;
	return handed_out < limit_frames ? FAKE_BASE + K4 * handed_out++ : 0;
}

static void *to_virt(void *ctx, uint64_t phys)
{
	(void)ctx;
	CHECK(phys >= FAKE_BASE && phys < FAKE_BASE + sizeof(memory));
	return memory + (phys - FAKE_BASE);
}

static void take_back(void *ctx, uint64_t phys)
{
	(void)ctx; (void)phys;
	freed++;
}

static const struct ept_env env = { bump_alloc, to_virt, take_back, NULL };

static struct ept fresh(void)
{
	struct ept pt;
	memset(memory, 0xa5, sizeof(memory));   /* tables must be filled by the builder */
	handed_out = freed = 0;
	limit_frames = NFRAMES;
	CHECK_EQ(amdvi_pt_init(&pt, &env), 0);
	return pt;
}

/* The unit's walk: 0 and the host address and write right, or -1 (a fault). */
static int translate(const struct ept *pt, uint64_t iova, uint64_t *hpa, bool *writable)
{
	uint64_t table = pt->root, rights = IR | IW;
	for (unsigned level = 4;; ) {
		const uint64_t *t = to_virt(NULL, table);
		uint64_t e = t[(iova >> (12 + 9 * (level - 1))) & 511];
		if (!(e & 1)) {
			/* Not present: the marker, never 0 (see amdvi_pagetable.h). */
			CHECK_EQ(e, AMDVI_PTE_ABSENT);
			return -1;
		}
		rights &= e;
		unsigned next = (unsigned)(e >> 9) & 7;
		if (next == 0) {
			CHECK_EQ(level, 1);              /* 4 KiB leaves only */
			CHECK(rights & IR);
			*hpa = (e & ADDR) | (iova & (K4 - 1));
			*writable = (rights & IW) != 0;
			return 0;
		}
		CHECK_EQ(next, level - 1);           /* tables name the next level exactly */
		CHECK_EQ(e & ~ADDR, IR | IW | (uint64_t)next << 9 | 1);
		table = e & ADDR;
		level = next;
	}
}

TEST(empty_table_blocks_everything)
{
	struct ept pt = fresh();
	CHECK_EQ(pt.tables, 1);
	uint64_t hpa;
	bool w;
	for (uint64_t a = 0; a < AMDVI_PT_LIMIT; a += 1ull << 39)
		CHECK_EQ(translate(&pt, a, &hpa, &w), -1);
}

TEST(maps_read_and_write_pages)
{
	struct ept pt = fresh();
	CHECK_EQ(amdvi_pt_map(&pt, 0x100000, 0x40000000, 2 * K4, true), 0);
	CHECK_EQ(amdvi_pt_map(&pt, 0x200000, 0x50000000, K4, false), 0);
	CHECK_EQ(pt.tables, 5);                /* root, levels 3 and 2, a level 1 per 2 MiB */
	uint64_t hpa;
	bool w;
	CHECK_EQ(translate(&pt, 0x101234, &hpa, &w), 0);
	CHECK_EQ(hpa, 0x40001234);
	CHECK(w);
	CHECK_EQ(translate(&pt, 0x200fff, &hpa, &w), 0);
	CHECK_EQ(hpa, 0x50000fff);
	CHECK(!w);
	CHECK_EQ(translate(&pt, 0x102000, &hpa, &w), -1);
	CHECK_EQ(translate(&pt, 0, &hpa, &w), -1);
	CHECK_EQ(translate(&pt, 1ull << 39, &hpa, &w), -1);
}

TEST(ranges_across_tables_and_high_addresses)
{
	struct ept pt = fresh();
	/* 8 KiB straddling a 2 MiB boundary: two level-1 tables. */
	CHECK_EQ(amdvi_pt_map(&pt, M2 - K4, 0x60000000, 2 * K4, true), 0);
	CHECK_EQ(pt.tables, 5);
	CHECK_EQ(amdvi_pt_map(&pt, AMDVI_PT_LIMIT - K4, 0x70000000, K4, false), 0);
	uint64_t hpa;
	bool w;
	CHECK_EQ(translate(&pt, M2 - K4, &hpa, &w), 0);
	CHECK_EQ(hpa, 0x60000000);
	CHECK_EQ(translate(&pt, M2, &hpa, &w), 0);
	CHECK_EQ(hpa, 0x60001000);
	CHECK_EQ(translate(&pt, AMDVI_PT_LIMIT - 1, &hpa, &w), 0);
	CHECK_EQ(hpa, 0x70000fff);
}

TEST(bad_arguments)
{
	struct ept pt = fresh();
	CHECK_EQ(amdvi_pt_map(&pt, 0x1000, 0x2000, 0, true), -BH_EINVAL);
	CHECK_EQ(amdvi_pt_map(&pt, 0x1001, 0x2000, K4, true), -BH_EINVAL);
	CHECK_EQ(amdvi_pt_map(&pt, 0x1000, 0x2001, K4, true), -BH_EINVAL);
	CHECK_EQ(amdvi_pt_map(&pt, 0x1000, 0x2000, K4 + 1, true), -BH_EINVAL);
	CHECK_EQ(amdvi_pt_map(&pt, AMDVI_PT_LIMIT, 0x2000, K4, true), -BH_EINVAL);
	CHECK_EQ(amdvi_pt_map(&pt, AMDVI_PT_LIMIT - K4, 0x2000, 2 * K4, true), -BH_EINVAL);
	CHECK_EQ(amdvi_pt_map(&pt, 0x1000, (1ull << 52) - K4, 2 * K4, true), -BH_EINVAL);
	CHECK_EQ(pt.tables, 1);
	struct ept none;
	struct ept_env no_alloc = env;
	no_alloc.alloc_table = NULL;
	CHECK_EQ(amdvi_pt_init(&none, &no_alloc), -BH_EINVAL);
}

TEST(overlap_and_memory_errors_map_nothing)
{
	struct ept pt = fresh();
	CHECK_EQ(amdvi_pt_map(&pt, 0x1000, 0x9000, K4, true), 0);
	CHECK_EQ(amdvi_pt_map(&pt, 0, 0x8000, 2 * K4, true), -BH_EEXIST);
	uint64_t hpa;
	bool w;
	CHECK_EQ(translate(&pt, 0, &hpa, &w), -1);
	CHECK_EQ(translate(&pt, 0x1000, &hpa, &w), 0);
	CHECK_EQ(hpa, 0x9000);

	/* The range's second 2 MiB needs a table there is no frame for. */
	limit_frames = handed_out;
	CHECK_EQ(amdvi_pt_map(&pt, M2 - K4, 0x8000, 2 * K4, true), -BH_ENOMEM);
	CHECK_EQ(translate(&pt, M2 - K4, &hpa, &w), -1);
	CHECK_EQ(translate(&pt, M2, &hpa, &w), -1);

	handed_out = 0;
	limit_frames = 0;
	struct ept none;
	CHECK_EQ(amdvi_pt_init(&none, &env), -BH_ENOMEM);
}

TEST(destroy_returns_every_table)
{
	struct ept pt = fresh();
	CHECK_EQ(amdvi_pt_map(&pt, 0, 0x40000000, 4 * M2, true), 0);
	CHECK_EQ(amdvi_pt_map(&pt, 1ull << 40, 0x50000000, K4, true), 0);
	uint64_t made = pt.tables;
	CHECK_EQ(made, 1 + 2 + 2 + 5);         /* root; 2 each at levels 3, 2; 4 + 1 at level 1 */
	ept_destroy(&pt);
	CHECK_EQ(freed, made);
	CHECK_EQ(pt.tables, 0);
	CHECK_EQ(pt.root, 0);
	CHECK_EQ(amdvi_pt_map(&pt, 0, 0x1000, K4, true), -BH_EINVAL);
}
