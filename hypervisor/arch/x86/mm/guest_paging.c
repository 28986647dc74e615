/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A new guest's boot page tables (contract at arch_guest_build_paging in
 * arch/virt.h): the page-table builder (pagetable.h) writes them into the
 * guest's own memory, at the fixed pages docs/guest-abi.md reserves, reached
 * through vm_guest_buffer so no table frame can lie outside the VM.
 */
#include "arch/virt.h"

#include <bulkhead/guest_abi.h>

#include "arch/x86/mm/pagetable.h"
#include "kernel/vm.h"
#include "kernel/vm_copy.h"
#include "lib/string.h"

/* Guest page-table frames are fixed pages of the guest's own memory. */
struct guest_pt_ctx { struct vm *vm; uint64_t next; };

static uint64_t guest_table_alloc(void *ctx)
{
	struct guest_pt_ctx *g = ctx;
	if (g->next >= BH_GUEST_PT_END)
		return 0;
	uint64_t gpa = g->next;
	g->next += BH_GUEST_PAGE_SIZE;
	memset(vm_guest_buffer(g->vm, gpa, BH_GUEST_PAGE_SIZE), 0, BH_GUEST_PAGE_SIZE);
	return gpa;
}

static void *guest_phys_to_virt(void *ctx, uint64_t gpa)
{
	struct guest_pt_ctx *g = ctx;
	return vm_guest_buffer(g->vm, gpa, BH_GUEST_PAGE_SIZE);
}

static int map_guest(struct page_table *pt, uint64_t start, uint64_t end, unsigned flags)
{
	return end > start ? pt_map(pt, start, start, end - start, flags) : 0;
}

uint64_t arch_guest_build_paging(struct vm *vm, const struct guest_range *exec, int nexec,
                                 const struct guest_range *ro, int nro)
{
	struct guest_pt_ctx ctx = { vm, BH_GUEST_PML4 };
	const struct pt_env env = { guest_table_alloc, guest_phys_to_virt, &ctx };
	struct page_table pt;
	struct { struct guest_range r; unsigned flags; } special[2 * BH_GUEST_MAX_PHDRS];
	int n = 0;

	if (nexec + nro > (int)(sizeof(special) / sizeof(special[0])) || pt_init(&pt, &env))
		return 0;
	for (int i = 0; i < nexec; i++)
		special[n++] = (typeof(special[0])){ exec[i], PT_EXEC };
	for (int i = 0; i < nro; i++)
		special[n++] = (typeof(special[0])){ ro[i], 0 };
	/* Few ranges: insertion sort by start. */
	for (int i = 1; i < n; i++)
		for (int j = i; j > 0 && special[j].r.start < special[j - 1].r.start; j--) {
			typeof(special[0]) t = special[j];
			special[j] = special[j - 1];
			special[j - 1] = t;
		}
	/* The special ranges with their rights, the gaps between them
	 * read/write and never executable. */
	uint64_t at = BH_GUEST_START_INFO;
	for (int i = 0; i < n; i++) {
		if (special[i].r.start < at ||
		    map_guest(&pt, at, special[i].r.start, PT_WRITE) ||
		    map_guest(&pt, special[i].r.start, special[i].r.end, special[i].flags))
			return 0;
		at = special[i].r.end;
	}
	if (at > vm->mem_size || map_guest(&pt, at, vm->mem_size, PT_WRITE))
		return 0;
	return pt.root;
}
