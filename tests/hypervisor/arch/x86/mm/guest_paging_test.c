/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A new guest's boot page tables (arch_guest_build_paging, docs/guest-abi.md)
 * built into a host buffer standing in for the VM's memory, then walked with
 * pt_inspect: page 0 absent, the image's code read+execute, its read-only
 * data read-only, everything else read/write and never executable.
 */
#include <stdlib.h>

#include <bulkhead/guest_abi.h>

#include "check.h"
#include "arch/virt.h"
#include "arch/x86/mm/pagetable.h"
#include "pt_inspect.h"
#include "kernel/vm.h"

#define MEM 0x200000ull

static uint8_t *mem;

static void *guest_virt(void *ctx, uint64_t gpa)
{
	(void)ctx;
	return mem + gpa;
}

static uint64_t no_alloc(void *ctx)
{
	(void)ctx;
	return 0;
}

/* The tables the builder wrote, read back through the guest's memory. */
static struct page_table tables_at(uint64_t root)
{
	return (struct page_table){ .root = root, .env = { no_alloc, guest_virt, NULL } };
}

static struct vm make_vm(void)
{
	struct vm vm = { 0 };
	free(mem);   /* a case that failed before its own free */
	mem = aligned_alloc(4096, MEM);
	memset(mem, 0xa5, MEM);   /* the builder must zero its table frames */
	vm.mem_hpa = (uint64_t)(uintptr_t)mem;
	vm.mem_size = MEM;
	return vm;
}

/* Flags of the 4 KiB page at gpa, or -1 if it is not mapped to itself. */
static int flags_at(const struct page_table *pt, uint64_t gpa)
{
	uint64_t phys;
	unsigned flags;
	if (pt_inspect(pt, gpa, &phys, &flags, NULL) || phys != gpa)
		return -1;
	return (int)flags;
}

TEST(image_rights_and_gaps)
{
	struct vm vm = make_vm();
	const struct guest_range exec[] = { { 0x100000, 0x103000 } };
	const struct guest_range ro[] = { { 0x103000, 0x104000 } };
	uint64_t root = arch_guest_build_paging(&vm, exec, 1, ro, 1);
	CHECK_EQ(root, BH_GUEST_PML4);
	struct page_table pt = tables_at(root);

	CHECK_EQ(flags_at(&pt, 0), -1);                       /* null guard */
	CHECK_EQ(flags_at(&pt, BH_GUEST_START_INFO), PT_WRITE);
	CHECK_EQ(flags_at(&pt, BH_GUEST_PML4), PT_WRITE);     /* its own tables */
	CHECK_EQ(flags_at(&pt, 0xff000), PT_WRITE);
	CHECK_EQ(flags_at(&pt, 0x100000), PT_EXEC);
	CHECK_EQ(flags_at(&pt, 0x102000), PT_EXEC);
	CHECK_EQ(flags_at(&pt, 0x103000), 0);                 /* read-only */
	CHECK_EQ(flags_at(&pt, 0x104000), PT_WRITE);
	CHECK_EQ(flags_at(&pt, MEM - 0x1000), PT_WRITE);
	CHECK_EQ(flags_at(&pt, MEM), -1);                     /* past the VM */
	free(mem);
	mem = NULL;
}

TEST(ranges_in_any_order)
{
	struct vm vm = make_vm();
	const struct guest_range exec[] = { { 0x180000, 0x181000 }, { 0x100000, 0x101000 } };
	const struct guest_range ro[] = { { 0x140000, 0x142000 } };
	struct page_table pt = tables_at(arch_guest_build_paging(&vm, exec, 2, ro, 1));
	CHECK(pt.root != 0);
	CHECK_EQ(flags_at(&pt, 0x100000), PT_EXEC);
	CHECK_EQ(flags_at(&pt, 0x141000), 0);
	CHECK_EQ(flags_at(&pt, 0x180000), PT_EXEC);
	CHECK_EQ(flags_at(&pt, 0x181000), PT_WRITE);
	free(mem);
	mem = NULL;
}

TEST(overlapping_or_outside_ranges_are_refused)
{
	struct vm vm = make_vm();
	const struct guest_range exec[] = { { 0x100000, 0x102000 } };
	const struct guest_range overlap[] = { { 0x101000, 0x103000 } };
	const struct guest_range null_page[] = { { 0, 0x1000 } };
	const struct guest_range past_end[] = { { MEM - 0x1000, MEM + 0x1000 } };
	CHECK_EQ(arch_guest_build_paging(&vm, exec, 1, overlap, 1), 0);
	CHECK_EQ(arch_guest_build_paging(&vm, null_page, 1, NULL, 0), 0);
	CHECK_EQ(arch_guest_build_paging(&vm, past_end, 1, NULL, 0), 0);
	free(mem);
	mem = NULL;
}

TEST(too_many_ranges_are_refused)
{
	struct vm vm = make_vm();
	struct guest_range r[2 * BH_GUEST_MAX_PHDRS + 1];
	for (unsigned i = 0; i < sizeof(r) / sizeof(r[0]); i++)
		r[i] = (struct guest_range){ 0x100000 + i * 0x1000, 0x101000 + i * 0x1000 };
	CHECK_EQ(arch_guest_build_paging(&vm, r, (int)(sizeof(r) / sizeof(r[0])), NULL, 0), 0);
	free(mem);
	mem = NULL;
}
