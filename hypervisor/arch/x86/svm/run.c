/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Running VMs on AMD-V (contracts in arch/virt.h, reached through
 * svm_backend): VM set-up and tear-down, ASIDs, and the enter/exit loop
 * with the local APIC timer bounding each slice in place of VT-x's
 * preemption timer: it is armed for the slice's end, and its interrupt
 * exits the guest (INTR intercept). The x87/SSE state is switched per VM
 * as on VT-x; the rest of what a VM owns moves with VMLOAD/VMSAVE
 * (svm/vcpu.h), so no register content crosses VMs.
 */
#include "arch/x86/virt_backend.h"

#include <bulkhead/errno.h>

#include "arch/x86/cpu.h"
#include "arch/x86/mm/table_frames.h"
#include "arch/x86/guest_exits.h"
#include "arch/x86/lapic.h"
#include "arch/x86/percpu.h"
#include "arch/x86/svm/npt.h"
#include "arch/x86/svm/svm.h"
#include "arch/x86/svm/vcpu.h"
#include "kernel/kernel_lock.h"
#include "kernel/log.h"
#include "lib/string.h"
#include "mm/phys.h"
#include "mm/records.h"

/* ASIDs handed out; beyond this many VMs share them (asid_for). */
#define ASIDS_USED 64u

/* Which VM last ran with each ASID on each CPU: another one must flush
 * first. */
static const struct vm *asid_owner[MAX_CPUS][ASIDS_USED + 1];

/* NPT and the intercepts Linux guests need are in every AMD-V CPU that
 * passed svm_probe. */
static bool svm_linux_supported(void)
{
	return true;
}

static int svm_cpu_init(unsigned cpu, const char **why)
{
	(void)cpu;   /* the areas hang off the calling CPU's percpu */
	int rc = svm_cpu_enable();
	if (rc)
		*why = rc == -BH_EPERM ? "firmware disabled SVM (VM_CR.SVMDIS)" :
		       "no memory for the host save area";
	return rc;
}

static int svm_virt_init(const char **why)
{
	int rc = svm_cpu_init(0, why);
	if (rc)
		return rc;
	rc = svm_permission_maps_init();
	if (rc)
		*why = "no memory for the I/O and MSR permission maps";
	return rc;
}

/*
 * ASID 0 is the host's; guests get 1..asids-1 (CPUID 8000000Ah:EBX). A VM
 * takes its id where there are enough (up to ASIDS_USED); where not (QEMU
 * offers 16, and there is no fixed count of VMs) VMs share, and
 * asid_owner makes the sharer flush.
 */
static uint32_t asid_for(const struct vm *vm)
{
	uint32_t usable = svm_caps.asids - 1;
	return 1 + (vm->id - 1) % (usable < ASIDS_USED ? usable : ASIDS_USED);
}

static int svm_vm_setup(struct vm *vm, const struct arch_guest_start *start)
{
	/* The vCPU record, VMCB and NPT come from where the VM's memory
	 * does (mm/records.h). */
	struct svm_vcpu *v = record_alloc(vm->frames, sizeof(*v));
	if (!v)
		return -BH_ENOMEM;
	struct ept_env env = table_frames_env(vm->frames);
	int rc = ept_init_format(&v->npt, &env, true, &npt_format);
	if (rc) {
		record_free(vm->frames, v, sizeof(*v));
		return rc;
	}
	rc = ept_map(&v->npt, 0, vm->mem_hpa, vm->mem_size, EPT_READ | EPT_WRITE | EPT_EXEC);
	v->asid = asid_for(vm);
	if (!rc)
		rc = vmcb_setup(vm, v, start);
	if (!rc && start->pvh) {
		rc = svm_linux_init(vm, v);
		if (rc)
			vmcb_forget(v, vm->frames);
	}
	if (rc) {
		ept_destroy(&v->npt);
		record_free(vm->frames, v, sizeof(*v));
		return rc;
	}
	/* The ASID may have served a destroyed VM: drop stale entries. */
	v->flush_tlb = true;
	vm->arch = v;
	return 0;
}

static int svm_vm_map(struct vm *vm, uint64_t gpa, uint64_t hpa, uint64_t size, unsigned flags)
{
	struct svm_vcpu *v = vm->arch;
	int rc = ept_map(&v->npt, gpa, hpa, size, flags);
	v->flush_tlb = true;
	return rc;
}

/* On the VM's CPU, between its exits (arch/virt.h): its ASID's entries
 * are flushed before it runs again, and it runs nowhere else. */
static int svm_vm_unmap(struct vm *vm, uint64_t gpa, uint64_t size)
{
	struct svm_vcpu *v = vm->arch;
	int rc = ept_unmap(&v->npt, gpa, size);
	v->flush_tlb = true;
	return rc;
}

static uint64_t svm_vm_kernel_bytes(const struct vm *vm)
{
	const struct svm_vcpu *v = vm->arch;
	return (v->npt.tables + 1 + RECORD_PAGES_FOR(sizeof(*v))) * PAGE_SIZE;
}

static void svm_vm_teardown(struct vm *vm)
{
	struct svm_vcpu *v = vm->arch;
	if (!v)
		return;
	percpu_forget_vm(vm);
	for (unsigned cpu = 0; cpu < MAX_CPUS; cpu++)
		if (asid_owner[cpu][v->asid] == vm)
			asid_owner[cpu][v->asid] = NULL;
	vmcb_forget(v, vm->frames);
	/* No TLB entry of this ASID outlives the tables: the next VM given
	 * the ASID flushes before it runs (flush_tlb set by svm_vm_setup). */
	ept_destroy(&v->npt);
	record_free(vm->frames, v, sizeof(*v));
	vm->arch = NULL;
}

/* On its CPU, once stopped (arch/virt.h): the CPU holds none of its state,
 * and its ASID's next user there flushes first (tlb_control). A VMCB is
 * plain memory, current nowhere. */
static void svm_vm_release(struct vm *vm)
{
	struct svm_vcpu *v = vm->arch;
	struct percpu *me = percpu_this();
	if (!v)
		return;
	if (me->fx_owner == vm)
		me->fx_owner = NULL;
	if (asid_owner[me->index][v->asid] == vm)
		asid_owner[me->index][v->asid] = NULL;
}

static void svm_vm_set_return(struct vm *vm, int64_t value)
{
	struct svm_vcpu *v = vm->arch;
	v->regs.rax = (uint64_t)value;
}

/* The kernel never touches x87/SSE (-mgeneral-regs-only): the state moves
 * only when the CPU turns to another VM (as vmx/run.c does). */
static void switch_fx_state(struct percpu *me, struct vm *vm)
{
	if (me->fx_owner == vm)
		return;
	if (me->fx_owner)
		fxsave(((struct svm_vcpu *)me->fx_owner->arch)->fx);
	fxrstor(((struct svm_vcpu *)vm->arch)->fx);
	me->fx_owner = vm;
}

/* TLB_CONTROL for the next VMRUN: flush this ASID where the CPU can
 * (flushbyasid), else every ASID. */
static uint8_t tlb_control(const struct percpu *me, struct vm *vm, struct svm_vcpu *v)
{
	const struct vm **owner = &asid_owner[me->index][v->asid];
	if (*owner != vm) {
		*owner = vm;
		v->flush_tlb = true;
	}
	if (!v->flush_tlb)
		return TLB_CONTROL_DO_NOTHING;
	v->flush_tlb = false;
	return svm_caps.flush_by_asid ? TLB_CONTROL_FLUSH_ASID : TLB_CONTROL_FLUSH_ALL_ASID;
}

/* An event whose delivery the exit interrupted is delivered again at the
 * next VMRUN (APM Vol. 2 §15.7.2), as the guest would otherwise lose it. */
static void reinject_interrupted_event(struct vmcb_control *c)
{
	if (c->exit_int_info & SVM_EVTINJ_VALID) {
		c->event_inj = c->exit_int_info;
		c->event_inj_err = c->exit_int_info_err;
	} else {
		c->event_inj = 0;
	}
}

static enum vm_run_result svm_vm_run(struct vm *vm, uint64_t until)
{
	struct svm_vcpu *v = vm->arch;
	struct vmcb *vmcb = v->vmcb;

	struct percpu *me = percpu_this();

	switch_fx_state(me, vm);
	for (;;) {
		if (rdtsc() >= until)
			return RUN_PREEMPTED;
		lapic_arm_deadline(v->linux_guest ? svm_linux_before_entry(vm, v, until) : until);
		vmcb->control.tlb_ctl = tlb_control(me, vm, v);
		vmcb->save.rax = v->regs.rax;
		vmcb->save.cr2 = v->regs.cr2;
		/* Without the kernel lock, as on VT-x (vmx/run.c). */
		kernel_unlock();
		svm_enter(&v->regs, v->vmcb_phys, me->svm_host_vmcb);
		kernel_lock();
		v->regs.rax = vmcb->save.rax;
		vmcb->control.tlb_ctl = TLB_CONTROL_DO_NOTHING;
		reinject_interrupted_event(&vmcb->control);
		vm->exits++;
		if (vm->state == VM_STOPPED)
			return RUN_STOPPED;   /* by another CPU while it ran */
		int action = v->linux_guest ? svm_linux_handle_exit(vm, v) : svm_handle_exit(vm, v);
		if (action != EXIT_RESUME)
			return (enum vm_run_result)action;
	}
}

const struct virt_backend svm_backend = {
	.name = "AMD-V and NPT",
	.probe = svm_probe,
	.init = svm_virt_init,
	.cpu_init = svm_cpu_init,
	.vm_release = svm_vm_release,
	.vm_setup = svm_vm_setup,
	.vm_map = svm_vm_map,
	.vm_unmap = svm_vm_unmap,
	.vm_kernel_bytes = svm_vm_kernel_bytes,
	.vm_teardown = svm_vm_teardown,
	.vm_run = svm_vm_run,
	.vm_set_return = svm_vm_set_return,
	.linux_supported = svm_linux_supported,
	.linux_get_regs = svm_linux_get_regs,
	.linux_set_regs = svm_linux_set_regs,
	.linux_reset = svm_linux_reset,
};
