/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Builder for a VM's extended page tables (SDM Vol. 3C §29.3.2): the
 * guest-physical to host-physical map that is the VM's whole view of
 * memory. AMD-V's nested page tables are the same map in the ordinary
 * x86-64 page-table format (AMD APM Vol. 2 §15.25), so the same builder
 * makes them, given that format (struct ept_format, svm/npt.c). Pure, like arch/x86/mm/pagetable.h whose 4-level walk it shares
 * (mm/walk.h): it gets, reaches and returns table frames through callbacks,
 * so host unit tests run it on a fake memory.
 *
 * 4-level walk only, so guest-physical addresses stay below 2^48. Leaves
 * are 4 KiB, or 2 MiB where addresses and size allow it; 1 GiB leaves are
 * never built. Tables are never shared between VMs. Unmapping leaves empty
 * tables in place (so no table frame is reused while a CPU may still cache
 * a pointer to it); ept_destroy returns every frame at once.
 *
 * Concurrency: the caller serialises calls on one EPT. A guest may run on
 * the EPT meanwhile: entries change with single 64-bit stores, and a table
 * is filled before the entry pointing to it is written.
 */
#ifndef ARCH_X86_MM_EPT_H
#define ARCH_X86_MM_EPT_H

#include <stdbool.h>
#include <stdint.h>

#include "arch/x86/mm/walk.h"

/* What a mapping allows the guest, and how it is cached. */
#define EPT_READ     (1u << 0)   /* required: W or X without R is not valid EPT (§29.3.3.1) */
#define EPT_WRITE    (1u << 1)
#define EPT_EXEC     (1u << 2)
#define EPT_UNCACHED (1u << 3)   /* memory type UC, for MMIO; default is WB for RAM */
#define EPT_NO_LARGE (1u << 4)   /* 4 KiB leaves only, e.g. for later partial unmaps */

/* EPT guest-physical addresses are 48 bits with a 4-level walk. */
#define EPT_GPA_LIMIT (1ull << 48)

struct ept_env {
	/* Returns the physical address of a 4 KiB frame, or 0. */
	uint64_t (*alloc_table)(void *ctx);
	/* Returns a pointer through which the frame at phys can be accessed. */
	void *(*phys_to_virt)(void *ctx, uint64_t phys);
	/* Takes back a frame alloc_table gave (ept_destroy, a failed unmap). */
	void (*free_table)(void *ctx, uint64_t phys);
	void *ctx;
};

/* The entry format: which bits make an entry present or a table pointer,
 * and the leaf bits for a mapping's EPT_* flags. */
struct ept_format {
	struct walk_format walk;
	uint64_t (*leaf_bits)(unsigned flags);
};

/* VT-x's format (ept.c). */
extern const struct ept_format ept_format_vmx;

struct ept {
	const struct ept_format *fmt;
	uint64_t root;          /* physical address of the EPT PML4; 0 once destroyed */
	struct ept_env env;
	uint64_t tables;        /* table frames held now (PML4 included) */
	bool large_pages;       /* 2 MiB leaves allowed (IA32_VMX_EPT_VPID_CAP[16]) */
};

/*
 * Allocates the EPT PML4 of an empty guest-physical space. large_pages
 * says whether the CPU supports 2 MiB EPT leaves (vmx_caps.ept_2m); without
 * them every mapping uses 4 KiB leaves. Returns 0; -BH_EINVAL if a
 * callback is missing; -BH_ENOMEM.
 */
int ept_init(struct ept *ept, const struct ept_env *env, bool large_pages);

/* ept_init for tables of the entry format fmt (for AMD-V: npt_format). */
int ept_init_format(struct ept *ept, const struct ept_env *env, bool large_pages,
                    const struct ept_format *fmt);

/*
 * Maps guest-physical [gpa, gpa+size) to host-physical [hpa, hpa+size)
 * with the EPT_* flags (EPT_READ required). gpa, hpa and size must be
 * 4 KiB aligned, gpa+size <= 2^48 and hpa+size <= 2^52. RAM is mapped
 * write-back with "ignore PAT", so the guest cannot give a frame another
 * memory type than the kernel's write-back view of it (SDM Vol. 3A,
 * "Programming the PAT": avoid aliasing); EPT_UNCACHED maps UC, which the
 * guest's PAT may only turn into WC.
 *
 * All or nothing: returns 0; -BH_EINVAL on bad arguments or a destroyed
 * EPT; -BH_EEXIST if
 * any page of the range is already mapped; -BH_ENOMEM if a table frame
 * could not be had. On any error no page of the range is mapped
 * (tables allocated on the way stay, counted, until ept_destroy). No
 * INVEPT is needed after a map; after a failed -BH_ENOMEM map of a live
 * EPT the caller must INVEPT as after an unmap, since pages were briefly
 * visible.
 */
int ept_map(struct ept *ept, uint64_t gpa, uint64_t hpa, uint64_t size,
            unsigned flags);

/*
 * Removes every mapping in guest-physical [gpa, gpa+size); pages not
 * mapped are skipped. A 2 MiB leaf that the range only partly covers is
 * first split into 4 KiB leaves, which needs a table frame per split (at
 * most two: one at each end). gpa and size must be 4 KiB aligned and
 * gpa+size <= 2^48.
 *
 * Returns 0; -BH_EINVAL on bad arguments or a destroyed EPT; -BH_ENOMEM
 * if a split could not
 * get its table, and then nothing was changed. The guest may keep using
 * cached translations until the caller runs INVEPT (single-context with
 * ept_eptp) on every CPU that ran this EPT: do that before the unmapped
 * frames are reused or handed to another VM.
 */
int ept_unmap(struct ept *ept, uint64_t gpa, uint64_t size);

/*
 * Returns every table frame to env.free_table and leaves an EPT with no
 * root and no tables (calling it again does nothing). Only once no CPU can
 * enter a guest with this EPT and after INVEPT of its context: the frames
 * are reused at once. The mapped memory itself is the caller's to scrub
 * and free.
 */
void ept_destroy(struct ept *ept);

/*
 * The EPT pointer for the VMCS EPT_POINTER field and for INVEPT (SDM Vol.
 * 3C §25.6.11): write-back paging-structure memory type (6) in bits 2:0,
 * page-walk length 4 (encoded 3) in bits 5:3, accessed/dirty flags off,
 * the PML4 address in bits 51:12. The CPU must report a 4-level walk and
 * WB tables (vmx_caps_missing checks both).
 */
uint64_t ept_eptp(const struct ept *ept);

#endif
