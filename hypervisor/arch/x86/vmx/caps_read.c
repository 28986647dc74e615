/* SPDX-License-Identifier: GPL-2.0-only */
#include "arch/x86/vmx/caps.h"

#include "arch/x86/cpu.h"
#include "arch/x86/vmx/vmx_defs.h"
#include "lib/string.h"

void vmx_read_msrs(struct vmx_msrs *m)
{
	memset(m, 0, sizeof(*m));
	struct cpuid_regs r = cpuid(CPUID_LEAF_VENDOR, 0);
	memcpy(m->vendor + 0, &r.ebx, 4);
	memcpy(m->vendor + 4, &r.edx, 4);
	memcpy(m->vendor + 8, &r.ecx, 4);
	m->vendor[12] = 0;

	m->cpuid_vmx = cpuid(CPUID_LEAF_FEATURES, 0).ecx & CPUID_1_ECX_VMX;
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
	if (m->basic & VMX_BASIC_TRUE_CTLS) {
		m->true_pinbased = rdmsr(MSR_IA32_VMX_TRUE_PINBASED);
		m->true_procbased = rdmsr(MSR_IA32_VMX_TRUE_PROCBASED);
		m->true_exit = rdmsr(MSR_IA32_VMX_TRUE_EXIT);
		m->true_entry = rdmsr(MSR_IA32_VMX_TRUE_ENTRY);
	}
	/* PROCBASED_CTLS2 and EPT_VPID_CAP exist only with secondary controls. */
	uint64_t proc = (m->basic & VMX_BASIC_TRUE_CTLS) ? m->true_procbased : m->procbased;
	if (VMX_CTL_ALLOWED1(proc, CPU_BASED_ACTIVATE_SECONDARY_CONTROLS)) {
		m->procbased2 = rdmsr(MSR_IA32_VMX_PROCBASED2);
		if (VMX_CTL_ALLOWED1(m->procbased2, SECONDARY_EXEC_ENABLE_EPT) ||
		    VMX_CTL_ALLOWED1(m->procbased2, SECONDARY_EXEC_ENABLE_VPID))
			m->ept_vpid_cap = rdmsr(MSR_IA32_VMX_EPT_VPID_CAP);
	}
}
