/* SPDX-License-Identifier: GPL-2.0-only */
/* Detecting and turning on AMD-V on a CPU (contracts in svm.h). */
#include "arch/x86/svm/svm.h"

#include <bulkhead/errno.h>

#include "arch/x86/cpu.h"
#include "arch/x86/percpu.h"
#include "arch/x86/x86_defs.h"
#include "kernel/log.h"
#include "lib/string.h"
#include "mm/phys.h"

struct svm_caps svm_caps;

static void read_cpuid(struct svm_cpuid *m)
{
	memset(m, 0, sizeof(*m));
	struct cpuid_regs r = cpuid(CPUID_LEAF_VENDOR, 0);
	memcpy(m->vendor + 0, &r.ebx, 4);
	memcpy(m->vendor + 4, &r.edx, 4);
	memcpy(m->vendor + 8, &r.ecx, 4);
	if (cpuid(CPUID_LEAF_EXT_BASE, 0).eax < CPUID_LEAF_SVM)
		return;
	m->cpuid_svm = cpuid(CPUID_LEAF_EXT_PROCESSOR, 0).ecx & CPUID_80000001_ECX_SVM;
	/* VM_CR exists only where SVM does. */
	if (!m->cpuid_svm)
		return;
	r = cpuid(CPUID_LEAF_SVM, 0);
	m->svm_eax = r.eax;
	m->svm_ebx = r.ebx;
	m->svm_edx = r.edx;
	m->vm_cr = rdmsr(MSR_VM_CR);
}

const char *svm_probe(void)
{
	struct svm_cpuid m;
	char line[LOG_LINE_MAX];

	read_cpuid(&m);
	svm_caps_decode(&m, &svm_caps);
	svm_caps_format(&m, &svm_caps, line, sizeof(line));
	kprintf("%s\n", line);
	return svm_caps_missing(&svm_caps);
}

static uint64_t zeroed_frame(void)
{
	uint64_t p = frame_alloc(&phys_frames, 1, 1);
	if (p)
		memset((void *)(uintptr_t)p, 0, PAGE_SIZE);
	return p;
}

int svm_cpu_enable(void)
{
	struct percpu *me = percpu_this();
	if (rdmsr(MSR_VM_CR) & SVM_VM_CR_SVMDIS)
		return -BH_EPERM;
	if (!me->svm_host_save && !(me->svm_host_save = zeroed_frame()))
		return -BH_ENOMEM;
	if (!me->svm_host_vmcb && !(me->svm_host_vmcb = zeroed_frame()))
		return -BH_ENOMEM;
	wrmsr(MSR_IA32_EFER, rdmsr(MSR_IA32_EFER) | EFER_SVME);
	wrmsr(MSR_VM_HSAVE_PA, me->svm_host_save);
	/* This CPU's TR (its TSS, for the IST stacks) and segment bases, GS
	 * at its percpu, as they are now: what every exit must get back. */
	__asm__ volatile("vmsave %%rax" : : "a"(me->svm_host_vmcb) : "memory");
	return 0;
}
