/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Test-side readers of the tables the kernel's builders write: an x86
 * 4-level page table (SDM Vol. 3A §4.5) and an EPT (Vol. 3C §29.3.2).
 * They walk the format as the SDM defines it, not through the kernel's own
 * walk (mm/walk.h), so a mistake shared by builder and walker cannot hide
 * itself; and the kernel itself never needs to translate through tables it
 * built.
 */
#ifndef TESTS_PT_INSPECT_H
#define TESTS_PT_INSPECT_H

#include <stdint.h>

#include "arch/x86/mm/pagetable.h"
#include "arch/x86/mm/ept.h"

/* x86 page-table entry bits as the SDM defines them (Vol. 3A §4.5), for
 * tests that check the raw entries a builder wrote. */
#define E_P    (1ull << 0)
#define E_RW   (1ull << 1)
#define E_US   (1ull << 2)
#define E_PWT  (1ull << 3)
#define E_PCD  (1ull << 4)
#define E_PS   (1ull << 7)
#define E_XD   (1ull << 63)
#define E_ADDR 0x000ffffffffff000ull

/*
 * Translates virt as the CPU would. Returns 0 and stores the physical
 * address, the PT_* flags the walk grants (writable only if every level
 * allows it, executable only if no level forbids it) and the page size of
 * the leaf, or -BH_ENOENT for a non-canonical or unmapped address. Any out
 * pointer may be NULL.
 */
int pt_inspect(const struct page_table *pt, uint64_t virt, uint64_t *phys,
               unsigned *flags, uint64_t *page_size);

/*
 * Translates gpa through the EPT. Returns 0 and stores the host-physical
 * address, the EPT_* flags (rights every level grants; EPT_UNCACHED for a
 * UC memory type) and the page size, or -BH_ENOENT for an unmapped gpa, one
 * at or above 2^48, or a destroyed EPT. Any out pointer may be NULL.
 */
int ept_inspect(const struct ept *ept, uint64_t gpa, uint64_t *hpa,
                unsigned *flags, uint64_t *page_size);

#endif
