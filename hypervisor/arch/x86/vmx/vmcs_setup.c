/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * VMCS set-up for a native app VM (SDM Vol. 3C Chapter 25, checks in
 * Chapter 27). Controls are derived from the capability MSRs, TRUE_* ones
 * where they exist, so the kernel sets only what it asks for plus what the
 * CPU forces. What the guest may not do exits: HLT, I/O (all of it),
 * MSRs (bitmap all ones), CR0/CR4 changes (every bit owned), CR8, debug
 * registers, MONITOR/MWAIT, RDPMC, WBINVD; external interrupts and NMIs
 * belong to the kernel; the preemption timer bounds every slice.
 */
#include "arch/x86/vmx/vcpu.h"

#include <bulkhead/errno.h>
#include <bulkhead/guest_abi.h>

#include "arch/virt.h"
#include "arch/x86/cpu.h"
#include "arch/x86/guest_fx.h"
#include "arch/x86/gdt.h"
#include "arch/x86/percpu.h"
#include "arch/x86/vmx/controls.h"
#include "arch/x86/vmx/vmcs.h"
#include "arch/x86/vmx/vmx.h"
#include "arch/x86/vmx/vmx_defs.h"
#include "arch/x86/vmx/vmx_insn.h"
#include "kernel/log.h"
#include "kernel/vm.h"
#include "lib/string.h"
#include "mm/phys.h"

static struct {
	uint32_t pin, proc, proc2, exit, entry;
	uint64_t msr_bitmap;       /* one page of ones, shared read-only */
	bool vpid;
	bool linux_capable;        /* vmx_linux_capable */
} ctl;


static int adjust(const char *what, uint32_t wanted, uint32_t optional,
                  uint32_t msr, uint32_t true_msr, uint32_t *out)
{
	bool true_ctls = rdmsr(MSR_IA32_VMX_BASIC) & VMX_BASIC_TRUE_CTLS;
	uint32_t missing = 0;
	int rc = vmx_adjust_controls(wanted, optional,
	                             rdmsr(true_ctls && true_msr ? true_msr : msr),
	                             out, &missing);
	if (rc)
		kprintf("vmx: %s controls 0x%x cannot be set\n", what, missing);
	return rc;
}

int vmx_controls_init(void)
{
	int rc = adjust("pin-based",
	                PIN_BASED_EXT_INTR_MASK | PIN_BASED_NMI_EXITING |
	                PIN_BASED_VMX_PREEMPTION_TIMER, 0,
	                MSR_IA32_VMX_PINBASED, MSR_IA32_VMX_TRUE_PINBASED, &ctl.pin);
	rc = rc ?: adjust("processor-based",
	                  CPU_BASED_HLT_EXITING | CPU_BASED_MWAIT_EXITING |
	                  CPU_BASED_RDPMC_EXITING | CPU_BASED_CR8_LOAD_EXITING |
	                  CPU_BASED_CR8_STORE_EXITING | CPU_BASED_MOV_DR_EXITING |
	                  CPU_BASED_UNCOND_IO_EXITING | CPU_BASED_USE_MSR_BITMAPS |
	                  CPU_BASED_MONITOR_EXITING | CPU_BASED_ACTIVATE_SECONDARY_CONTROLS,
	                  0, MSR_IA32_VMX_PROCBASED, MSR_IA32_VMX_TRUE_PROCBASED, &ctl.proc);
	rc = rc ?: adjust("secondary",
	                  SECONDARY_EXEC_ENABLE_EPT | SECONDARY_EXEC_WBINVD_EXITING,
	                  SECONDARY_EXEC_ENABLE_VPID | SECONDARY_EXEC_ENABLE_RDTSCP,
	                  MSR_IA32_VMX_PROCBASED2, 0, &ctl.proc2);
	rc = rc ?: adjust("VM-exit",
	                  VM_EXIT_HOST_ADDR_SPACE_SIZE | VM_EXIT_SAVE_IA32_PAT |
	                  VM_EXIT_LOAD_IA32_PAT | VM_EXIT_SAVE_IA32_EFER |
	                  VM_EXIT_LOAD_IA32_EFER, 0,
	                  MSR_IA32_VMX_EXIT, MSR_IA32_VMX_TRUE_EXIT, &ctl.exit);
	rc = rc ?: adjust("VM-entry",
	                  VM_ENTRY_IA32E_MODE | VM_ENTRY_LOAD_IA32_PAT |
	                  VM_ENTRY_LOAD_IA32_EFER, 0,
	                  MSR_IA32_VMX_ENTRY, MSR_IA32_VMX_TRUE_ENTRY, &ctl.entry);
	if (rc)
		return rc;
	ctl.vpid = ctl.proc2 & SECONDARY_EXEC_ENABLE_VPID;
	bool true_ctls = rdmsr(MSR_IA32_VMX_BASIC) & VMX_BASIC_TRUE_CTLS;
	ctl.linux_capable =
		VMX_CTL_ALLOWED1(rdmsr(MSR_IA32_VMX_PROCBASED2), SECONDARY_EXEC_UNRESTRICTED_GUEST) &&
		VMX_CTL_ALLOWED1(rdmsr(true_ctls ? MSR_IA32_VMX_TRUE_PROCBASED : MSR_IA32_VMX_PROCBASED),
		                 CPU_BASED_INTR_WINDOW_EXITING);

	ctl.msr_bitmap = frame_alloc(&phys_frames, 1, 1);
	if (!ctl.msr_bitmap)
		return -BH_ENOMEM;
	memset((void *)(uintptr_t)ctl.msr_bitmap, 0xff, PAGE_SIZE);
	return 0;
}

bool vmx_linux_capable(void)
{
	return ctl.linux_capable;
}

/* The host state that differs between CPUs: their TSS, GDT and percpu. */
static void setup_host_cpu_state(void)
{
	vmcs_writel(HOST_GS_BASE, rdmsr(MSR_GS_BASE));
	vmcs_writel(HOST_TR_BASE, gdt_tss_base(cpu_this()));
	vmcs_writel(HOST_GDTR_BASE, sgdt().base);
}

int vcpu_load(struct arch_vcpu *v)
{
	struct percpu *me = percpu_this();
	if (me->vmcs_current == v)
		return 0;
	/* A VMCS is active on one CPU only (SDM Vol. 3C §25.11.1): its
	 * VM's, which vmx_vm_setup left it clear for. */
	if (v->cpu != me->index || vmptrld(v->vmcs_phys) != 0)
		return -BH_EIO;
	me->vmcs_current = v;
	if (!v->host_state_here) {
		setup_host_cpu_state();
		v->host_state_here = true;
	}
	return 0;
}

void vcpu_unload(struct arch_vcpu *v)
{
	struct percpu *me = percpu_this();
	if (me->vmcs_current == v)
		me->vmcs_current = NULL;
	vmclear(v->vmcs_phys);
}

static void setup_host_state(void)
{
	vmcs_writel(HOST_CR0, read_cr0());
	vmcs_writel(HOST_CR3, read_cr3());
	vmcs_writel(HOST_CR4, read_cr4());
	vmcs_write16(HOST_CS_SELECTOR, SEL_KCODE);
	vmcs_write16(HOST_SS_SELECTOR, SEL_KDATA);
	vmcs_write16(HOST_DS_SELECTOR, SEL_KDATA);
	vmcs_write16(HOST_ES_SELECTOR, SEL_KDATA);
	vmcs_write16(HOST_FS_SELECTOR, 0);
	vmcs_write16(HOST_GS_SELECTOR, 0);
	vmcs_write16(HOST_TR_SELECTOR, SEL_TSS);
	vmcs_writel(HOST_FS_BASE, rdmsr(MSR_FS_BASE));
	setup_host_cpu_state();
	vmcs_writel(HOST_IDTR_BASE, sidt().base);
	vmcs_write32(HOST_IA32_SYSENTER_CS, 0);
	vmcs_writel(HOST_IA32_SYSENTER_ESP, 0);
	vmcs_writel(HOST_IA32_SYSENTER_EIP, 0);
	vmcs_write64(HOST_IA32_EFER, rdmsr(MSR_IA32_EFER));
	vmcs_write64(HOST_IA32_PAT, rdmsr(MSR_IA32_PAT));
	vmcs_writel(HOST_RIP, (uint64_t)(uintptr_t)vmx_exit_entry);
}

/* Access rights of the guest's flat segments (SDM Vol. 3C §25.4.1), DPL 0. */
#define AR_CODE64 (VMX_AR_TYPE_CODE_MASK | VMX_AR_TYPE_READABLE_MASK |         \
                   VMX_AR_TYPE_ACCESSES_MASK | VMX_AR_S_MASK | VMX_AR_P_MASK | \
                   VMX_AR_L_MASK | VMX_AR_G_MASK)
#define AR_DATA   (VMX_AR_TYPE_WRITEABLE_MASK | VMX_AR_TYPE_ACCESSES_MASK |    \
                   VMX_AR_S_MASK | VMX_AR_P_MASK | VMX_AR_DB_MASK | VMX_AR_G_MASK)
#define AR_TSS64  (VMX_AR_TYPE_BUSY_64_TSS | VMX_AR_P_MASK)
_Static_assert(AR_CODE64 == 0xa09b && AR_DATA == 0xc093 && AR_TSS64 == 0x8b,
               "access rights as the SDM's descriptor layout gives them");
/* A 64-bit TSS is 104 bytes (Vol. 3A, "Task Management in 64-bit Mode"). */
#define TSS64_LIMIT 0x67

/* A flat guest segment, base 0, through the width-checked accessors. */
#define SETUP_SEGMENT(seg, selector, rights) \
	VMCS_FLAT_SEGMENT(seg, selector, rights, (rights) == AR_TSS64 ? TSS64_LIMIT : 0xffffffff)

void vmcs_guest_entry_state(uint64_t rsp, uint64_t rip, uint64_t rflags)
{
	vmcs_writel(GUEST_DR7, DR7_FIXED_1);
	vmcs_writel(GUEST_RSP, rsp);
	vmcs_writel(GUEST_RIP, rip);
	vmcs_writel(GUEST_RFLAGS, rflags);
	vmcs_writel(GUEST_PENDING_DBG_EXCEPTIONS, 0);
	vmcs_write32(GUEST_INTERRUPTIBILITY_INFO, 0);
	vmcs_write32(GUEST_ACTIVITY_STATE, GUEST_ACTIVITY_ACTIVE);
	vmcs_write32(GUEST_SYSENTER_CS, 0);
	vmcs_writel(GUEST_SYSENTER_ESP, 0);
	vmcs_writel(GUEST_SYSENTER_EIP, 0);
}

static void setup_guest_state(const struct arch_guest_start *s)
{
	uint64_t cr0 = BH_GUEST_ENTRY_CR0, cr4 = BH_GUEST_ENTRY_CR4;

	/* VMX forces some CR bits in the guest (CR4.VMXE among them); the
	 * read shadows show the guest the values the ABI promises. */
	vmcs_writel(GUEST_CR0, vmx_fixed_bits(cr0, rdmsr(MSR_IA32_VMX_CR0_FIXED0),
	                                      rdmsr(MSR_IA32_VMX_CR0_FIXED1)));
	vmcs_writel(GUEST_CR4, vmx_fixed_bits(cr4, rdmsr(MSR_IA32_VMX_CR4_FIXED0),
	                                      rdmsr(MSR_IA32_VMX_CR4_FIXED1)));
	vmcs_writel(CR0_READ_SHADOW, cr0);
	vmcs_writel(CR4_READ_SHADOW, cr4);
	vmcs_writel(CR0_GUEST_HOST_MASK, ~0ull);
	vmcs_writel(CR4_GUEST_HOST_MASK, ~0ull);
	vmcs_writel(GUEST_CR3, s->cr3);
	vmcs_write64(GUEST_IA32_EFER, BH_GUEST_ENTRY_EFER);
	vmcs_write64(GUEST_IA32_PAT, PAT_POWER_ON_DEFAULT);

	SETUP_SEGMENT(CS, BH_GUEST_ENTRY_CS, AR_CODE64);
	SETUP_SEGMENT(SS, BH_GUEST_ENTRY_DS, AR_DATA);
	SETUP_SEGMENT(DS, BH_GUEST_ENTRY_DS, AR_DATA);
	SETUP_SEGMENT(ES, BH_GUEST_ENTRY_DS, AR_DATA);
	SETUP_SEGMENT(FS, 0, VMX_AR_UNUSABLE_MASK);
	SETUP_SEGMENT(GS, 0, VMX_AR_UNUSABLE_MASK);
	SETUP_SEGMENT(TR, BH_GUEST_ENTRY_TR, AR_TSS64);
	SETUP_SEGMENT(LDTR, 0, VMX_AR_UNUSABLE_MASK);
	vmcs_writel(GUEST_GDTR_BASE, 0);
	vmcs_write32(GUEST_GDTR_LIMIT, 0);
	vmcs_writel(GUEST_IDTR_BASE, 0);
	vmcs_write32(GUEST_IDTR_LIMIT, 0);

	vmcs_guest_entry_state(s->rsp, s->rip, BH_GUEST_ENTRY_RFLAGS);
	vmcs_write64(VMCS_LINK_POINTER, ~0ull);
}

static void setup_controls(struct arch_vcpu *v)
{
	vmcs_write32(PIN_BASED_VM_EXEC_CONTROL, ctl.pin);
	vmcs_write32(CPU_BASED_VM_EXEC_CONTROL, ctl.proc);
	vmcs_write32(SECONDARY_VM_EXEC_CONTROL, ctl.proc2);
	vmcs_write32(VM_EXIT_CONTROLS, ctl.exit);
	vmcs_write32(VM_ENTRY_CONTROLS, ctl.entry);
	vmcs_write32(EXCEPTION_BITMAP, 0);
	vmcs_write32(PAGE_FAULT_ERROR_CODE_MASK, 0);
	vmcs_write32(PAGE_FAULT_ERROR_CODE_MATCH, 0);
	vmcs_write32(CR3_TARGET_COUNT, 0);
	vmcs_write32(VM_EXIT_MSR_STORE_COUNT, 0);
	vmcs_write32(VM_EXIT_MSR_LOAD_COUNT, 0);
	vmcs_write32(VM_ENTRY_MSR_LOAD_COUNT, 0);
	vmcs_write32(VM_ENTRY_INTR_INFO_FIELD, 0);
	vmcs_write64(MSR_BITMAP, ctl.msr_bitmap);
	vmcs_write64(EPT_POINTER, ept_eptp(&v->ept));
	if (ctl.vpid)
		vmcs_write16(VIRTUAL_PROCESSOR_ID, v->vpid);
	vmcs_write64(TSC_OFFSET, 0);
}

int vmcs_setup(struct vm *vm, struct arch_vcpu *v, const struct arch_guest_start *start)
{
	/* The VPID is the VM's id, so no two VMs share TLB entries: ids are
	 * not bounded by a table any more, and VPIDs end at 0xffff. */
	if (ctl.vpid && vm->id > 0xffff)
		return -BH_ENOSPC;
	if (!vmx_alloc_region(vm->frames, &v->vmcs_phys))
		return -BH_ENOMEM;
	if (vmclear(v->vmcs_phys) != 0 || vmptrld(v->vmcs_phys) != 0) {
		frame_free(vm->frames, v->vmcs_phys, 1);
		v->vmcs_phys = 0;
		return -BH_EIO;
	}
	percpu_this()->vmcs_current = v;
	v->cpu = cpu_this();   /* until vmx_vm_hand_over gives it to vm->cpu */
	v->host_state_here = true;
	v->vpid = ctl.vpid ? (uint16_t)vm->id : 0;
	v->launched = false;
	setup_host_state();
	setup_controls(v);
	setup_guest_state(start);
	v->regs = (struct guest_regs){ .rdi = start->rdi };
	guest_fx_reset(v->fx);
	int rc = start->pvh ? vmx_linux_init(vm, v) : 0;
	if (rc)
		vmcs_forget(v, vm->frames);
	return rc;
}

void vmcs_forget(struct arch_vcpu *v, struct frame_alloc *frames)
{
	if (v->vmcs_phys) {
		vcpu_unload(v);
		frame_free(frames, v->vmcs_phys, 1);
		v->vmcs_phys = 0;
	}
}
