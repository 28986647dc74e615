/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Running VMs on VT-x (contracts in arch/virt.h, reached through
 * vmx_backend): VM set-up and tear-down,
 * the enter/exit loop with the preemption timer bounding each slice, and
 * the per-VM switch of the x87/SSE state and the MSRs in
 * VCPU_SWITCHED_MSRS, so no register content crosses VMs.
 */
#include "arch/x86/virt_backend.h"

#include <bulkhead/errno.h>

#include "arch/time.h"
#include "arch/x86/cpu.h"
#include "arch/x86/mm/table_frames.h"
#include "arch/x86/percpu.h"
#include "arch/x86/vmx/exits.h"
#include "arch/x86/vmx/vcpu.h"
#include "arch/x86/vmx/vmcs.h"
#include "arch/x86/vmx/vmx.h"
#include "arch/x86/vmx/vmx_defs.h"
#include "arch/x86/vmx/vmx_insn.h"
#include "kernel/kernel_lock.h"
#include "kernel/log.h"
#include "lib/string.h"
#include "mm/phys.h"
#include "mm/records.h"

static const uint32_t switched_msrs[VCPU_NR_SWITCHED_MSRS] = VCPU_SWITCHED_MSRS;
static uint8_t timer_rate;        /* preemption timer ticks every 2^rate TSC cycles */
static bool ept_2m;               /* 2 MiB EPT leaves (IA32_VMX_EPT_VPID_CAP[16]) */

static int vmx_cpu_init(unsigned cpu, const char **why)
{
	int rc = vmx_cpu_enable(cpu);
	if (rc)
		*why = rc == -BH_EPERM ? "VMX is locked off by firmware" :
		       rc == -BH_EINVAL ? "CR0 cannot meet the VMX fixed bits" :
		       rc == -BH_ENOMEM ? "no memory for the VMXON region" : "VMXON failed";
	return rc;
}

static int vmx_virt_init(const char **why)
{
	int rc = vmx_cpu_init(0, why);
	if (rc)
		return rc;
	rc = vmx_controls_init();
	if (rc) {
		*why = "the CPU cannot provide the VM controls Bulkhead needs";
		return rc;
	}
	timer_rate = (uint8_t)(rdmsr(MSR_IA32_VMX_MISC) & VMX_MISC_PREEMPTION_TIMER_RATE_MASK);
	ept_2m = rdmsr(MSR_IA32_VMX_EPT_VPID_CAP) & VMX_EPT_2MB_PAGE_BIT;
	return 0;
}

static int vmx_vm_setup(struct vm *vm, const struct arch_guest_start *start)
{
	/* The vCPU record, VMCS and EPT come from where the VM's memory
	 * does (mm/records.h). */
	struct arch_vcpu *v = record_alloc(vm->frames, sizeof(*v));
	if (!v)
		return -BH_ENOMEM;
	struct ept_env env = table_frames_env(vm->frames);
	int rc = ept_init(&v->ept, &env, ept_2m);
	if (rc) {
		record_free(vm->frames, v, sizeof(*v));
		return rc;
	}
	rc = ept_map(&v->ept, 0, vm->mem_hpa, vm->mem_size, EPT_READ | EPT_WRITE | EPT_EXEC);
	if (!rc)
		rc = vmcs_setup(vm, v, start);
	if (rc) {
		ept_destroy(&v->ept);
		record_free(vm->frames, v, sizeof(*v));
		return rc;
	}
	/* The EPTP and VPID may have served a destroyed VM: drop stale entries. */
	invept(INVEPT_SINGLE_CONTEXT, ept_eptp(&v->ept));
	if (v->vpid)
		invvpid(INVVPID_SINGLE_CONTEXT, v->vpid);
	vm->arch = v;
	return 0;
}

/* Made here, run there: clear, so its own CPU can load it. */
static void vmx_vm_hand_over(struct vm *vm)
{
	struct arch_vcpu *v = vm->arch;
	if (!v || v->cpu == vm->cpu)
		return;
	vcpu_unload(v);
	v->cpu = vm->cpu;
	v->host_state_here = false;
}

/* On its CPU, once stopped: nothing of it stays in this CPU (arch/virt.h).
 * Its stale translations go too: the EPTP's and VPID's next owner may run
 * on this CPU with nothing to tell it they are stale. */
static void vmx_vm_release(struct vm *vm)
{
	struct arch_vcpu *v = vm->arch;
	struct percpu *me = percpu_this();
	if (!v)
		return;
	if (me->fx_owner == vm)
		me->fx_owner = NULL;
	vcpu_unload(v);
	invept(INVEPT_SINGLE_CONTEXT, ept_eptp(&v->ept));
	if (v->vpid)
		invvpid(INVVPID_SINGLE_CONTEXT, v->vpid);
}

static int vmx_vm_map(struct vm *vm, uint64_t gpa, uint64_t hpa, uint64_t size, unsigned flags)
{
	struct arch_vcpu *v = vm->arch;
	int rc = ept_map(&v->ept, gpa, hpa, size, flags);
	invept(INVEPT_SINGLE_CONTEXT, ept_eptp(&v->ept));
	return rc;
}

/* On the VM's CPU (arch/virt.h): its translations live only here. */
static int vmx_vm_unmap(struct vm *vm, uint64_t gpa, uint64_t size)
{
	struct arch_vcpu *v = vm->arch;
	int rc = ept_unmap(&v->ept, gpa, size);
	invept(INVEPT_SINGLE_CONTEXT, ept_eptp(&v->ept));
	return rc;
}

static uint64_t vmx_vm_kernel_bytes(const struct vm *vm)
{
	const struct arch_vcpu *v = vm->arch;
	return (v->ept.tables + 1 + RECORD_PAGES_FOR(sizeof(*v))) * PAGE_SIZE;
}

static void vmx_vm_teardown(struct vm *vm)
{
	struct arch_vcpu *v = vm->arch;
	if (!v)
		return;
	percpu_forget_vm(vm);
	vmcs_forget(v, vm->frames);
	invept(INVEPT_SINGLE_CONTEXT, ept_eptp(&v->ept));
	ept_destroy(&v->ept);
	record_free(vm->frames, v, sizeof(*v));
	vm->arch = NULL;
}

static void vmx_vm_set_return(struct vm *vm, int64_t value)
{
	struct arch_vcpu *v = vm->arch;
	v->regs.rax = (uint64_t)value;
}

/*
 * Guest state that no VMCS field holds stays in the CPU while the kernel
 * runs: the kernel never touches x87/SSE (-mgeneral-regs-only) nor
 * KERNEL_GS_BASE (it has no ring 3 and no SWAPGS). So it is moved only
 * when the CPU turns to another VM, by FXSAVE/FXRSTOR and one RDMSR/WRMSR
 * pair per switched MSR; the VMCS MSR-load and MSR-store lists (SDM Vol.
 * 3C §25.7.2, §25.8.2) would move each MSR on every entry and exit. A new
 * VM starts from the zeroes arch_vm_setup left in its arch_vcpu.
 */
static void switch_vm_state(struct percpu *me, struct vm *vm)
{
	if (me->fx_owner == vm)
		return;
	if (me->fx_owner) {
		struct arch_vcpu *old = me->fx_owner->arch;
		fxsave(old->fx);
		for (size_t i = 0; i < VCPU_NR_SWITCHED_MSRS; i++)
			old->msrs[i] = rdmsr(switched_msrs[i]);
	}
	struct arch_vcpu *v = vm->arch;
	fxrstor(v->fx);
	for (size_t i = 0; i < VCPU_NR_SWITCHED_MSRS; i++)
		wrmsr(switched_msrs[i], v->msrs[i]);
	me->fx_owner = vm;
}

static enum vm_run_result vmx_vm_run(struct vm *vm, uint64_t until)
{
	struct arch_vcpu *v = vm->arch;
	struct percpu *me = percpu_this();

	switch_vm_state(me, vm);
	for (;;) {
		/* Every entry: a hypercall (a launch) may have made another
		 * VMCS current since the last one. */
		if (me->vmcs_current != v && vcpu_load(v)) {
			vm_stop(vm, "cannot load its VMCS");
			return RUN_STOPPED;
		}
		uint64_t now = rdtsc();
		if (now >= until)
			return RUN_PREEMPTED;
		uint64_t end = v->linux_guest ? vmx_linux_before_entry(vm, v, until) : until;
		uint64_t ticks = end > now ? (end - now) >> timer_rate : 0;
		vmcs_write32(VMX_PREEMPTION_TIMER_VALUE, ticks > 0xffffffffu ? 0xffffffffu : (uint32_t)ticks);

		/* The guest runs without the kernel lock; another CPU that
		 * changes this VM meanwhile kicks this one, whose pending IPI
		 * makes the guest exit at once. */
		kernel_unlock();
		int failed = vmx_enter(&v->regs, v->launched);
		kernel_lock();
		if (failed) {
			uint32_t err = vmcs_read32(VM_INSTRUCTION_ERROR);
			vm_stop(vm, "VM entry failed: VM-instruction error %u (%s)", err,
			        vmx_instruction_error_name(err));
			return RUN_STOPPED;
		}
		v->launched = true;
		vm->exits++;
		if (vm->state == VM_STOPPED)
			return RUN_STOPPED;   /* by another CPU while it ran: the exit is moot */
		int action = v->linux_guest ? vmx_linux_handle_exit(vm, v) : vmx_handle_exit(vm, v);
		if (action != EXIT_RESUME)
			return (enum vm_run_result)action;
	}
}

const struct virt_backend vmx_backend = {
	.name = "VT-x and EPT",
	.probe = vmx_probe,
	.init = vmx_virt_init,
	.cpu_init = vmx_cpu_init,
	.vm_hand_over = vmx_vm_hand_over,
	.vm_release = vmx_vm_release,
	.vm_setup = vmx_vm_setup,
	.vm_map = vmx_vm_map,
	.vm_unmap = vmx_vm_unmap,
	.vm_kernel_bytes = vmx_vm_kernel_bytes,
	.vm_teardown = vmx_vm_teardown,
	.vm_run = vmx_vm_run,
	.vm_set_return = vmx_vm_set_return,
	.linux_supported = vmx_linux_capable,
	.linux_get_regs = vmx_linux_get_regs,
	.linux_set_regs = vmx_linux_set_regs,
	.linux_reset = vmx_linux_reset,
};
