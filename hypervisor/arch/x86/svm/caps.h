/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * AMD-V capability detection. CPUID and VM_CR are read once (svm_on.c) and
 * decoded by pure code (caps.c), which host tests check against values
 * measured on QEMU (docs/platforms.md). Bit positions: AMD APM Vol. 3,
 * Appendix E.4.10 (CPUID Fn8000_000A) and Vol. 2 §15.30.1 (VM_CR).
 */
#ifndef ARCH_X86_SVM_CAPS_H
#define ARCH_X86_SVM_CAPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* What the CPU reports; the SVM leaf and VM_CR are valid only when cpuid_svm is set. */
struct svm_cpuid {
	char vendor[13];          /* CPUID.0 vendor string */
	bool cpuid_svm;           /* CPUID.80000001h:ECX[2] */
	uint32_t svm_eax;         /* CPUID.8000000Ah:EAX: SVM revision */
	uint32_t svm_ebx;         /* number of ASIDs */
	uint32_t svm_edx;         /* feature bits (CPUID_SVM_EDX_*) */
	uint64_t vm_cr;           /* MSR VM_CR */
};

struct svm_caps {
	bool svm;                 /* CPUID says SVM */
	bool disabled;            /* VM_CR.SVMDIS: firmware turned SVM off */
	uint8_t revision;
	uint32_t asids;           /* ASIDs 1..asids-1 are usable by guests */
	bool npt, nrips, vmcb_clean, flush_by_asid, decode_assists;
	bool tsc_scale, pause_filter, vgif;
};

/* VM_CR (MSR C001_0114h) bit 4: SVME cannot be set. */
#define SVM_VM_CR_SVMDIS (1ull << 4)

void svm_caps_decode(const struct svm_cpuid *m, struct svm_caps *c);

/*
 * The first feature Bulkhead needs that is missing, as a sentence for the
 * boot log ("AMD-V not available: ..."), or NULL if the CPU can run VMs.
 * Needed: SVM not disabled by firmware, nested paging, at least one guest
 * ASID. nrip_save, flushbyasid and the others are used when present.
 */
const char *svm_caps_missing(const struct svm_caps *c);

/* The one-line summary ("cpu: AuthenticAMD svm=yes npt=yes ..."), no newline. */
int svm_caps_format(const struct svm_cpuid *m, const struct svm_caps *c,
                    char *buf, size_t size);

#endif
