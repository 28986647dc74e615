/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Host tests of VT-d second-level tables (arch/x86/iommu/vtd_pagetable.c
 * on the EPT builder) on a fake physical memory. The tables are read back
 * by a walk written here from the VT-d specification (§9.8, §3.7): start
 * at the table the context entry would name, 3 or 4 levels, R bit 0,
 * W bit 1, PS bit 7 for a 2 MiB leaf; never through the kernel's walker.
 */
#include "check.h"

#include <bulkhead/errno.h>

#include "arch/x86/iommu/vtd_pagetable.h"

#define FAKE_BASE 0x7f000000ull
#define NFRAMES   32
#define K4 0x1000ull
#define M2 0x200000ull

static uint8_t memory[NFRAMES * K4] __attribute__((aligned(4096)));
static unsigned handed_out, limit_frames = NFRAMES;

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
}

static const struct ept_env env = { bump_alloc, to_virt, take_back, NULL };

static struct ept fresh(unsigned levels, bool large)
{
	struct ept sl;
	memset(memory, 0xa5, sizeof(memory));   /* tables must be zeroed by the builder */
	handed_out = 0;
	limit_frames = NFRAMES;
	CHECK_EQ(vtd_sl_init(&sl, &env, levels, large), 0);
	return sl;
}

/* The hardware's walk: 0 and the host address, rights and page size, or -1. */
static int translate(const struct ept *sl, unsigned levels, uint64_t iova, uint64_t *hpa,
                     bool *writable, uint64_t *size)
{
	if (iova >= (1ull << (12 + 9 * levels)))
		return -1;
	uint64_t table = vtd_sl_root(sl, levels);
	bool w = true;
	for (unsigned level = levels; level >= 1; level--) {
		const uint64_t *t = to_virt(NULL, table);
		uint64_t e = t[(iova >> (12 + 9 * (level - 1))) & 511];
		if (!(e & 3))
			return -1;
		CHECK(e & 1);                    /* W without R is never written */
		w = w && (e & 2);
		CHECK(!(e & 4));                 /* no execute rights for devices */
		uint64_t addr = e & 0x000ffffffffff000ull;
		if (level == 1 || (e & 0x80)) {
			CHECK(level <= 2);           /* no 1 GiB leaves */
			uint64_t page = 1ull << (12 + 9 * (level - 1));
			*hpa = (addr & ~(page - 1)) | (iova & (page - 1));
			*writable = w;
			*size = page;
			return 0;
		}
		CHECK(!(e & ~0x000ffffffffff003ull));   /* tables: only R, W, address */
		table = addr;
	}
	return -1;
}

TEST(three_levels_map_read_and_write)
{
	struct ept sl = fresh(3, false);
	CHECK_EQ(sl.tables, 2);                /* the 4-level root and the one 3-level root */
	CHECK(vtd_sl_root(&sl, 3) != sl.root);
	CHECK_EQ(vtd_sl_map(&sl, 3, 0x100000, 0x40000000, 2 * K4, true), 0);
	CHECK_EQ(vtd_sl_map(&sl, 3, 0x200000, 0x50000000, K4, false), 0);

	uint64_t hpa, size;
	bool w;
	CHECK_EQ(translate(&sl, 3, 0x101234, &hpa, &w, &size), 0);
	CHECK_EQ(hpa, 0x40001234);
	CHECK(w);
	CHECK_EQ(size, K4);
	CHECK_EQ(translate(&sl, 3, 0x200000, &hpa, &w, &size), 0);
	CHECK_EQ(hpa, 0x50000000);
	CHECK(!w);
	CHECK_EQ(translate(&sl, 3, 0x102000, &hpa, &w, &size), -1);
	CHECK_EQ(translate(&sl, 3, 0, &hpa, &w, &size), -1);
}

TEST(empty_table_blocks_everything)
{
	struct ept sl = fresh(3, false);
	uint64_t hpa, size;
	bool w;
	for (uint64_t a = 0; a < (1ull << 39); a += 1ull << 30)
		CHECK_EQ(translate(&sl, 3, a, &hpa, &w, &size), -1);
	sl = fresh(4, false);
	CHECK_EQ(sl.tables, 1);
	CHECK_EQ(vtd_sl_root(&sl, 4), sl.root);
	CHECK_EQ(translate(&sl, 4, 0x1000, &hpa, &w, &size), -1);
}

TEST(address_width_limits)
{
	struct ept sl = fresh(3, false);
	CHECK_EQ(vtd_sl_limit(3), 1ull << 39);
	CHECK_EQ(vtd_sl_limit(4), 1ull << 48);
	CHECK_EQ(vtd_sl_map(&sl, 3, (1ull << 39) - K4, 0x1000, 2 * K4, true), -BH_EINVAL);
	CHECK_EQ(vtd_sl_map(&sl, 3, 1ull << 39, 0x1000, K4, true), -BH_EINVAL);
	CHECK_EQ(vtd_sl_map(&sl, 3, (1ull << 39) - K4, 0x1000, K4, true), 0);
	uint64_t hpa, size;
	bool w;
	CHECK_EQ(translate(&sl, 3, (1ull << 39) - 1, &hpa, &w, &size), 0);
	CHECK_EQ(hpa, 0x1fff);

	sl = fresh(4, false);
	CHECK_EQ(vtd_sl_map(&sl, 4, 1ull << 40, 0x1000, K4, false), 0);
	CHECK_EQ(translate(&sl, 4, 1ull << 40, &hpa, &w, &size), 0);
	CHECK_EQ(hpa, 0x1000);
	CHECK_EQ(vtd_sl_init(&sl, &env, 5, false), -BH_EINVAL);
}

TEST(large_leaves_where_aligned)
{
	struct ept sl = fresh(3, true);
	CHECK_EQ(vtd_sl_map(&sl, 3, 0x200000, 0x40200000, M2 + K4, true), 0);
	uint64_t hpa, size;
	bool w;
	CHECK_EQ(translate(&sl, 3, 0x300000, &hpa, &w, &size), 0);
	CHECK_EQ(size, M2);
	CHECK_EQ(hpa, 0x40300000);
	CHECK_EQ(translate(&sl, 3, 0x400000, &hpa, &w, &size), 0);
	CHECK_EQ(size, K4);
	/* Without large leaves the same map is all 4 KiB pages. */
	sl = fresh(3, false);
	CHECK_EQ(vtd_sl_map(&sl, 3, 0x200000, 0x40200000, M2, true), 0);
	CHECK_EQ(translate(&sl, 3, 0x300000, &hpa, &w, &size), 0);
	CHECK_EQ(size, K4);
}

TEST(overlap_and_memory_errors_change_nothing)
{
	struct ept sl = fresh(3, false);
	CHECK_EQ(vtd_sl_map(&sl, 3, 0x1000, 0x9000, K4, true), 0);
	CHECK_EQ(vtd_sl_map(&sl, 3, 0, 0x8000, 2 * K4, true), -BH_EEXIST);
	uint64_t hpa, size;
	bool w;
	CHECK_EQ(translate(&sl, 3, 0, &hpa, &w, &size), -1);

	limit_frames = handed_out;             /* no frame left for a new table */
	CHECK_EQ(vtd_sl_map(&sl, 3, 1ull << 30, 0x8000, K4, true), -BH_ENOMEM);
	CHECK_EQ(translate(&sl, 3, 1ull << 30, &hpa, &w, &size), -1);

	handed_out = 0;
	limit_frames = 1;                      /* the 4-level root, not the 3-level one */
	CHECK_EQ(vtd_sl_init(&sl, &env, 3, false), -BH_ENOMEM);
	CHECK_EQ(sl.tables, 0);
	CHECK_EQ(sl.root, 0);
}
