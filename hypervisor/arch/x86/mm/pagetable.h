/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Builder for x86-64 4-level page tables (SDM Vol. 3A §4.5). Pure: it gets
 * table frames and reaches them through callbacks, so the same code builds
 * the kernel's tables at boot and runs in host unit tests on a fake memory.
 *
 * Mappings use 2 MiB pages where both addresses and the size allow and no
 * 4 KiB mapping is already present there, else 4 KiB pages. Tables are never
 * shared and never freed here (the kernel's tables live for the whole boot).
 */
#ifndef ARCH_X86_MM_PAGETABLE_H
#define ARCH_X86_MM_PAGETABLE_H

#include <stdint.h>

/* Access rights of a mapping; read is implied. */
#define PT_WRITE    (1u << 0)
#define PT_EXEC     (1u << 1)   /* without it the entry gets XD (needs EFER.NXE) */
#define PT_UNCACHED (1u << 2)   /* PCD|PWT: strong uncacheable, for MMIO */
#define PT_NO_LARGE (1u << 3)   /* force 4 KiB pages (for later splitting) */

struct pt_env {
	/* Returns the physical address of a zeroed 4 KiB frame, or 0. */
	uint64_t (*alloc_table)(void *ctx);
	/* Returns a pointer through which the frame at phys can be accessed. */
	void *(*phys_to_virt)(void *ctx, uint64_t phys);
	void *ctx;
};

struct page_table {
	uint64_t root;          /* physical address of the PML4: the CR3 value */
	struct pt_env env;
	uint64_t tables;        /* table frames allocated so far (PML4 included) */
};

/* Allocates the PML4. Returns 0 or -BH_ENOMEM. */
int pt_init(struct page_table *pt, const struct pt_env *env);

/*
 * Maps [virt, virt+size) to [phys, phys+size) with the given PT_* flags.
 * virt, phys and size must be 4 KiB aligned and virt canonical; phys below
 * 2^52. Returns 0; -BH_EINVAL on bad arguments; -BH_EEXIST if any page in
 * the range is already mapped (nothing is changed then); -BH_ENOMEM if a
 * table frame could not be had (the range may then be partly mapped).
 */
int pt_map(struct page_table *pt, uint64_t virt, uint64_t phys, uint64_t size,
           unsigned flags);

#endif
