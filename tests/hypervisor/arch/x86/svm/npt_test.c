/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Host tests of nested page tables: the EPT builder (mm/ept.c) with the
 * NPT entry format (svm/npt.c), on a fake physical memory. The tables are
 * read back as an x86-64 page table by pt_inspect (the SDM's walk, not the
 * builder's) and entry by entry for the bits only NPT needs (U/S on every
 * level).
 */
#include "check.h"

#include <bulkhead/errno.h>

#include "arch/x86/svm/npt.h"
#include "pt_inspect.h"

#define FAKE_BASE 0x7f000000ull
#define NFRAMES   32
#define K4 0x1000ull
#define M2 0x200000ull


static uint8_t memory[NFRAMES * K4] __attribute__((aligned(4096)));
static unsigned handed_out, taken_back;

static uint64_t bump_alloc(void *ctx)
{
	(void)ctx;
	return handed_out < NFRAMES ? FAKE_BASE + K4 * handed_out++ : 0;
}

static void *to_virt(void *ctx, uint64_t phys)
{
	(void)ctx;
	return memory + (phys - FAKE_BASE);
}

static void take_back(void *ctx, uint64_t phys)
{
	(void)ctx; (void)phys;
	taken_back++;
}

static struct ept fresh_npt(void)
{
	const struct ept_env env = { bump_alloc, to_virt, take_back, NULL };
	struct ept npt;
	handed_out = taken_back = 0;
	CHECK_EQ(ept_init_format(&npt, &env, true, &npt_format), 0);
	return npt;
}

/* The NPT read as the x86-64 page table it is. */
static int inspect(const struct ept *npt, uint64_t gpa, uint64_t *hpa, unsigned *flags,
                   uint64_t *size)
{
	struct page_table pt = {
		.root = npt->root,
		.env = { .alloc_table = bump_alloc, .phys_to_virt = to_virt, .ctx = NULL },
	};
	return pt_inspect(&pt, gpa, hpa, flags, size);
}

/* The entries a walk of gpa meets, root first; returns how many. */
static int entries(const struct ept *npt, uint64_t gpa, uint64_t out[4])
{
	uint64_t table = npt->root;
	for (int level = 4, n = 0; level >= 1; level--) {
		uint64_t e = ((uint64_t *)to_virt(NULL, table))[(gpa >> (12 + 9 * (level - 1))) & 511];
		out[n++] = e;
		if (!(e & E_P) || level == 1 || (e & E_PS))
			return n;
		table = e & E_ADDR;
	}
	return 0;
}

TEST(ram_is_mapped_with_2m_leaves_user_accessible_at_every_level)
{
	struct ept npt = fresh_npt();
	CHECK_EQ(ept_map(&npt, 0, 0x40000000, 4 * M2, EPT_READ | EPT_WRITE | EPT_EXEC), 0);
	uint64_t hpa, size;
	unsigned flags;
	CHECK_EQ(inspect(&npt, 0x201234, &hpa, &flags, &size), 0);
	CHECK_EQ(hpa, 0x40201234);
	CHECK_EQ(flags, PT_WRITE | PT_EXEC);
	CHECK_EQ(size, M2);
	uint64_t e[4];
	CHECK_EQ(entries(&npt, 0x201234, e), 3);
	for (int i = 0; i < 3; i++)
		CHECK_EQ(e[i] & (E_P | E_RW | E_US), E_P | E_RW | E_US);
	CHECK_EQ(e[2] & (E_PS | E_XD | E_PCD | E_PWT), E_PS);   /* write-back, executable */
	CHECK_EQ(inspect(&npt, 4 * M2, NULL, NULL, NULL), -BH_ENOENT);
}

TEST(read_only_views_are_not_writable_nor_executable)
{
	struct ept npt = fresh_npt();
	CHECK_EQ(ept_map(&npt, 0x10000000, 0x50000000, K4, EPT_READ), 0);
	unsigned flags;
	uint64_t size;
	CHECK_EQ(inspect(&npt, 0x10000000, NULL, &flags, &size), 0);
	CHECK_EQ(flags, 0);
	CHECK_EQ(size, K4);
	uint64_t e[4];
	CHECK_EQ(entries(&npt, 0x10000000, e), 4);
	CHECK_EQ(e[3] & (E_P | E_RW | E_US | E_XD), E_P | E_US | E_XD);
}

TEST(uncached_mappings_are_pcd_pwt)
{
	struct ept npt = fresh_npt();
	CHECK_EQ(ept_map(&npt, 0xfe000000, 0xfe000000, K4, EPT_READ | EPT_WRITE | EPT_UNCACHED), 0);
	unsigned flags;
	CHECK_EQ(inspect(&npt, 0xfe000000, NULL, &flags, NULL), 0);
	CHECK_EQ(flags, PT_WRITE | PT_UNCACHED);
}

TEST(unmap_splits_and_destroy_returns_every_table)
{
	struct ept npt = fresh_npt();
	CHECK_EQ(ept_map(&npt, 0, 0x40000000, 2 * M2, EPT_READ | EPT_WRITE), 0);
	CHECK_EQ(ept_unmap(&npt, M2 + K4, K4), 0);
	CHECK_EQ(inspect(&npt, M2 + K4, NULL, NULL, NULL), -BH_ENOENT);
	uint64_t hpa, size;
	CHECK_EQ(inspect(&npt, M2 + 2 * K4, &hpa, NULL, &size), 0);
	CHECK_EQ(hpa, 0x40000000 + M2 + 2 * K4);
	CHECK_EQ(size, K4);
	uint64_t held = npt.tables;
	ept_destroy(&npt);
	CHECK_EQ(taken_back, held);
	CHECK_EQ(npt.tables, 0);
}
