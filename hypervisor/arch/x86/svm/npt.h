/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Nested page tables (AMD APM Vol. 2 §15.25): a guest's guest-physical to
 * host-physical map in the ordinary x86-64 long-mode page-table format,
 * built by the EPT builder (mm/ept.h) with this entry format; the
 * table's root goes in the VMCB's N_CR3. Pure, so host tests check the
 * entries it makes.
 */
#ifndef ARCH_X86_SVM_NPT_H
#define ARCH_X86_SVM_NPT_H

#include "arch/x86/mm/ept.h"

/*
 * Every nested walk is a user-mode access (APM Vol. 2 §15.25.5), so every
 * entry carries U/S; tables point on with P|R/W|U/S so the leaf alone
 * decides, as in EPT. Leaves: P|U/S, R/W for EPT_WRITE, NX unless
 * EPT_EXEC (the host's EFER.NXE is set, or NX would be reserved);
 * RAM write-back through PAT entry 0, EPT_UNCACHED as PCD|PWT (UC).
 */
extern const struct ept_format npt_format;

#endif
