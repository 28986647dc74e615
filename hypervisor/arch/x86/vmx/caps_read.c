/* SPDX-License-Identifier: GPL-2.0-only */
#include "arch/x86/vmx/caps.h"

#include "arch/x86/cpu.h"
#include "lib/string.h"

#define CPUID1_ECX_VMX (1u << 5)

void vmx_read_msrs(struct vmx_msrs *m)
{
	memset(m, 0, sizeof(*m));
	struct cpuid_regs r = cpuid(0, 0);
	memcpy(m->vendor + 0, &r.ebx, 4);
	memcpy(m->vendor + 4, &r.edx, 4);
	memcpy(m->vendor + 8, &r.ecx, 4);
	m->vendor[12] = 0;

	m->cpuid_vmx = cpuid(1, 0).ecx & CPUID1_ECX_VMX;
	/* Reading VMX MSRs on a CPU without VMX raises #GP. */
	if (!m->cpuid_vmx)
		return;
	m->feature_control = rdmsr(MSR_IA32_FEATURE_CONTROL);
	m->basic = rdmsr(MSR_IA32_VMX_BASIC);
	m->pinbased = rdmsr(MSR_IA32_VMX_PINBASED);
	m->procbased = rdmsr(MSR_IA32_VMX_PROCBASED);
	m->exit = rdmsr(MSR_IA32_VMX_EXIT);
	m->entry = rdmsr(MSR_IA32_VMX_ENTRY);
	m->misc = rdmsr(MSR_IA32_VMX_MISC);
	if (m->basic & (1ull << 55)) {
		m->true_pinbased = rdmsr(MSR_IA32_VMX_TRUE_PINBASED);
		m->true_procbased = rdmsr(MSR_IA32_VMX_TRUE_PROCBASED);
		m->true_exit = rdmsr(MSR_IA32_VMX_TRUE_EXIT);
		m->true_entry = rdmsr(MSR_IA32_VMX_TRUE_ENTRY);
	}
	/* PROCBASED_CTLS2 and EPT_VPID_CAP exist only with secondary controls. */
	uint64_t proc = (m->basic & (1ull << 55)) ? m->true_procbased : m->procbased;
	if (proc & (1ull << (32 + 31))) {
		m->procbased2 = rdmsr(MSR_IA32_VMX_PROCBASED2);
		if (m->procbased2 & ((1ull << (32 + 1)) | (1ull << (32 + 5))))
			m->ept_vpid_cap = rdmsr(MSR_IA32_VMX_EPT_VPID_CAP);
	}
}
