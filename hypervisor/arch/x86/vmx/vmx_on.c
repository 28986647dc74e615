/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Entering VMX operation on a CPU (SDM Vol. 3C §24.7, §24.8): lock
 * IA32_FEATURE_CONTROL with VMX allowed if firmware left it unlocked (OVMF
 * does, docs/platforms.md), bring CR0/CR4 to the VMX-fixed values, then VMXON
 * with a per-CPU region stamped with the VMCS revision.
 */
#include "arch/x86/vmx/vmx.h"

#include <bulkhead/errno.h>

#include "arch/x86/cpu.h"
#include "arch/x86/gdt.h"
#include "arch/x86/vmx/controls.h"
#include "arch/x86/vmx/vmx_defs.h"
#include "arch/x86/vmx/vmx_insn.h"
#include "kernel/log.h"
#include "lib/string.h"
#include "mm/phys.h"


static uint64_t vmxon_region[MAX_CPUS];

uint32_t vmx_revision(void)
{
	return (uint32_t)(rdmsr(MSR_IA32_VMX_BASIC) & VMX_BASIC_REVISION_MASK);
}

void *vmx_alloc_region(struct frame_alloc *from, uint64_t *phys)
{
	uint64_t p = frame_alloc(from, 1, 1);
	if (!p)
		return NULL;
	uint32_t *region = (uint32_t *)(uintptr_t)p;
	memset(region, 0, PAGE_SIZE);
	region[0] = vmx_revision();
	*phys = p;
	return region;
}

int vmx_cpu_enable(unsigned cpu)
{
	uint64_t fc = rdmsr(MSR_IA32_FEATURE_CONTROL);
	if (!(fc & FEAT_CTL_LOCKED))
		wrmsr(MSR_IA32_FEATURE_CONTROL, fc | FEAT_CTL_LOCKED | FEAT_CTL_VMX_ENABLED_OUTSIDE_SMX);
	else if (!(fc & FEAT_CTL_VMX_ENABLED_OUTSIDE_SMX))
		return -BH_EPERM;   /* firmware locked VMX off: the probe said so */

	uint64_t cr0 = read_cr0(), cr4 = read_cr4() | CR4_VMXE;
	uint64_t cr0_fixed = vmx_fixed_bits(cr0, rdmsr(MSR_IA32_VMX_CR0_FIXED0),
	                                    rdmsr(MSR_IA32_VMX_CR0_FIXED1));
	uint64_t cr4_fixed = vmx_fixed_bits(cr4, rdmsr(MSR_IA32_VMX_CR4_FIXED0),
	                                    rdmsr(MSR_IA32_VMX_CR4_FIXED1));
	if (cr0_fixed != cr0) {
		kprintf("vmx: CR0 0x%llx does not meet the VMX fixed bits (needs 0x%llx)\n",
		        (unsigned long long)cr0, (unsigned long long)cr0_fixed);
		return -BH_EINVAL;
	}
	write_cr4(cr4_fixed);

	if (!vmxon_region[cpu] && !vmx_alloc_region(&phys_frames, &vmxon_region[cpu]))
		return -BH_ENOMEM;
	if (vmxon(vmxon_region[cpu]) != 0)
		return -BH_EIO;
	/* Stale translations from an earlier owner of these EPTPs/VPIDs. */
	invept(INVEPT_ALL_CONTEXT, 0);
	return 0;
}
