/* SPDX-License-Identifier: GPL-2.0-only */
/* A Linux guest's CPUID (contract in linux_cpuid.h). */
#include "arch/x86/linux_cpuid.h"

#include "arch/x86/cpuid_filter.h"

/* The highest leaves a Linux guest is told of: 0x16 on Intel (for the TSC
 * frequency), else the CPU's up to 0xd; extended ones up to 0x80000008. */
#define LINUX_MAX_LEAF_INTEL  0x16u
#define LINUX_MAX_LEAF_OTHER  0x0du
#define LINUX_MAX_EXT_LEAF    0x80000008u

/* Leaf 1. ECX: DTES64 (2), MONITOR (3), DS-CPL (4), VMX (5), SMX (6),
 * EST (7), TM2 (8), SDBG (11), xTPR (14), PDCM (15), PCID (17), DCA (18),
 * x2APIC (21), TSC-deadline (24), XSAVE (26), OSXSAVE (27), AVX (28),
 * F16C (29). EDX: MCE (7), MCA (14), PSN (18), DS (21), ACPI (22),
 * HTT (28), TM (29), PBE (31). */
#define LEAF1_ECX_HIDDEN 0x3d26c9fcu
#define LEAF1_EDX_HIDDEN 0xb0644080u
#define LEAF1_EBX_KEEP   0x0000ffffu   /* brand index, CLFLUSH size; APIC ID 0, one CPU */

/* Leaf 6 EAX: ARAT, the APIC timer runs in every C-state. */
#define LEAF6_EAX_ARAT   (1u << 2)

/* Leaf 7.0 EBX kept: FSGSBASE (0), BMI1 (3), SMEP (7), BMI2 (8), ERMS (9),
 * ADX (19), SMAP (20), CLFLUSHOPT (23), SHA (29). ECX and EDX: none. */
#define LEAF7_EBX_KEEP   0x20980389u

/* Leaf 0x80000001. ECX kept: LAHF (0), ABM (5), SSE4A (6), misaligned SSE
 * (7), 3DNow prefetch (8). EDX: everything but RDTSCP (27) and AMD's copies
 * of leaf 1's MCE (7) and MCA (14), which Linux would follow to the
 * machine-check MSRs. */
#define EXT1_ECX_KEEP    0x000001e1u
#define EXT1_EDX_HIDDEN  ((1u << 27) | (1u << 14) | (1u << 7))

/* Leaf 0x80000007 EDX: invariant TSC. */
#define EXT7_EDX_INVARIANT_TSC (1u << 8)

bool cpuid_is_intel(const struct cpuid_regs *leaf0)
{
	/* "GenuineIntel" in EBX, EDX, ECX. */
	return leaf0->ebx == 0x756e6547u && leaf0->edx == 0x49656e69u && leaf0->ecx == 0x6c65746eu;
}

static uint32_t max_basic_leaf(const struct cpuid_regs *leaf0)
{
	if (cpuid_is_intel(leaf0))
		return LINUX_MAX_LEAF_INTEL;
	return leaf0->eax < LINUX_MAX_LEAF_OTHER ? leaf0->eax : LINUX_MAX_LEAF_OTHER;
}

static uint32_t max_ext_leaf(const struct cpuid_regs *ext0)
{
	return ext0->eax < LINUX_MAX_EXT_LEAF ? ext0->eax : LINUX_MAX_EXT_LEAF;
}

struct cpuid_regs linux_cpuid_view(uint32_t leaf, uint32_t subleaf,
                                   const struct cpuid_regs *host,
                                   const struct cpuid_regs *leaf0,
                                   const struct cpuid_regs *ext0,
                                   uint64_t tsc_hz, uint32_t vm_id)
{
	const struct cpuid_regs none = { 0 };
	bool intel = cpuid_is_intel(leaf0);
	struct cpuid_regs r;

	if (leaf < CPUID_LEAF_HYPERVISOR_BASE && leaf > max_basic_leaf(leaf0))
		return none;
	if (leaf >= CPUID_LEAF_EXT_BASE && leaf > max_ext_leaf(ext0))
		return none;
	/* On Intel the guest is told of basic leaves up to 0x16, which the
	 * CPU may lack: for those the CPU answers with its highest leaf's
	 * data, which must not pass as theirs. */
	if (leaf < CPUID_LEAF_HYPERVISOR_BASE && leaf > leaf0->eax)
		host = &none;
	r = cpuid_guest_view(leaf, subleaf, host, vm_id);
	switch (leaf) {
	case CPUID_LEAF_VENDOR:
		r.eax = max_basic_leaf(leaf0);
		return r;
	case CPUID_LEAF_FEATURES:
		r.ebx &= LEAF1_EBX_KEEP;
		r.ecx &= ~LEAF1_ECX_HIDDEN;
		r.edx &= ~LEAF1_EDX_HIDDEN;
		return r;
	case CPUID_LEAF_THERM:
		return (struct cpuid_regs){ .eax = LEAF6_EAX_ARAT };
	case CPUID_LEAF_EXT_FEATURES:
		if (subleaf != 0)
			return none;
		return (struct cpuid_regs){ .ebx = r.ebx & LEAF7_EBX_KEEP };
	case 0x15:   /* TSC / crystal ratio 1:1, the crystal at the TSC's rate */
		if (!intel || tsc_hz > UINT32_MAX)
			return none;
		return (struct cpuid_regs){ .eax = 1, .ebx = 1, .ecx = (uint32_t)tsc_hz };
	case 0x16:   /* base and maximum MHz, bus 100 MHz */
		if (!intel)
			return none;
		return (struct cpuid_regs){ .eax = (uint32_t)(tsc_hz / 1000000),
		                            .ebx = (uint32_t)(tsc_hz / 1000000), .ecx = 100 };
	case 0x02: case 0x03: case 0x05: case 0x08: case 0x09: case 0x0a:
	case 0x0c: case 0x0d: case 0x0e: case 0x0f: case 0x10: case 0x11:
	case 0x12: case 0x13: case 0x14:
		/* Leaf 2 (cache descriptors) is harmless and kept; the others
		 * describe what the guest does not get. */
		return leaf == 0x02 ? r : none;
	case 0x04: case 0x0b:   /* cache and core topology: one CPU, no x2APIC */
		return none;
	case CPUID_LEAF_EXT_BASE:
		r.eax = max_ext_leaf(ext0);
		return r;
	case CPUID_LEAF_EXT_PROCESSOR:
		r.ecx &= EXT1_ECX_KEEP;
		r.edx &= ~EXT1_EDX_HIDDEN;
		return r;
	case 0x80000007:
		return (struct cpuid_regs){ .edx = EXT7_EDX_INVARIANT_TSC };
	case 0x80000008:   /* address sizes only: no core count, no speculation bits */
		return (struct cpuid_regs){ .eax = r.eax & 0xffff };
	}
	return r;
}
