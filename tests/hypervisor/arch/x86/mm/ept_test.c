/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Host tests of hypervisor/arch/x86/mm/ept.c on a fake physical memory:
 * NFRAMES 4 KiB frames from FAKE_BASE, handed out and taken back by a
 * tracking allocator that fails the test on a double or foreign free.
 */
#include "check.h"

#include <stdlib.h>

#include <bulkhead/errno.h>

#include "arch/x86/mm/ept.h"
#include "pt_inspect.h"

#define FAKE_BASE 0x7f000000ull
#define NFRAMES   64
#define K4 0x1000ull
#define M2 0x200000ull
#define G1 0x40000000ull

#define E_R    (1ull << 0)
#define E_W    (1ull << 1)
#define E_X    (1ull << 2)
#define E_WB   (6ull << 3)
#define E_IPAT (1ull << 6)
#define E_BIG  (1ull << 7)
#define E_ADDR 0x000ffffffffff000ull
#define E_RWX  (E_R | E_W | E_X)

struct fake {
	uint8_t *mem;
	bool held[NFRAMES];
	unsigned allocs, frees;
	unsigned fail_after;   /* allocations that succeed before they fail */
};

static uint64_t fake_alloc(void *ctx)
{
	struct fake *f = ctx;
	if (f->fail_after == 0)
		return 0;
	for (unsigned i = 0; i < NFRAMES; i++) {
		if (!f->held[i]) {
			f->fail_after--;
			f->held[i] = true;
			f->allocs++;
			/* Dirty frames: the builder must not rely on the allocator zeroing. */
			memset(f->mem + i * K4, 0x5a, K4);
			return FAKE_BASE + i * K4;
		}
	}
	return 0;
}

static unsigned frame_of(uint64_t phys)
{
	CHECK(phys >= FAKE_BASE && phys < FAKE_BASE + NFRAMES * K4);
	CHECK_EQ(phys % K4, 0);
	return (unsigned)((phys - FAKE_BASE) / K4);
}

static void *fake_virt(void *ctx, uint64_t phys)
{
	struct fake *f = ctx;
	unsigned i = frame_of(phys);
	CHECK(f->held[i]);   /* a freed table must never be walked */
	return f->mem + i * K4;
}

static void fake_free(void *ctx, uint64_t phys)
{
	struct fake *f = ctx;
	unsigned i = frame_of(phys);
	CHECK(f->held[i]);
	f->held[i] = false;
	f->frees++;
	memset(f->mem + i * K4, 0x6b, K4);
}

static void fake_setup(struct fake *f, struct ept *ept, bool large)
{
	*f = (struct fake){ .mem = calloc(NFRAMES, K4), .fail_after = ~0u };
	struct ept_env env = { .alloc_table = fake_alloc, .phys_to_virt = fake_virt,
	                       .free_table = fake_free, .ctx = f };
	CHECK_EQ(ept_init(ept, &env, large), 0);
}

/* Destroys the EPT and checks every frame it took came back. */
static void fake_teardown(struct fake *f, struct ept *ept)
{
	ept_destroy(ept);
	CHECK_EQ(ept->tables, 0);
	CHECK_EQ(ept->root, 0);
	CHECK_EQ(f->frees, f->allocs);
	for (unsigned i = 0; i < NFRAMES; i++)
		CHECK(!f->held[i]);
	free(f->mem);
}

/* Independent walker: the raw entry for gpa at level (4 = PML4 ... 1 = PT). */
static uint64_t raw(struct fake *f, const struct ept *ept, uint64_t gpa, int level)
{
	uint64_t table = ept->root;
	for (int l = 4; ; l--) {
		uint64_t *t = fake_virt(f, table);
		uint64_t e = t[(gpa >> (12 + 9 * (l - 1))) & 511];
		if (l == level)
			return e;
		CHECK_EQ(e & ~E_ADDR, E_RWX);   /* a table pointer, nothing else */
		table = e & E_ADDR;
	}
}

static void check_maps(const struct ept *ept, uint64_t gpa, uint64_t hpa,
                       unsigned flags, uint64_t size)
{
	uint64_t got_hpa, got_size;
	unsigned got_flags;
	CHECK_EQ(ept_inspect(ept, gpa, &got_hpa, &got_flags, &got_size), 0);
	CHECK_EQ(got_hpa, hpa);
	CHECK_EQ(got_flags, flags);
	CHECK_EQ(got_size, size);
}

TEST(init_and_eptp)
{
	struct fake f;
	struct ept ept;
	fake_setup(&f, &ept, true);
	CHECK_EQ(ept.root, FAKE_BASE);
	CHECK_EQ(ept.tables, 1);
	uint64_t *t = fake_virt(&f, ept.root);
	for (int i = 0; i < 512; i++)
		CHECK_EQ(t[i], 0);
	/* WB (6) in 2:0, walk length 4 encoded 3 in 5:3, no A/D, root in 51:12. */
	CHECK_EQ(ept_eptp(&ept), FAKE_BASE | 0x1e);
	CHECK_EQ(ept_inspect(&ept, 0, NULL, NULL, NULL), -BH_ENOENT);

	struct ept e2;
	struct ept_env env = { .alloc_table = fake_alloc, .phys_to_virt = fake_virt,
	                       .free_table = NULL, .ctx = &f };
	CHECK_EQ(ept_init(&e2, &env, true), -BH_EINVAL);
	env.free_table = fake_free;
	f.fail_after = 0;
	CHECK_EQ(ept_init(&e2, &env, true), -BH_ENOMEM);
	CHECK_EQ(e2.tables, 0);
	ept_destroy(&e2);   /* nothing to free, must not walk */
	fake_teardown(&f, &ept);
}

TEST(ram_uses_2m_leaves_write_back_ignoring_pat)
{
	struct fake f;
	struct ept ept;
	fake_setup(&f, &ept, true);
	CHECK_EQ(ept_map(&ept, 0x40000000, 0x80000000, 2 * M2,
	                 EPT_READ | EPT_WRITE | EPT_EXEC), 0);
	CHECK_EQ(ept.tables, 3);   /* PML4, PDPT, PD */
	CHECK_EQ(raw(&f, &ept, 0x40000000, 2), 0x80000000 | E_RWX | E_WB | E_IPAT | E_BIG);
	CHECK_EQ(raw(&f, &ept, 0x40200000, 2), 0x80200000 | E_RWX | E_WB | E_IPAT | E_BIG);
	CHECK_EQ(raw(&f, &ept, 0x40400000, 2), 0);
	check_maps(&ept, 0x40212345, 0x80212345, EPT_READ | EPT_WRITE | EPT_EXEC, M2);
	CHECK_EQ(ept_inspect(&ept, 0x40400000, NULL, NULL, NULL), -BH_ENOENT);
	CHECK_EQ(ept_inspect(&ept, 0x3ffff000, NULL, NULL, NULL), -BH_ENOENT);
	fake_teardown(&f, &ept);
}

TEST(leaf_bits_for_rights_and_mmio)
{
	struct fake f;
	struct ept ept;
	fake_setup(&f, &ept, true);
	CHECK_EQ(ept_map(&ept, 0x10000, 0x110000, K4, EPT_READ), 0);
	CHECK_EQ(ept_map(&ept, 0x11000, 0x111000, K4, EPT_READ | EPT_WRITE), 0);
	CHECK_EQ(ept_map(&ept, 0x12000, 0x112000, K4, EPT_READ | EPT_EXEC), 0);
	CHECK_EQ(ept_map(&ept, 0xfee00000, 0xfee00000, K4,
	                 EPT_READ | EPT_WRITE | EPT_UNCACHED), 0);
	CHECK_EQ(ept_map(&ept, 0xc0000000, 0xd0000000, M2,
	                 EPT_READ | EPT_WRITE | EPT_UNCACHED), 0);

	CHECK_EQ(raw(&f, &ept, 0x10000, 1), 0x110000 | E_R | E_WB | E_IPAT);
	CHECK_EQ(raw(&f, &ept, 0x11000, 1), 0x111000 | E_R | E_W | E_WB | E_IPAT);
	CHECK_EQ(raw(&f, &ept, 0x12000, 1), 0x112000 | E_R | E_X | E_WB | E_IPAT);
	/* UC is memory type 0, and the guest's PAT still applies (no IPAT). */
	CHECK_EQ(raw(&f, &ept, 0xfee00000, 1), 0xfee00000 | E_R | E_W);
	CHECK_EQ(raw(&f, &ept, 0xc0000000, 2), 0xd0000000 | E_R | E_W | E_BIG);

	check_maps(&ept, 0x10fff, 0x110fff, EPT_READ, K4);
	check_maps(&ept, 0x11000, 0x111000, EPT_READ | EPT_WRITE, K4);
	check_maps(&ept, 0x12800, 0x112800, EPT_READ | EPT_EXEC, K4);
	check_maps(&ept, 0xfee00030, 0xfee00030, EPT_READ | EPT_WRITE | EPT_UNCACHED, K4);
	check_maps(&ept, 0xc01fffff, 0xd01fffff, EPT_READ | EPT_WRITE | EPT_UNCACHED, M2);
	fake_teardown(&f, &ept);
}

TEST(no_large_pages_when_cpu_or_caller_says_so)
{
	struct fake f;
	struct ept ept;
	fake_setup(&f, &ept, false);   /* CPU without 2 MiB EPT leaves */
	CHECK_EQ(ept_map(&ept, 0, 0, M2, EPT_READ), 0);
	CHECK_EQ(ept.tables, 4);
	check_maps(&ept, 0x1ff000, 0x1ff000, EPT_READ, K4);
	fake_teardown(&f, &ept);

	fake_setup(&f, &ept, true);
	CHECK_EQ(ept_map(&ept, 0, 0, M2, EPT_READ | EPT_NO_LARGE), 0);
	check_maps(&ept, 0x1ff000, 0x1ff000, EPT_READ, K4);
	/* Misaligned host address: 4 KiB leaves although gpa and size allow 2 MiB. */
	CHECK_EQ(ept_map(&ept, M2, M2 + K4, M2, EPT_READ), 0);
	check_maps(&ept, M2, M2 + K4, EPT_READ, K4);
	fake_teardown(&f, &ept);
}

TEST(eexist_changes_nothing)
{
	struct fake f;
	struct ept ept;
	fake_setup(&f, &ept, true);
	CHECK_EQ(ept_map(&ept, 0x805000, 0x805000, K4, EPT_READ), 0);
	CHECK_EQ(ept_map(&ept, 0xc00000, 0xc00000, M2, EPT_READ), 0);
	uint8_t *snap = malloc(NFRAMES * K4);
	memcpy(snap, f.mem, NFRAMES * K4);
	uint64_t tables = ept.tables;
	unsigned allocs = f.allocs;

	CHECK_EQ(ept_map(&ept, 0x600000, 0x600000, 0x206000, EPT_READ), -BH_EEXIST);
	CHECK_EQ(ept_map(&ept, 0xb00000, 0x100000, M2, EPT_READ), -BH_EEXIST);
	CHECK_EQ(ept_map(&ept, 0xdff000, 0, K4, EPT_READ), -BH_EEXIST);
	CHECK(memcmp(snap, f.mem, NFRAMES * K4) == 0);
	CHECK_EQ(ept.tables, tables);
	CHECK_EQ(f.allocs, allocs);
	CHECK_EQ(ept_map(&ept, 0x800000, 0x800000, 5 * K4, EPT_READ), 0);
	free(snap);
	fake_teardown(&f, &ept);
}

TEST(bad_arguments_are_einval)
{
	struct fake f;
	struct ept ept;
	fake_setup(&f, &ept, true);
	const unsigned R = EPT_READ;
	CHECK_EQ(ept_map(&ept, 0x1000, 0x2000, K4, EPT_WRITE), -BH_EINVAL);     /* no R */
	CHECK_EQ(ept_map(&ept, 0x1000, 0x2000, K4, EPT_EXEC), -BH_EINVAL);      /* exec-only */
	CHECK_EQ(ept_map(&ept, 0x1000, 0x2000, K4, R | (1u << 9)), -BH_EINVAL); /* flags */
	CHECK_EQ(ept_map(&ept, 0x1800, 0x2000, K4, R), -BH_EINVAL);
	CHECK_EQ(ept_map(&ept, 0x1000, 0x2800, K4, R), -BH_EINVAL);
	CHECK_EQ(ept_map(&ept, 0x1000, 0x2000, 0x800, R), -BH_EINVAL);
	CHECK_EQ(ept_map(&ept, 0x1000, 0x2000, 0, R), -BH_EINVAL);
	CHECK_EQ(ept_map(&ept, 1ull << 48, 0, K4, R), -BH_EINVAL);
	CHECK_EQ(ept_map(&ept, (1ull << 48) - K4, 0, 2 * K4, R), -BH_EINVAL);
	CHECK_EQ(ept_map(&ept, 0xfffffffffffff000ull, 0, 2 * K4, R), -BH_EINVAL);
	CHECK_EQ(ept_map(&ept, 0, 1ull << 52, K4, R), -BH_EINVAL);
	CHECK_EQ(ept_map(&ept, 0, 0xfffffffffffff000ull, 2 * K4, R), -BH_EINVAL);
	CHECK_EQ(ept_unmap(&ept, 0x1800, K4), -BH_EINVAL);
	CHECK_EQ(ept_unmap(&ept, 0x1000, 0), -BH_EINVAL);
	CHECK_EQ(ept_unmap(&ept, 0x1000, 0x800), -BH_EINVAL);
	CHECK_EQ(ept_unmap(&ept, (1ull << 48) - K4, 2 * K4), -BH_EINVAL);
	CHECK_EQ(ept_unmap(&ept, 0xfffffffffffff000ull, 2 * K4), -BH_EINVAL);
	CHECK_EQ(ept.tables, 1);

	/* The edges that are allowed. */
	CHECK_EQ(ept_map(&ept, (1ull << 48) - K4, (1ull << 52) - K4, K4, R), 0);
	check_maps(&ept, (1ull << 48) - 1, (1ull << 52) - 1, R, K4);
	CHECK_EQ(ept_inspect(&ept, 1ull << 48, NULL, NULL, NULL), -BH_ENOENT);
	CHECK_EQ(ept_inspect(&ept, ~0ull, NULL, NULL, NULL), -BH_ENOENT);
	CHECK_EQ(ept_unmap(&ept, (1ull << 48) - G1, G1), 0);
	CHECK_EQ(ept_inspect(&ept, (1ull << 48) - 1, NULL, NULL, NULL), -BH_ENOENT);
	fake_teardown(&f, &ept);
}

TEST(enomem_while_mapping_maps_nothing)
{
	struct fake f;
	struct ept ept;
	fake_setup(&f, &ept, true);
	/* 4K head (needs a PT), a 2 MiB leaf, 4K tail (needs a second PT). */
	f.fail_after = 3;   /* PDPT, PD, first PT */
	uint64_t gpa = 0x1ff000, size = M2 + 2 * K4;
	CHECK_EQ(ept_map(&ept, gpa, gpa, size, EPT_READ | EPT_WRITE), -BH_ENOMEM);
	CHECK_EQ(ept.tables, 4);
	for (uint64_t off = 0; off < size; off += K4)
		CHECK_EQ(ept_inspect(&ept, gpa + off, NULL, NULL, NULL), -BH_ENOENT);
	/* With memory again, the same call succeeds on the kept tables. */
	f.fail_after = ~0u;
	CHECK_EQ(ept_map(&ept, gpa, gpa, size, EPT_READ | EPT_WRITE), 0);
	CHECK_EQ(ept.tables, 5);
	check_maps(&ept, 0x200000, 0x200000, EPT_READ | EPT_WRITE, M2);
	check_maps(&ept, 0x400000, 0x400000, EPT_READ | EPT_WRITE, K4);
	fake_teardown(&f, &ept);
}

TEST(unmap_4k_pages_and_holes)
{
	struct fake f;
	struct ept ept;
	fake_setup(&f, &ept, true);
	CHECK_EQ(ept_map(&ept, 0x10000, 0x90000, 8 * K4, EPT_READ | EPT_WRITE), 0);
	uint64_t tables = ept.tables;
	CHECK_EQ(ept_unmap(&ept, 0x12000, 2 * K4), 0);
	CHECK_EQ(ept.tables, tables);
	check_maps(&ept, 0x11000, 0x91000, EPT_READ | EPT_WRITE, K4);
	CHECK_EQ(ept_inspect(&ept, 0x12000, NULL, NULL, NULL), -BH_ENOENT);
	CHECK_EQ(ept_inspect(&ept, 0x13fff, NULL, NULL, NULL), -BH_ENOENT);
	check_maps(&ept, 0x14000, 0x94000, EPT_READ | EPT_WRITE, K4);
	/* Unmapping what is not mapped, even huge ranges, is fine and cheap. */
	CHECK_EQ(ept_unmap(&ept, 0x12000, 2 * K4), 0);
	CHECK_EQ(ept_unmap(&ept, 0, 1ull << 48), 0);
	for (uint64_t a = 0x10000; a < 0x18000; a += K4)
		CHECK_EQ(ept_inspect(&ept, a, NULL, NULL, NULL), -BH_ENOENT);
	CHECK_EQ(ept.tables, tables);   /* empty tables stay until destroy */
	/* And the space can be mapped again. */
	CHECK_EQ(ept_map(&ept, 0x10000, 0x50000, K4, EPT_READ), 0);
	check_maps(&ept, 0x10000, 0x50000, EPT_READ, K4);
	fake_teardown(&f, &ept);
}

TEST(unmap_inside_a_2m_leaf_splits_it)
{
	struct fake f;
	struct ept ept;
	fake_setup(&f, &ept, true);
	unsigned rw = EPT_READ | EPT_WRITE | EPT_UNCACHED;
	CHECK_EQ(ept_map(&ept, 0x200000, 0x10000000, M2, rw), 0);
	uint64_t tables = ept.tables;
	CHECK_EQ(ept_unmap(&ept, 0x201000, 3 * K4), 0);
	CHECK_EQ(ept.tables, tables + 1);
	/* The PDE now points to a page table; the rest keeps address and rights. */
	CHECK_EQ(raw(&f, &ept, 0x200000, 2) & ~E_ADDR, E_RWX);
	CHECK_EQ(raw(&f, &ept, 0x200000, 1), 0x10000000 | E_R | E_W);
	check_maps(&ept, 0x200000, 0x10000000, rw, K4);
	for (uint64_t a = 0x201000; a < 0x204000; a += K4)
		CHECK_EQ(ept_inspect(&ept, a, NULL, NULL, NULL), -BH_ENOENT);
	for (uint64_t a = 0x204000; a < 0x400000; a += K4)
		check_maps(&ept, a, 0x10000000 + (a - 0x200000), rw, K4);
	fake_teardown(&f, &ept);
}

TEST(unmap_across_two_2m_leaves_splits_both_ends)
{
	struct fake f;
	struct ept ept;
	fake_setup(&f, &ept, true);
	unsigned rwx = EPT_READ | EPT_WRITE | EPT_EXEC;
	CHECK_EQ(ept_map(&ept, 0x200000, 0x600000, 3 * M2, rwx), 0);
	uint64_t tables = ept.tables;
	/* Tail of the first leaf, all of the second, head of the third. */
	CHECK_EQ(ept_unmap(&ept, 0x3ff000, M2 + 2 * K4), 0);
	CHECK_EQ(ept.tables, tables + 2);
	check_maps(&ept, 0x3fe000, 0x7fe000, rwx, K4);
	CHECK_EQ(ept_inspect(&ept, 0x3ff000, NULL, NULL, NULL), -BH_ENOENT);
	CHECK_EQ(ept_inspect(&ept, 0x400000, NULL, NULL, NULL), -BH_ENOENT);
	CHECK_EQ(raw(&f, &ept, 0x400000, 2), 0);   /* whole leaf: cleared, not split */
	CHECK_EQ(ept_inspect(&ept, 0x600fff, NULL, NULL, NULL), -BH_ENOENT);
	check_maps(&ept, 0x601000, 0xa01000, rwx, K4);

	/* An aligned unmap of a whole leaf needs no table. */
	f.fail_after = 0;
	CHECK_EQ(ept_map(&ept, 0x1000000, 0x1000000, M2, EPT_READ), 0);
	CHECK_EQ(ept_unmap(&ept, 0x1000000, M2), 0);
	CHECK_EQ(ept_inspect(&ept, 0x1000000, NULL, NULL, NULL), -BH_ENOENT);
	f.fail_after = ~0u;
	fake_teardown(&f, &ept);
}

TEST(split_without_memory_changes_nothing)
{
	struct fake f;
	struct ept ept;
	fake_setup(&f, &ept, true);
	CHECK_EQ(ept_map(&ept, 0x200000, 0x600000, 2 * M2, EPT_READ), 0);
	uint8_t *snap = malloc(NFRAMES * K4);
	memcpy(snap, f.mem, NFRAMES * K4);
	uint64_t tables = ept.tables;

	/* Two splits needed; the first table comes, the second does not. */
	f.fail_after = 1;
	CHECK_EQ(ept_unmap(&ept, 0x3ff000, 2 * K4), -BH_ENOMEM);
	CHECK_EQ(f.frees, 1);   /* the first table went back */
	f.fail_after = 0;
	CHECK_EQ(ept_unmap(&ept, 0x201000, K4), -BH_ENOMEM);
	CHECK_EQ(ept.tables, tables);
	check_maps(&ept, 0x200000, 0x600000, EPT_READ, M2);
	check_maps(&ept, 0x3ff000, 0x7ff000, EPT_READ, M2);
	check_maps(&ept, 0x400000, 0x800000, EPT_READ, M2);
	/* Every live table is unchanged. */
	for (unsigned i = 0; i < NFRAMES; i++)
		if (f.held[i])
			CHECK(memcmp(snap + i * K4, f.mem + i * K4, K4) == 0);
	f.fail_after = ~0u;
	CHECK_EQ(ept_unmap(&ept, 0x3ff000, 2 * K4), 0);
	CHECK_EQ(ept_inspect(&ept, 0x3ff000, NULL, NULL, NULL), -BH_ENOENT);
	CHECK_EQ(ept_inspect(&ept, 0x400000, NULL, NULL, NULL), -BH_ENOENT);
	check_maps(&ept, 0x3fe000, 0x7fe000, EPT_READ, K4);
	check_maps(&ept, 0x401000, 0x801000, EPT_READ, K4);
	free(snap);
	fake_teardown(&f, &ept);
}

TEST(destroy_returns_every_table_across_the_space)
{
	struct fake f;
	struct ept ept;
	fake_setup(&f, &ept, true);
	/* Mappings under several PML4 and PDPT entries, split and unsplit. */
	CHECK_EQ(ept_map(&ept, 0, 0, 4 * M2 + 3 * K4, EPT_READ | EPT_WRITE), 0);
	CHECK_EQ(ept_map(&ept, 5 * G1, 0x100000000ull, M2, EPT_READ), 0);
	CHECK_EQ(ept_map(&ept, 1ull << 39, 0x1000, K4, EPT_READ), 0);
	CHECK_EQ(ept_map(&ept, (1ull << 48) - M2, 0x200000, M2, EPT_READ | EPT_EXEC), 0);
	CHECK_EQ(ept_unmap(&ept, 0x205000, K4), 0);
	CHECK_EQ(ept_unmap(&ept, (1ull << 48) - K4, K4), 0);
	CHECK_EQ(ept.tables, f.allocs);
	CHECK(ept.tables > 10);
	fake_teardown(&f, &ept);

	/* Destroying twice is harmless. */
	fake_setup(&f, &ept, true);
	ept_destroy(&ept);
	ept_destroy(&ept);
	CHECK_EQ(f.frees, 1);
	CHECK_EQ(ept_inspect(&ept, 0, NULL, NULL, NULL), -BH_ENOENT);
	CHECK_EQ(ept_map(&ept, 0, 0, K4, EPT_READ), -BH_EINVAL);
	CHECK_EQ(ept_unmap(&ept, 0, K4), -BH_EINVAL);
	CHECK_EQ(f.allocs, 1);
	free(f.mem);
}

/*
 * Random maps and unmaps in a 16 MiB window against a per-page model; after
 * each step every page's translation must match the model. Many short
 * rounds, each on a fresh EPT: a 2 MiB block that once held a page table
 * never gets a 2 MiB leaf again, so long rounds would stop splitting.
 */
#define WPAGES 4096

/* xorshift64*: successive draws must not be correlated in their low bits. */
static uint32_t rng(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return (uint32_t)((*s * 0x2545f4914f6cdd1dull) >> 32);
}

static void random_step(struct ept *ept, uint64_t *model, uint64_t *s,
                        unsigned *splits)
{
	/* Sizes and addresses biased towards 2 MiB boundaries. */
	uint64_t first = rng(s) % WPAGES;
	if (rng(s) % 2)
		first &= ~511ull;
	uint64_t n = rng(s) % 3 == 0 ? 512 * (1 + rng(s) % 2) : 1 + rng(s) % 40;
	if (first + n > WPAGES)
		n = WPAGES - first;
	uint64_t hpa = 0x40000000ull + (rng(s) % 64) * M2 + (rng(s) % 2 ? 0 : 3 * K4);
	unsigned flags = EPT_READ | (rng(s) % 2 ? EPT_WRITE : 0) |
	                 (rng(s) % 2 ? EPT_EXEC : 0);
	if (rng(s) % 2) {
		bool free_range = true;
		for (uint64_t p = first; p < first + n; p++)
			free_range &= model[p] == 0;
		int r = ept_map(ept, first * K4, hpa, n * K4, flags);
		CHECK_EQ(r, free_range ? 0 : -BH_EEXIST);
		if (r == 0)
			for (uint64_t p = first; p < first + n; p++)
				model[p] = ((hpa + (p - first) * K4) | flags) + 1;
	} else {
		uint64_t tables = ept->tables;
		CHECK_EQ(ept_unmap(ept, first * K4, n * K4), 0);
		*splits += (unsigned)(ept->tables - tables);
		for (uint64_t p = first; p < first + n; p++)
			model[p] = 0;
	}
}

TEST(random_operations_match_a_page_model)
{
	static uint64_t model[WPAGES];   /* (hpa | flags) + 1, or 0 if unmapped */
	uint64_t s = 12345;
	unsigned splits = 0, large_seen = 0;
	for (int round = 0; round < 100; round++) {
		struct fake f;
		struct ept ept;
		fake_setup(&f, &ept, true);
		memset(model, 0, sizeof(model));
		for (int step = 0; step < 25; step++) {
			random_step(&ept, model, &s, &splits);
			for (uint64_t p = 0; p < WPAGES; p++) {
				uint64_t got, size;
				unsigned fl;
				if (model[p] == 0) {
					CHECK_EQ(ept_inspect(&ept, p * K4, NULL, NULL, NULL),
					         -BH_ENOENT);
					continue;
				}
				CHECK_EQ(ept_inspect(&ept, p * K4 + 8, &got, &fl, &size), 0);
				CHECK_EQ(((got - 8) | fl) + 1, model[p]);
				large_seen += size == M2;
			}
		}
		fake_teardown(&f, &ept);
	}
	/* The mix really built 2 MiB leaves and split many of them. */
	CHECK(large_seen > 0);
	CHECK(splits > 20);
}
