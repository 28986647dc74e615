/* SPDX-License-Identifier: GPL-2.0-only */
/* A Linux guest's emulated MSRs (contract in linux_msr.h). */
#include "arch/x86/linux_msr.h"

#include "arch/x86/x86_defs.h"

/* MTRRcap: no variable ranges, no fixed ranges, no write-combining. The
 * only memory type is the default one, write-back. */
#define MTRRCAP_NONE 0ull

void linux_msrs_reset(struct linux_msrs *m)
{
	m->apic_base = APIC_BASE_DEFAULT | APIC_BASE_BSP | APIC_BASE_ENABLE;
	m->misc_enable = MISC_ENABLE_FAST_STRING;
	m->mtrr_def_type = MTRR_DEF_TYPE_E | MTRR_DEF_TYPE_WB;
}

bool linux_msr_read(const struct linux_msrs *m, uint32_t msr, uint64_t *value)
{
	switch (msr) {
	case MSR_IA32_APIC_BASE:       *value = m->apic_base;     return true;
	/* Locked with VMX off: Linux reads it and leaves it alone. */
	case MSR_IA32_FEATURE_CONTROL: *value = FEAT_CTL_LOCKED;  return true;
	/* No microcode update: revision 0. */
	case MSR_IA32_BIOS_SIGN_ID:    *value = 0;                return true;
	case MSR_IA32_MTRRCAP:         *value = MTRRCAP_NONE;     return true;
	case MSR_IA32_MISC_ENABLE:     *value = m->misc_enable;   return true;
	case MSR_IA32_MTRR_DEF_TYPE:   *value = m->mtrr_def_type; return true;
	default:                       return false;
	}
}

bool linux_msr_write(struct linux_msrs *m, uint32_t msr, uint64_t value)
{
	switch (msr) {
	case MSR_IA32_APIC_BASE:
		/* The bootstrap bit is read-only; enable may toggle; the base
		 * stays, and x2APIC (bit 10) is not offered. */
		if ((value & ~(APIC_BASE_BSP | APIC_BASE_ENABLE)) != APIC_BASE_DEFAULT)
			return false;
		m->apic_base = APIC_BASE_DEFAULT | APIC_BASE_BSP | (value & APIC_BASE_ENABLE);
		return true;
	case MSR_IA32_BIOS_SIGN_ID:
		return true;   /* Linux writes 0 before reading the revision */
	case MSR_IA32_MISC_ENABLE:
		/* Linux writes back what it read, with bits toggled: only
		 * fast strings exist here. */
		if (value & ~MISC_ENABLE_FAST_STRING)
			return false;
		m->misc_enable = value;
		return true;
	case MSR_IA32_MTRR_DEF_TYPE:
		/* Linux disables MTRRs around its cache setup by writing the
		 * type as uncached with E clear, then writes back what it
		 * read: uncached is taken while disabled, when all memory is
		 * uncached whatever the type says. */
		if (value & ~(MTRR_DEF_TYPE_E | 0xffull))
			return false;
		if ((value & 0xff) != MTRR_DEF_TYPE_WB &&
		    (value & MTRR_DEF_TYPE_E || (value & 0xff) != MTRR_DEF_TYPE_UC))
			return false;
		m->mtrr_def_type = value;
		return true;
	default:
		return false;
	}
}
