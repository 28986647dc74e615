/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The guest page walk over a fake guest whose tables are built here the
 * way Linux builds them: 4-level with 4 KiB, 2 MiB and 1 GiB leaves,
 * 5-level, PAE, paging off; then tables that point outside memory, absent
 * entries, reserved large-page bits, non-canonical addresses, and
 * instruction fetches across a page boundary.
 */
#include <stdlib.h>

#include "check.h"

#include "bulkhead/errno.h"
#include "cpu/guest_walk.h"
#include "mem/flat_memory.h"

#define MEM_SIZE (8ull << 20)
#define P  0x1ull
#define W  0x2ull
#define PS 0x80ull

static uint8_t *host;
static struct flat_memory fm;
static const struct guest_memory *mem;

static void put64(uint64_t gpa, uint64_t v)
{
	memcpy(host + gpa, &v, 8);
}

static void setup(void)
{
	free(host);
	host = calloc(1, MEM_SIZE);
	mem = flat_memory_init(&fm, 0, MEM_SIZE, host);
}

static uint64_t idx(uint64_t la, unsigned level)
{
	return (la >> (12 + 9 * (level - 1))) & 511;
}

#define KERNEL_LA 0xffffffff81000000ull   /* a 2 MiB page at 0x200000 */
#define USER_LA   0x0000000000400000ull   /* 4 KiB pages, not contiguous */
#define HUGE_LA   0x0000000040000000ull   /* a 1 GiB page at 0 */

/* Long-mode tables: PML4 0x1000; kernel PDPT 0x2000, PD 0x3000; low PDPT
 * 0x4000, PD 0x5000, PT 0x6000. */
static struct bh_monitor_regs long_mode(void)
{
	put64(0x1000 + idx(KERNEL_LA, 4) * 8, 0x2000 | P | W);
	put64(0x2000 + idx(KERNEL_LA, 3) * 8, 0x3000 | P | W);
	put64(0x3000 + idx(KERNEL_LA, 2) * 8, 0x200000 | P | W | PS);
	put64(0x1000 + 0, 0x4000 | P | W);
	put64(0x4000 + idx(USER_LA, 3) * 8, 0x5000 | P | W);
	put64(0x5000 + idx(USER_LA, 2) * 8, 0x6000 | P | W);
	put64(0x6000 + 0 * 8, 0x10000 | P);
	put64(0x6000 + 1 * 8, 0x20000 | P);
	put64(0x4000 + idx(HUGE_LA, 3) * 8, 0x0 | P | PS);
	return (struct bh_monitor_regs){
		.cr0 = X86_CR0_PE | X86_CR0_PG, .cr3 = 0x1000, .cr4 = X86_CR4_PAE,
		.efer = X86_EFER_LMA | 0x100, .cs_flags = BH_MON_CS_L,
	};
}

static uint64_t translate_ok(const struct bh_monitor_regs *r, uint64_t la)
{
	uint64_t gpa = 0xdead;
	CHECK_EQ(guest_translate(mem, r, la, &gpa), 0);
	return gpa;
}

TEST(long_mode_pages_of_every_size)
{
	setup();
	struct bh_monitor_regs r = long_mode();
	CHECK_EQ(translate_ok(&r, KERNEL_LA + 0x12345), 0x212345);
	CHECK_EQ(translate_ok(&r, USER_LA + 0x10), 0x10010);
	CHECK_EQ(translate_ok(&r, USER_LA + 0x1ff0), 0x20ff0);
	CHECK_EQ(translate_ok(&r, HUGE_LA + 0x123456), 0x123456);
	CHECK_EQ(guest_cpu_mode(&r), X86_MODE_64);
	r.rip = KERNEL_LA;
	r.cs_base = 0x5000;                       /* ignored in 64-bit mode */
	CHECK_EQ(guest_rip_linear(&r), KERNEL_LA);
}

TEST(five_level_tables_add_one_level)
{
	setup();
	struct bh_monitor_regs r = long_mode();
	put64(0x7000 + idx(KERNEL_LA, 5) * 8, 0x1000 | P | W);
	put64(0x7000 + 0, 0x1000 | P | W);
	r.cr3 = 0x7000;
	r.cr4 |= X86_CR4_LA57;
	/* With 57-bit addresses the kernel half starts at bit 56. */
	uint64_t la = 0xff00000000000000ull | (KERNEL_LA & ((1ull << 48) - 1));
	put64(0x7000 + idx(la, 5) * 8, 0x1000 | P | W);
	CHECK_EQ(translate_ok(&r, la + 0x10), 0x200010);
	CHECK_EQ(translate_ok(&r, USER_LA + 0x1004), 0x20004);
	/* Canonical for 4 levels, not for 5. */
	CHECK_EQ(guest_translate(mem, &r, 0x0000800000000000ull, &la), -BH_ENOENT);
	CHECK_EQ(guest_translate(mem, &r, 0x0100000000000000ull, &la), -BH_EINVAL);
}

TEST(pae_and_paging_off)
{
	setup();
	/* PAE: PDPT at 0x1020 (32-byte aligned), PD 0x2000, PT 0x3000. */
	put64(0x1020 + 3 * 8, 0x2000 | P);
	put64(0x2000 + ((0xc0400000ull >> 21) & 511) * 8, 0x3000 | P | W);
	put64(0x3000 + ((0xc0401000ull >> 12) & 511) * 8, 0x44000 | P);
	put64(0x2000 + ((0xc0000000ull >> 21) & 511) * 8, 0x600000 | P | PS);
	struct bh_monitor_regs r = {
		.cr0 = X86_CR0_PE | X86_CR0_PG, .cr3 = 0x1020, .cr4 = X86_CR4_PAE,
		.cs_flags = BH_MON_CS_DB,
	};
	CHECK_EQ(translate_ok(&r, 0xc0401abc), 0x44abc);
	CHECK_EQ(translate_ok(&r, 0xc0012345), 0x612345);
	uint64_t gpa;
	CHECK_EQ(guest_translate(mem, &r, 0x00400000, &gpa), -BH_ENOENT);   /* PDPTE 0 absent */
	CHECK_EQ(guest_cpu_mode(&r), X86_MODE_32);

	/* Paging off: linear is physical, in 32 bits. */
	r = (struct bh_monitor_regs){ .cr0 = X86_CR0_PE, .cs_flags = BH_MON_CS_DB,
	                              .cs_base = 0x10000, .rip = 0x1000850 };
	CHECK_EQ(guest_rip_linear(&r), 0x1010850);
	CHECK_EQ(translate_ok(&r, 0x1010850), 0x1010850);
	r.cs_base = 0xfffff000;
	r.rip = 0x2000;
	CHECK_EQ(guest_rip_linear(&r), 0x1000);   /* wraps at 4 GiB */
	r.cr0 = 0;
	CHECK_EQ(guest_cpu_mode(&r), X86_MODE_16);

	/* 32-bit paging without PAE is not a mode Linux x86-64 uses. */
	r.cr0 = X86_CR0_PE | X86_CR0_PG;
	r.cr4 = 0;
	CHECK_EQ(guest_translate(mem, &r, 0x1000, &gpa), -BH_EINVAL);
}

TEST(hostile_tables_are_refused_not_followed)
{
	setup();
	struct bh_monitor_regs r = long_mode();
	uint64_t gpa;

	/* A PD entry pointing past the end of guest memory. */
	put64(0x5000 + idx(USER_LA, 2) * 8, (MEM_SIZE + 0x1000) | P | W);
	CHECK_EQ(guest_translate(mem, &r, USER_LA, &gpa), -BH_EFAULT);
	/* Address bits up to 51 set: far outside, still refused by the range check. */
	put64(0x5000 + idx(USER_LA, 2) * 8, 0x000ffffffffff000ull | P | W);
	CHECK_EQ(guest_translate(mem, &r, USER_LA, &gpa), -BH_EFAULT);
	/* CR3 itself outside memory. */
	r.cr3 = MEM_SIZE;
	CHECK_EQ(guest_translate(mem, &r, KERNEL_LA, &gpa), -BH_EFAULT);
	r = long_mode();
	/* PS in a PML4 entry is reserved. */
	put64(0x1000 + idx(KERNEL_LA, 4) * 8, 0x2000 | P | PS);
	CHECK_EQ(guest_translate(mem, &r, KERNEL_LA, &gpa), -BH_EINVAL);
	/* Not present at each level. */
	put64(0x1000 + idx(KERNEL_LA, 4) * 8, 0x2000);
	CHECK_EQ(guest_translate(mem, &r, KERNEL_LA, &gpa), -BH_ENOENT);
	put64(0x6000, 0x10000);
	CHECK_EQ(guest_translate(mem, &r, USER_LA, &gpa), -BH_ENOENT);
	/* Non-canonical. */
	CHECK_EQ(guest_translate(mem, &r, 0x0000800000000000ull, &gpa), -BH_EINVAL);
	CHECK_EQ(guest_translate(mem, &r, 0xfff0000000000000ull & ~(1ull << 55), &gpa), -BH_EINVAL);
	/* A PAE PDPT outside memory. */
	r = (struct bh_monitor_regs){ .cr0 = X86_CR0_PE | X86_CR0_PG, .cr3 = 0xffffffe0,
	                              .cr4 = X86_CR4_PAE };
	CHECK_EQ(guest_translate(mem, &r, 0xc0000000, &gpa), -BH_EFAULT);
}

TEST(fetch_crosses_a_page_boundary_into_another_frame)
{
	setup();
	struct bh_monitor_regs r = long_mode();
	/* mov %eax,0xb0(%rax,%rcx,4): 89 84 88 | b0 00 00 00 split 3 + 4. */
	memcpy(host + 0x10ffd, "\x89\x84\x88", 3);
	memcpy(host + 0x20000, "\xb0\x00\x00\x00", 4);
	uint8_t buf[7];
	size_t got;
	CHECK_EQ(guest_fetch(mem, &r, USER_LA + 0xffd, buf, 7, &got), 0);
	CHECK_EQ(got, 7);
	CHECK(memcmp(buf, "\x89\x84\x88\xb0\x00\x00\x00", 7) == 0);

	/* The second page absent: the first part is kept and the error given. */
	put64(0x6000 + 8, 0);
	CHECK_EQ(guest_fetch(mem, &r, USER_LA + 0xffd, buf, 7, &got), -BH_ENOENT);
	CHECK_EQ(got, 3);
	/* The second page's frame outside memory. */
	put64(0x6000 + 8, MEM_SIZE | P);
	CHECK_EQ(guest_fetch(mem, &r, USER_LA + 0xffd, buf, 7, &got), -BH_EFAULT);
	CHECK_EQ(got, 3);
	/* Paging off, at the very end of memory: the last two bytes, no more. */
	r = (struct bh_monitor_regs){ .cr0 = X86_CR0_PE };
	CHECK_EQ(guest_fetch(mem, &r, MEM_SIZE - 2, buf, 7, &got), -BH_EFAULT);
	CHECK_EQ(got, 2);
	CHECK_EQ(guest_fetch(mem, &r, MEM_SIZE, buf, 7, &got), -BH_EFAULT);
	CHECK_EQ(got, 0);
	free(host);
	host = NULL;
}
