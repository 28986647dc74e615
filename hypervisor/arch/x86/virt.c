/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The arch seam for running VMs (arch/virt.h), forwarded to the back end
 * the CPU offers: VT-x where CPUID.1:ECX says VMX, else AMD-V where
 * CPUID.80000001h:ECX says SVM. The choice is made once, in
 * arch_virt_probe, before any VM exists, and logged.
 */
#include "arch/arch.h"
#include "arch/virt.h"

#include "arch/x86/cpu.h"
#include "arch/x86/mm/ept.h"
#include "arch/x86/virt_backend.h"
#include "kernel/log.h"
#include "lib/format.h"

static const struct virt_backend *backend;

static bool cpu_has_svm(void)
{
	if (cpuid(CPUID_LEAF_EXT_BASE, 0).eax < CPUID_LEAF_EXT_PROCESSOR)
		return false;
	return cpuid(CPUID_LEAF_EXT_PROCESSOR, 0).ecx & CPUID_80000001_ECX_SVM;
}

const char *arch_virt_probe(void)
{
	static char why[LOG_LINE_MAX];
	const char *missing;

	if (cpuid(CPUID_LEAF_FEATURES, 0).ecx & CPUID_1_ECX_VMX)
		backend = &vmx_backend;
	else if (cpu_has_svm())
		backend = &svm_backend;
	if (backend) {
		missing = backend->probe();
		if (!missing)
			kprintf("bulkhead: using %s\n", backend->name);
		return missing;
	}
	/* Neither: say what each back end lacks. */
	const char *vmx_why = vmx_backend.probe();
	const char *svm_why = svm_backend.probe();
	bh_snprintf(why, sizeof(why), "no hardware virtualization (%s; %s)", vmx_why, svm_why);
	return why;
}

const char *arch_virt_name(void)
{
	return backend->name;
}

int arch_virt_init(const char **why)
{
	return backend->init(why);
}

int virt_cpu_init(unsigned cpu, const char **why)
{
	return backend->cpu_init(cpu, why);
}

const char *virt_backend_name(void)
{
	return backend->name;
}

void arch_vm_hand_over(struct vm *vm)
{
	if (backend->vm_hand_over)
		backend->vm_hand_over(vm);
}

void arch_vm_release(struct vm *vm)
{
	backend->vm_release(vm);
}

int arch_vm_setup(struct vm *vm, const struct arch_guest_start *start)
{
	return backend->vm_setup(vm, start);
}

int arch_vm_map(struct vm *vm, uint64_t gpa, uint64_t hpa, uint64_t size, bool writable)
{
	return backend->vm_map(vm, gpa, hpa, size, EPT_READ | (writable ? EPT_WRITE : 0));
}

int arch_vm_map_mmio(struct vm *vm, uint64_t gpa, uint64_t hpa, uint64_t size)
{
	return backend->vm_map(vm, gpa, hpa, size, EPT_READ | EPT_WRITE | EPT_UNCACHED);
}

int arch_vm_unmap(struct vm *vm, uint64_t gpa, uint64_t size)
{
	return backend->vm_unmap(vm, gpa, size);
}

uint64_t arch_vm_kernel_bytes(const struct vm *vm)
{
	return backend->vm_kernel_bytes(vm);
}

void arch_vm_teardown(struct vm *vm)
{
	backend->vm_teardown(vm);
}

enum vm_run_result arch_vm_run(struct vm *vm, uint64_t until)
{
	return backend->vm_run(vm, until);
}

void arch_vm_set_return(struct vm *vm, int64_t value)
{
	backend->vm_set_return(vm, value);
}

bool arch_linux_supported(const char **why)
{
	if (backend->linux_supported())
		return true;
	*why = "this CPU cannot run Linux guests (VT-x needs unrestricted guest and "
	       "interrupt-window exiting)";
	return false;
}

void arch_linux_get_regs(struct vm *vm, struct bh_monitor_regs *r)
{
	backend->linux_get_regs(vm, r);
}

void arch_linux_set_regs(struct vm *vm, const struct bh_monitor_regs *r)
{
	backend->linux_set_regs(vm, r);
}

void arch_linux_reset(struct vm *vm)
{
	backend->linux_reset(vm);
}
