/* SPDX-License-Identifier: GPL-2.0-only */
/* Guest-virtual reads (contract in guest_walk.h). */
#include "arch/x86/mm/guest_walk.h"

#include <bulkhead/errno.h>

#include "kernel/vm_copy.h"

#define PTE_P     (1ull << 0)
#define PTE_PS    (1ull << 7)
#define PTE_ADDR  0x000ffffffffff000ull

/* The guest-physical address of va, or -BH_EFAULT. */
static int translate(const struct vm *vm, uint64_t cr3, uint64_t va, uint64_t *gpa)
{
	uint64_t table = cr3 & PTE_ADDR;
	for (unsigned level = 4; level >= 1; level--) {
		unsigned shift = 12 + 9 * (level - 1);
		uint64_t entry;
		if (vm_copy_in(vm, &entry, table + ((va >> shift) & 511) * 8, 8))
			return -BH_EFAULT;
		if (!(entry & PTE_P))
			return -BH_EFAULT;
		/* A 1 GiB or 2 MiB page ends the walk at level 3 or 2. */
		if (level == 1 || ((level == 2 || level == 3) && (entry & PTE_PS))) {
			uint64_t offset_mask = (1ull << shift) - 1;
			*gpa = ((entry & PTE_ADDR) & ~offset_mask) | (va & offset_mask);
			return 0;
		}
		table = entry & PTE_ADDR;
	}
	return -BH_EFAULT;
}

int guest_read_virt(const struct vm *vm, uint64_t cr3, uint64_t va, void *buf, size_t len)
{
	uint8_t *out = buf;
	/* Byte by byte: an instruction may straddle a page boundary, and
	 * callers read only a few bytes. */
	for (size_t i = 0; i < len; i++) {
		uint64_t gpa;
		if (translate(vm, cr3, va + i, &gpa) || vm_copy_in(vm, &out[i], gpa, 1))
			return -BH_EFAULT;
	}
	return 0;
}
