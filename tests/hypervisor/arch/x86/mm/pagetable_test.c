/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Host tests of hypervisor/arch/x86/mm/pagetable.c on a fake physical
 * memory: NFRAMES 4 KiB frames starting at physical address FAKE_BASE.
 */
#include "check.h"

#include <stdlib.h>

#include <bulkhead/errno.h>

#include "arch/x86/mm/pagetable.h"
#include "pt_inspect.h"

#define FAKE_BASE 0x7f000000ull
#define NFRAMES   64
#define K4 0x1000ull
#define M2 0x200000ull
#define G1 0x40000000ull


struct fake {
	uint8_t *mem;
	unsigned used;
	unsigned fail_after;   /* allocations that succeed before they fail */
};

static uint64_t fake_alloc(void *ctx)
{
	struct fake *f = ctx;
	if (f->used == NFRAMES || f->fail_after == 0)
		return 0;
	f->fail_after--;
	/* Dirty frames: the builder must not rely on the allocator zeroing. */
	memset(f->mem + f->used * K4, 0x5a, K4);
	return FAKE_BASE + K4 * f->used++;
}

static void *fake_virt(void *ctx, uint64_t phys)
{
	struct fake *f = ctx;
	CHECK(phys >= FAKE_BASE && phys < FAKE_BASE + NFRAMES * K4);
	CHECK_EQ(phys % K4, 0);
	return f->mem + (phys - FAKE_BASE);
}

static void fake_setup(struct fake *f, struct page_table *pt)
{
	f->mem = calloc(NFRAMES, K4);
	f->used = 0;
	f->fail_after = ~0u;
	struct pt_env env = { .alloc_table = fake_alloc, .phys_to_virt = fake_virt, .ctx = f };
	CHECK_EQ(pt_init(pt, &env), 0);
}

/* Independent walker: the raw entry for virt at level (4 = PML4 ... 1 = PT). */
static uint64_t raw(struct fake *f, const struct page_table *pt, uint64_t virt, int level)
{
	uint64_t table = pt->root;
	for (int l = 4; ; l--) {
		uint64_t *t = fake_virt(f, table);
		uint64_t e = t[(virt >> (12 + 9 * (l - 1))) & 511];
		if (l == level)
			return e;
		CHECK(e & E_P);
		CHECK(!(e & E_PS));
		table = e & E_ADDR;
	}
}

TEST(init_allocates_a_zeroed_root)
{
	struct fake f;
	struct page_table pt;
	fake_setup(&f, &pt);
	CHECK_EQ(pt.root, FAKE_BASE);
	CHECK_EQ(pt.tables, 1);
	uint64_t *t = fake_virt(&f, pt.root);
	for (int i = 0; i < 512; i++)
		CHECK_EQ(t[i], 0);
	CHECK_EQ(pt_inspect(&pt, 0, NULL, NULL, NULL), -BH_ENOENT);

	struct fake g = { .mem = f.mem, .used = 0, .fail_after = 0 };
	struct pt_env env = { .alloc_table = fake_alloc, .phys_to_virt = fake_virt, .ctx = &g };
	struct page_table pt2;
	CHECK_EQ(pt_init(&pt2, &env), -BH_ENOMEM);
	free(f.mem);
}

TEST(aligned_range_uses_2m_pages)
{
	struct fake f;
	struct page_table pt;
	fake_setup(&f, &pt);
	CHECK_EQ(pt_map(&pt, 0x40000000, 0x80000000, 2 * M2, PT_WRITE), 0);
	CHECK_EQ(pt.tables, 3);   /* PML4, PDPT, PD: no page tables */
	uint64_t pde = raw(&f, &pt, 0x40000000, 2);
	CHECK_EQ(pde, 0x80000000 | E_P | E_RW | E_PS | E_XD);
	CHECK_EQ(raw(&f, &pt, 0x40200000, 2), 0x80200000 | E_P | E_RW | E_PS | E_XD);
	CHECK_EQ(raw(&f, &pt, 0x40400000, 2), 0);

	uint64_t phys, size;
	unsigned flags;
	CHECK_EQ(pt_inspect(&pt, 0x40212345, &phys, &flags, &size), 0);
	CHECK_EQ(phys, 0x80212345);
	CHECK_EQ(flags, PT_WRITE);
	CHECK_EQ(size, M2);
	CHECK_EQ(pt_inspect(&pt, 0x40400000, &phys, &flags, &size), -BH_ENOENT);
	CHECK_EQ(pt_inspect(&pt, 0x3ffff000, &phys, &flags, &size), -BH_ENOENT);
	free(f.mem);
}

TEST(misaligned_or_small_ranges_use_4k_pages)
{
	struct fake f;
	struct page_table pt;
	fake_setup(&f, &pt);
	/* phys not 2 MiB aligned: all 4 KiB. */
	CHECK_EQ(pt_map(&pt, 0x200000, 0x1001000, 2 * M2, PT_WRITE), 0);
	CHECK_EQ(pt.tables, 5);   /* PML4, PDPT, PD, 2 PTs */
	CHECK_EQ(raw(&f, &pt, 0x200000, 1), 0x1001000 | E_P | E_RW | E_XD);
	CHECK_EQ(raw(&f, &pt, 0x5ff000, 1), 0x1400000 | E_P | E_RW | E_XD);

	/* Range straddling a 2 MiB boundary: 4K head, 2M middle, 4K tail. */
	CHECK_EQ(pt_map(&pt, 0x1ff000 + G1, 0x1ff000, M2 + 2 * K4, PT_EXEC), 0);
	uint64_t phys, size;
	CHECK_EQ(pt_inspect(&pt, 0x1ff000 + G1, &phys, NULL, &size), 0);
	CHECK_EQ(size, K4);
	CHECK_EQ(phys, 0x1ff000);
	CHECK_EQ(pt_inspect(&pt, 0x300000 + G1, &phys, NULL, &size), 0);
	CHECK_EQ(size, M2);
	CHECK_EQ(phys, 0x300000);
	CHECK_EQ(pt_inspect(&pt, 0x400000 + G1, &phys, NULL, &size), 0);
	CHECK_EQ(size, K4);
	CHECK_EQ(phys, 0x400000);
	CHECK_EQ(pt_inspect(&pt, 0x401000 + G1, &phys, NULL, &size), -BH_ENOENT);

	/* PT_NO_LARGE forces 4 KiB even when everything is aligned. */
	CHECK_EQ(pt_map(&pt, 2 * G1, 0x600000, M2, PT_NO_LARGE), 0);
	CHECK_EQ(pt_inspect(&pt, 2 * G1 + 0x1ff000, &phys, NULL, &size), 0);
	CHECK_EQ(size, K4);
	CHECK_EQ(phys, 0x7ff000);
	free(f.mem);
}

TEST(existing_page_table_keeps_4k_pages)
{
	struct fake f;
	struct page_table pt;
	fake_setup(&f, &pt);
	CHECK_EQ(pt_map(&pt, 0x600000, 0x600000, K4, 0), 0);
	/* Clear the PTE by hand: the PD now points to an empty page table. */
	uint64_t pde = raw(&f, &pt, 0x600000, 2);
	uint64_t *ptab = fake_virt(&f, pde & E_ADDR);
	ptab[0] = 0;
	uint64_t tables = pt.tables;
	CHECK_EQ(pt_map(&pt, 0x600000, 0x600000, M2, 0), 0);
	CHECK_EQ(pt.tables, tables);
	CHECK_EQ(raw(&f, &pt, 0x600000, 2), pde);   /* still the same table */
	uint64_t size;
	CHECK_EQ(pt_inspect(&pt, 0x7ff000, NULL, NULL, &size), 0);
	CHECK_EQ(size, K4);
	free(f.mem);
}

TEST(leaf_bits_follow_w_xor_x_and_caching)
{
	struct fake f;
	struct page_table pt;
	fake_setup(&f, &pt);
	CHECK_EQ(pt_map(&pt, 0x10000, 0x10000, K4, 0), 0);                       /* r-- */
	CHECK_EQ(pt_map(&pt, 0x11000, 0x11000, K4, PT_WRITE), 0);                /* rw- */
	CHECK_EQ(pt_map(&pt, 0x12000, 0x12000, K4, PT_EXEC), 0);                 /* r-x */
	CHECK_EQ(pt_map(&pt, 0x13000, 0xfee00000, K4, PT_WRITE | PT_UNCACHED), 0);
	CHECK_EQ(pt_map(&pt, 0x400000, 0xc0000000, M2, PT_WRITE | PT_UNCACHED), 0);

	CHECK_EQ(raw(&f, &pt, 0x10000, 1), 0x10000 | E_P | E_XD);
	CHECK_EQ(raw(&f, &pt, 0x11000, 1), 0x11000 | E_P | E_RW | E_XD);
	CHECK_EQ(raw(&f, &pt, 0x12000, 1), 0x12000 | E_P);
	CHECK_EQ(raw(&f, &pt, 0x13000, 1), 0xfee00000 | E_P | E_RW | E_XD | E_PCD | E_PWT);
	CHECK_EQ(raw(&f, &pt, 0x400000, 2),
	         0xc0000000 | E_P | E_RW | E_XD | E_PCD | E_PWT | E_PS);

	/* Intermediate entries: present + writable, never XD or user. */
	uint64_t pml4e = raw(&f, &pt, 0x10000, 4);
	uint64_t pdpte = raw(&f, &pt, 0x10000, 3);
	uint64_t pde = raw(&f, &pt, 0x10000, 2);
	CHECK_EQ(pml4e & ~E_ADDR, E_P | E_RW);
	CHECK_EQ(pdpte & ~E_ADDR, E_P | E_RW);
	CHECK_EQ(pde & ~E_ADDR, E_P | E_RW);
	CHECK(!(raw(&f, &pt, 0x12000, 1) & E_US));

	unsigned flags;
	CHECK_EQ(pt_inspect(&pt, 0x10000, NULL, &flags, NULL), 0);
	CHECK_EQ(flags, 0);
	CHECK_EQ(pt_inspect(&pt, 0x11000, NULL, &flags, NULL), 0);
	CHECK_EQ(flags, PT_WRITE);
	CHECK_EQ(pt_inspect(&pt, 0x12fff, NULL, &flags, NULL), 0);
	CHECK_EQ(flags, PT_EXEC);
	CHECK_EQ(pt_inspect(&pt, 0x13000, NULL, &flags, NULL), 0);
	CHECK_EQ(flags, PT_WRITE | PT_UNCACHED);
	CHECK_EQ(pt_inspect(&pt, 0x5fffff, NULL, &flags, NULL), 0);
	CHECK_EQ(flags, PT_WRITE | PT_UNCACHED);
	free(f.mem);
}

TEST(eexist_changes_nothing)
{
	struct fake f;
	struct page_table pt;
	fake_setup(&f, &pt);
	CHECK_EQ(pt_map(&pt, 0x805000, 0x805000, K4, PT_WRITE), 0);   /* 4K island */
	CHECK_EQ(pt_map(&pt, 0xc00000, 0xc00000, M2, PT_WRITE), 0);   /* 2M page */

	uint8_t *snap = malloc(NFRAMES * K4);
	memcpy(snap, f.mem, NFRAMES * K4);
	uint64_t tables = pt.tables;
	unsigned used = f.used;

	/* The existing page lies at the end of the range: nothing before it may appear. */
	CHECK_EQ(pt_map(&pt, 0x600000, 0x600000, 0x206000, PT_WRITE), -BH_EEXIST);
	/* Overlap with the 2 MiB page, in its middle. */
	CHECK_EQ(pt_map(&pt, 0xb00000, 0x100000, M2, 0), -BH_EEXIST);
	/* A 4 KiB-only range whose last page is the island. */
	CHECK_EQ(pt_map(&pt, 0x800000, 0x800000, 6 * K4, PT_NO_LARGE), -BH_EEXIST);
	CHECK_EQ(pt_map(&pt, 0xdff000, 0x0, K4, 0), -BH_EEXIST);

	CHECK(memcmp(snap, f.mem, NFRAMES * K4) == 0);
	CHECK_EQ(pt.tables, tables);
	CHECK_EQ(f.used, used);
	CHECK_EQ(pt_inspect(&pt, 0x600000, NULL, NULL, NULL), -BH_ENOENT);
	CHECK_EQ(pt_inspect(&pt, 0x800000, NULL, NULL, NULL), -BH_ENOENT);

	/* Right next to the existing pages is fine. */
	CHECK_EQ(pt_map(&pt, 0x800000, 0x800000, 5 * K4, 0), 0);
	CHECK_EQ(pt_map(&pt, 0xe00000, 0xe00000, K4, 0), 0);
	free(snap);
	free(f.mem);
}

TEST(bad_arguments_are_einval)
{
	struct fake f;
	struct page_table pt;
	fake_setup(&f, &pt);
	uint8_t *snap = malloc(NFRAMES * K4);
	memcpy(snap, f.mem, NFRAMES * K4);

	CHECK_EQ(pt_map(&pt, 0x1800, 0x2000, K4, 0), -BH_EINVAL);            /* virt */
	CHECK_EQ(pt_map(&pt, 0x1000, 0x2800, K4, 0), -BH_EINVAL);            /* phys */
	CHECK_EQ(pt_map(&pt, 0x1000, 0x2000, 0x800, 0), -BH_EINVAL);         /* size */
	CHECK_EQ(pt_map(&pt, 0x1000, 0x2000, 0, 0), -BH_EINVAL);             /* empty */
	CHECK_EQ(pt_map(&pt, 0x1000, 0x2000, K4, 1u << 7), -BH_EINVAL);      /* flags */
	CHECK_EQ(pt_map(&pt, 0x0000800000000000ull, 0, K4, 0), -BH_EINVAL); /* non-canonical */
	CHECK_EQ(pt_map(&pt, 0xffff7ffffffff000ull, 0, K4, 0), -BH_EINVAL);
	CHECK_EQ(pt_map(&pt, 0x00007ffffffff000ull, 0, 2 * K4, 0), -BH_EINVAL); /* runs into the hole */
	CHECK_EQ(pt_map(&pt, 0xfffffffffffff000ull, 0, 2 * K4, 0), -BH_EINVAL); /* wraps */
	CHECK_EQ(pt_map(&pt, 0x1000, 1ull << 52, K4, 0), -BH_EINVAL);        /* phys too big */
	CHECK_EQ(pt_map(&pt, 0x1000, (1ull << 52) - K4, 2 * K4, 0), -BH_EINVAL);
	CHECK_EQ(pt_map(&pt, 0x1000, 0xfffffffffffff000ull, 2 * K4, 0), -BH_EINVAL);
	CHECK(memcmp(snap, f.mem, NFRAMES * K4) == 0);
	CHECK_EQ(pt.tables, 1);

	/* The edges that are allowed. */
	CHECK_EQ(pt_map(&pt, 0xfffffffffffff000ull, (1ull << 52) - K4, K4, 0), 0);
	CHECK_EQ(pt_map(&pt, 0x00007ffffffff000ull, 0, K4, 0), 0);
	CHECK_EQ(pt_map(&pt, 0xffff800000000000ull, 0, K4, 0), 0);
	uint64_t phys;
	CHECK_EQ(pt_inspect(&pt, 0xffffffffffffffffull, &phys, NULL, NULL), 0);
	CHECK_EQ(phys, (1ull << 52) - 1);
	CHECK_EQ(pt_inspect(&pt, 0xffff800000000abcull, &phys, NULL, NULL), 0);
	CHECK_EQ(phys, 0xabc);
	CHECK_EQ(pt_inspect(&pt, 0x0000800000000000ull, &phys, NULL, NULL), -BH_ENOENT);
	free(snap);
	free(f.mem);
}

TEST(out_of_tables_is_enomem)
{
	struct fake f;
	struct page_table pt;
	fake_setup(&f, &pt);
	f.fail_after = 2;   /* PDPT and PD, but no page table */
	CHECK_EQ(pt_map(&pt, 0x1000, 0x1000, K4, 0), -BH_ENOMEM);
	CHECK_EQ(pt.tables, 3);
	CHECK_EQ(pt_inspect(&pt, 0x1000, NULL, NULL, NULL), -BH_ENOENT);
	/* A 2 MiB page needs no page table, so it still works. */
	CHECK_EQ(pt_map(&pt, 0x200000, 0x200000, M2, 0), 0);
	f.fail_after = 1;
	CHECK_EQ(pt_map(&pt, 0x1000, 0x1000, 2 * K4, 0), 0);
	CHECK_EQ(pt.tables, 4);
	free(f.mem);
}

TEST(lookup_with_null_outputs_and_many_pages)
{
	struct fake f;
	struct page_table pt;
	fake_setup(&f, &pt);
	/* 8 MiB + 12 KiB: 3 small pages, then 2 MiB pages across a 1 GiB line. */
	uint64_t v = 0x3fe00000 - 3 * K4, p = 0x10000000 - 3 * K4, size = 4 * M2 + 3 * K4;
	CHECK_EQ(pt_map(&pt, v, p, size, PT_WRITE), 0);
	for (uint64_t off = 0; off < size; off += K4) {
		uint64_t phys;
		CHECK_EQ(pt_inspect(&pt, v + off + 7, &phys, NULL, NULL), 0);
		CHECK_EQ(phys, p + off + 7);
	}
	CHECK_EQ(pt_inspect(&pt, v - 1, NULL, NULL, NULL), -BH_ENOENT);
	CHECK_EQ(pt_inspect(&pt, v + size, NULL, NULL, NULL), -BH_ENOENT);
	uint64_t size_at;
	CHECK_EQ(pt_inspect(&pt, v, NULL, NULL, &size_at), 0);
	CHECK_EQ(size_at, K4);
	CHECK_EQ(pt_inspect(&pt, 0x40000000, NULL, NULL, &size_at), 0);
	CHECK_EQ(size_at, M2);
	free(f.mem);
}
