/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * VT-x capability detection. The raw MSR values are read once (caps_read.c)
 * and decoded by pure code (caps.c), which host tests check against values
 * measured on Bochs (docs/platforms.md). Bit positions: SDM Vol. 3D Appendix A.
 */
#ifndef ARCH_X86_VMX_CAPS_H
#define ARCH_X86_VMX_CAPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* What the CPU reports; VMX MSRs are valid only when cpuid_vmx is set. */
struct vmx_msrs {
	char     vendor[13];        /* CPUID.0 vendor string */
	bool     cpuid_vmx;         /* CPUID.1:ECX[5] */
	uint64_t feature_control;   /* IA32_FEATURE_CONTROL */
	uint64_t basic;             /* IA32_VMX_BASIC */
	uint64_t pinbased, procbased, procbased2, exit, entry, misc;
	uint64_t true_pinbased, true_procbased, true_exit, true_entry;
	uint64_t ept_vpid_cap;      /* IA32_VMX_EPT_VPID_CAP, 0 if no secondary controls */
};

struct vmx_caps {
	bool vmx;                   /* CPUID says VMX */
	bool firmware_locked_off;   /* FEATURE_CONTROL locked with VMX disabled */
	bool true_controls;         /* BASIC[55]: TRUE_* MSRs exist */
	uint32_t vmcs_revision;     /* BASIC[30:0] */
	bool secondary_controls;
	bool ept, ept_walk4, ept_wb, ept_2m, ept_1g;
	bool invept, invept_single, invept_global;
	bool vpid, invvpid;
	bool unrestricted_guest;
	bool preemption_timer;
	uint8_t preemption_timer_rate;  /* timer ticks every 2^rate TSC cycles */
};

void vmx_caps_decode(const struct vmx_msrs *m, struct vmx_caps *c);

/*
 * The first feature Bulkhead needs that is missing, as a sentence for the
 * boot log ("VT-x not available: ..."), or NULL if the CPU can run VMs.
 * Needed: VMX enabled by firmware (or FEATURE_CONTROL unlocked), EPT with a
 * 4-level walk and write-back tables, INVEPT (single or all contexts), the
 * VMX-preemption timer. VPID, 2 MiB pages and unrestricted guest are used
 * when present.
 */
const char *vmx_caps_missing(const struct vmx_caps *c);

/* The one-line summary ("cpu: GenuineIntel vmx=yes ept=yes ..."), no newline. */
int vmx_caps_format(const struct vmx_msrs *m, const struct vmx_caps *c,
                    char *buf, size_t size);

/* Reads CPUID and, if VMX exists, the VMX MSRs of this CPU. */
void vmx_read_msrs(struct vmx_msrs *m);

#endif
