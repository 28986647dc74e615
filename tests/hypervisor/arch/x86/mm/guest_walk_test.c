/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Host tests of reads by guest-virtual address (arch/x86/mm/guest_walk.c):
 * page tables written by hand into a fake VM's memory, with 4 KiB, 2 MiB
 * and 1 GiB leaves, a read across a page boundary, and what is refused.
 */
#include "check.h"

#include <stdlib.h>
#include <string.h>

#include <bulkhead/errno.h>

#include "arch/x86/mm/guest_walk.h"

#define MEM  (4ull << 20)
#define P    1ull
#define RW   2ull
#define PS   (1ull << 7)

static uint8_t *mem;

static uint64_t *table(uint64_t gpa) { return (uint64_t *)(mem + gpa); }

/*
 * PML4 at 0x1000. va 0x400000000 (PML4 0, PDPT 16) -> 1 GiB leaf at 0;
 * va 0x200000 (PD 1) -> 2 MiB leaf at gpa 0x200000; va 0x7000 -> 4 KiB
 * page at 0x10000, va 0x8000 -> 0x20000; va 0x9000 absent.
 */
static struct vm make_vm(void)
{
	struct vm vm = { 0 };
	mem = aligned_alloc(4096, MEM);
	memset(mem, 0, MEM);
	vm.mem_hpa = (uint64_t)(uintptr_t)mem;
	vm.mem_size = MEM;
	table(0x1000)[0] = 0x2000 | P | RW;           /* PML4[0] -> PDPT */
	table(0x2000)[0] = 0x3000 | P | RW;           /* PDPT[0] -> PD */
	table(0x2000)[16] = 0 | P | RW | PS;          /* PDPT[16]: 1 GiB at 0 */
	table(0x3000)[0] = 0x4000 | P | RW;           /* PD[0] -> PT */
	table(0x3000)[1] = 0x200000 | P | RW | PS;    /* PD[1]: 2 MiB */
	table(0x4000)[7] = 0x10000 | P;               /* PT[7] */
	table(0x4000)[8] = 0x20000 | P;               /* PT[8] */
	return vm;
}

TEST(reads_through_4k_2m_and_1g_leaves)
{
	struct vm vm = make_vm();
	uint8_t b[3];
	memcpy(mem + 0x10123, "\x0f\x01\xc1", 3);
	CHECK_EQ(guest_read_virt(&vm, 0x1000, 0x7123, b, 3), 0);
	CHECK(memcmp(b, "\x0f\x01\xc1", 3) == 0);
	memcpy(mem + 0x200456, "abc", 3);
	CHECK_EQ(guest_read_virt(&vm, 0x1000, 0x200456, b, 3), 0);
	CHECK(memcmp(b, "abc", 3) == 0);
	memcpy(mem + 0x300000, "xyz", 3);
	CHECK_EQ(guest_read_virt(&vm, 0x1000, 0x400300000ull, b, 3), 0);
	CHECK(memcmp(b, "xyz", 3) == 0);
	free(mem);
}

TEST(a_read_across_pages_translates_each)
{
	struct vm vm = make_vm();
	uint8_t b[4];
	memcpy(mem + 0x10ffe, "\x0f\x22", 2);          /* end of va page 0x7000 */
	memcpy(mem + 0x20000, "\xc0\x90", 2);          /* start of va page 0x8000 */
	CHECK_EQ(guest_read_virt(&vm, 0x1000, 0x7ffe, b, 4), 0);
	CHECK(memcmp(b, "\x0f\x22\xc0\x90", 4) == 0);
	free(mem);
}

TEST(absent_pages_and_tables_outside_the_vm_are_efault)
{
	struct vm vm = make_vm();
	uint8_t b[2];
	CHECK_EQ(guest_read_virt(&vm, 0x1000, 0x9000, b, 1), -BH_EFAULT);
	CHECK_EQ(guest_read_virt(&vm, 0x1000, 0x8fff, b, 2), -BH_EFAULT);   /* second byte absent */
	CHECK_EQ(guest_read_virt(&vm, 0x1000, 0x8000000000ull, b, 1), -BH_EFAULT);
	CHECK_EQ(guest_read_virt(&vm, MEM, 0x7000, b, 1), -BH_EFAULT);   /* CR3 outside */
	table(0x4000)[9] = (MEM + 0x1000) | P;                          /* leaf outside */
	CHECK_EQ(guest_read_virt(&vm, 0x1000, 0x9000, b, 1), -BH_EFAULT);
	free(mem);
}
