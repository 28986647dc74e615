/* SPDX-License-Identifier: GPL-2.0-only */
/* The guest's view of CPUID (contract in cpuid_filter.h). */
#include "arch/x86/cpuid_filter.h"

#include <stdbool.h>

/*
 * Leaf 1 ECX features a guest must not see: VMX and SMX it cannot use (the
 * kernel answers their instructions with #UD); XSAVE, OSXSAVE and AVX need
 * XSAVE state the kernel does not switch between VMs; MONITOR/MWAIT exit
 * and raise #UD.
 */
#define LEAF1_ECX_HIDDEN (CPUID_1_ECX_MONITOR | CPUID_1_ECX_VMX | CPUID_1_ECX_SMX | \
                          CPUID_1_ECX_XSAVE | CPUID_1_ECX_OSXSAVE | CPUID_1_ECX_AVX)

/* Leaf 7.0: AVX2, AVX-512F, MPX and protection keys need XSAVE state too
 * (SDM Vol. 1 §13.1), and OSPKE would show the host's CR4.PKE, not the
 * guest's 0; SGX enclaves are outside what the kernel can isolate. */
#define LEAF7_0_EBX_HIDDEN (CPUID_7_0_EBX_SGX | CPUID_7_0_EBX_AVX2 | CPUID_7_0_EBX_MPX | \
                            CPUID_7_0_EBX_AVX512F)
#define LEAF7_0_ECX_HIDDEN (CPUID_7_0_ECX_PKU | CPUID_7_0_ECX_OSPKE)

/* Leaf 0x80000001 ECX: SVM, which the guest cannot use either (the AMD-V
 * kernel answers its instructions with #UD). */
#define LEAF_EXT_PROCESSOR_ECX_HIDDEN CPUID_80000001_ECX_SVM

/* Leaves that describe features the guest does not get, answered with zero. */
static bool leaf_withheld(uint32_t leaf)
{
	return leaf == CPUID_LEAF_MWAIT || leaf == CPUID_LEAF_THERM ||
	       leaf == CPUID_LEAF_ARCH_PERFMON || leaf == CPUID_LEAF_XSTATE ||
	       leaf == CPUID_LEAF_SVM ||
	       (leaf >= CPUID_LEAF_HYPERVISOR_BASE && leaf < CPUID_LEAF_EXT_BASE);
}

struct cpuid_regs cpuid_guest_view(uint32_t leaf, uint32_t subleaf,
                                   const struct cpuid_regs *host, uint32_t vm_id)
{
	struct cpuid_regs r = *host;

	switch (leaf) {
	case CPUID_BULKHEAD_BASE:
		return (struct cpuid_regs){ CPUID_BULKHEAD_INFO, CPUID_BULKHEAD_SIG_EBX,
		                            CPUID_BULKHEAD_SIG_ECX, CPUID_BULKHEAD_SIG_EDX };
	case CPUID_BULKHEAD_INFO:
		return (struct cpuid_regs){ .eax = CPUID_BULKHEAD_ABI_VERSION, .ebx = vm_id };
	case CPUID_LEAF_FEATURES:
		r.ecx = (r.ecx & ~LEAF1_ECX_HIDDEN) | CPUID_1_ECX_HYPERVISOR;
		return r;
	case CPUID_LEAF_EXT_FEATURES:
		if (subleaf == 0) {
			r.ebx &= ~LEAF7_0_EBX_HIDDEN;
			r.ecx &= ~LEAF7_0_ECX_HIDDEN;
		}
		return r;
	case CPUID_LEAF_EXT_PROCESSOR:
		r.ecx &= ~LEAF_EXT_PROCESSOR_ECX_HIDDEN;
		return r;
	}
	if (leaf_withheld(leaf))
		return (struct cpuid_regs){ 0 };
	return r;
}
