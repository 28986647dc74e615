/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * VM-exit dispatch: a table indexed by basic exit reason (SDM Vol. 3D
 * Appendix C). The kernel handles only what isolation needs
 * (docs/design.md); anything it does not expect stops that VM, never the
 * kernel. Contained faults are logged with the VM's name, what it tried and
 * its RIP. What a guest may see or do is decided by code the AMD-V back
 * end shares (guest_exits.h) and pure decoders (exit_qual.c); this file
 * reads and writes the VMCS.
 */
#include "arch/x86/vmx/exits.h"

#include <bulkhead/errno.h>
#include <bulkhead/hypercall.h>

#include "arch/time.h"
#include "arch/x86/cpu.h"
#include "arch/x86/guest_exits.h"
#include "arch/x86/vmx/exit_qual.h"
#include "arch/x86/vmx/vmcs.h"
#include "arch/x86/vmx/vmx_defs.h"
#include "arch/x86/vmx/vmx_insn.h"
#include "kernel/log.h"
#include "kernel/vm.h"
#include "lib/format.h"

static uint64_t rip(void) { return vmcs_readl(GUEST_RIP); }

int vmx_skip_instruction(void)
{
	vmcs_writel(GUEST_RIP, rip() + vmcs_read32(VM_EXIT_INSTRUCTION_LEN));
	return EXIT_RESUME;
}

int vmx_inject_exception(unsigned vector, bool error_code)
{
	vmcs_write32(VM_ENTRY_INTR_INFO_FIELD,
	             INTR_INFO_VALID_MASK | INTR_TYPE_HARD_EXCEPTION |
	             (error_code ? INTR_INFO_DELIVER_CODE_MASK : 0) | vector);
	if (error_code)
		vmcs_write32(VM_ENTRY_EXCEPTION_ERROR_CODE, 0);
	return EXIT_RESUME;
}

/* Logs "vm NAME: <what>: #GP injected, rip ..." (rate-limited: the VM is
 * not stopped and may repeat it in a loop) and injects #GP, as a CPU does
 * for an access it does not allow. */
static int refuse(struct vm *vm, const char *what)
{
	guest_log_refusal(vm, what, rip());
	return vmx_inject_exception(GP_VECTOR, true);
}

static int contain(struct vm *vm, const char *what)
{
	return guest_contain(vm, what, rip());
}

static int handle_exception_nmi(struct vm *vm, struct arch_vcpu *v)
{
	(void)v;
	uint32_t info = vmcs_read32(VM_EXIT_INTR_INFO);
	if ((info & INTR_INFO_INTR_TYPE_MASK) == INTR_TYPE_NMI_INTR) {
		kprintf("bulkhead: NMI while %s ran; ignored\n", vm->name);
		return EXIT_RESUME;
	}
	/* The exception bitmap is empty: no other exception should exit. */
	return contain(vm, "unexpected exception exit");
}

/*
 * An external interrupt or the preemption timer: the kernel's time, not the
 * guest's; the scheduler opens the interrupt window.
 */
static int handle_preempt(struct vm *vm, struct arch_vcpu *v)
{
	(void)vm; (void)v;
	return RUN_PREEMPTED;
}

static int handle_triple_fault(struct vm *vm, struct arch_vcpu *v)
{
	(void)v;
	return contain(vm, "triple fault (an exception it could not handle)");
}

static int handle_init(struct vm *vm, struct arch_vcpu *v)
{
	(void)v;
	return contain(vm, "INIT signal");
}

/* CPUID is filtered (cpuid_filter.h). */
static int handle_cpuid(struct vm *vm, struct arch_vcpu *v)
{
	guest_exit_cpuid(vm, &v->regs);
	return vmx_skip_instruction();
}

static int handle_hlt(struct vm *vm, struct arch_vcpu *v)
{
	(void)v;
	vmx_skip_instruction();
	return guest_exit_hlt(vm);
}

static int handle_vmcall(struct vm *vm, struct arch_vcpu *v)
{
	vmx_skip_instruction();
	/* CPL is SS.DPL (SDM Vol. 3C §27.3.1.5). */
	bool user = VMX_AR_DPL(vmcs_read32(GUEST_SS_AR_BYTES)) != 0;
	return guest_exit_hypercall(vm, &v->regs, user);
}

/*
 * #UD, as on a CPU without the instruction: VMX instructions (the guest has
 * no VMX), MONITOR and MWAIT (not in its CPUID), VMFUNC.
 */
static int handle_ud(struct vm *vm, struct arch_vcpu *v)
{
	(void)vm; (void)v;
	return vmx_inject_exception(UD_VECTOR, false);
}

/* #GP, as a CPU gives a guest that may not do it: RDPMC. */
static int handle_gp(struct vm *vm, struct arch_vcpu *v)
{
	(void)vm; (void)v;
	return vmx_inject_exception(GP_VECTOR, true);
}

/* INVD, WBINVD: skipped, the caches are the kernel's. */
static int handle_skip(struct vm *vm, struct arch_vcpu *v)
{
	(void)vm; (void)v;
	return vmx_skip_instruction();
}

/* General register n in the SDM's encoding (Table 28-3); NULL for RSP,
 * which lives in the VMCS. */
static uint64_t *gpr_slot(struct arch_vcpu *v, unsigned n)
{
	uint64_t *const regs[16] = {
		&v->regs.rax, &v->regs.rcx, &v->regs.rdx, &v->regs.rbx, NULL,
		&v->regs.rbp, &v->regs.rsi, &v->regs.rdi, &v->regs.r8, &v->regs.r9,
		&v->regs.r10, &v->regs.r11, &v->regs.r12, &v->regs.r13, &v->regs.r14,
		&v->regs.r15,
	};
	return regs[n & 15];
}

uint64_t vmx_read_gpr(struct arch_vcpu *v, unsigned n)
{
	uint64_t *slot = gpr_slot(v, n);
	return slot ? *slot : vmcs_readl(GUEST_RSP);
}

void vmx_write_gpr(struct arch_vcpu *v, unsigned n, uint64_t value)
{
	uint64_t *slot = gpr_slot(v, n);
	if (slot)
		*slot = value;
	else
		vmcs_writel(GUEST_RSP, value);
}

/*
 * Control-register accesses (decoded by exit_qual.h). The kernel owns every
 * CR0/CR4 bit, so an attempt to change one is refused with #GP; CLTS and
 * LMSW that change nothing are no-ops. CR3 is the guest's own (EPT
 * isolates it): moves exit only on CPUs that force CR3 exiting, and are
 * emulated. CR8 is kept per vCPU so a guest never touches the real task
 * priority.
 */
static int handle_cr_access(struct vm *vm, struct arch_vcpu *v)
{
	struct cr_access a = vmx_decode_cr_access(vmcs_readl(EXIT_QUALIFICATION));
	unsigned cr = a.cr;
	uint64_t value = 0;

	switch (a.type) {
	case CR_ACCESS_MOV_FROM_CR:
		vmx_write_gpr(v, a.gpr, cr == 8 ? v->cr8 : cr == 3 ? vmcs_readl(GUEST_CR3) : 0);
		return vmx_skip_instruction();
	case CR_ACCESS_MOV_TO_CR:
		value = vmx_read_gpr(v, a.gpr);
		if (cr == 8) {
			v->cr8 = value & CR8_TPR_MASK;
			return vmx_skip_instruction();
		}
		if (cr == 3) {
			vmcs_writel(GUEST_CR3, value);
			if (v->vpid)   /* what a real MOV to CR3 flushes */
				invvpid(INVVPID_SINGLE_CONTEXT, v->vpid);
			return vmx_skip_instruction();
		}
		break;
	case CR_ACCESS_CLTS:
	case CR_ACCESS_LMSW: {
		uint64_t shadow = vmcs_readl(CR0_READ_SHADOW);
		value = vmx_cr0_after(&a, shadow);
		if (value == shadow)
			return vmx_skip_instruction();
		cr = 0;
		break;
	}
	}
	char what[64];
	bh_snprintf(what, sizeof(what), "write to CR%u refused (0x%llx)",
	            cr, (unsigned long long)value);
	return refuse(vm, what);
}

static int handle_dr_access(struct vm *vm, struct arch_vcpu *v)
{
	(void)v;
	return refuse(vm, "debug-register access refused");
}

static int handle_io(struct vm *vm, struct arch_vcpu *v)
{
	(void)v;
	struct io_access io = vmx_decode_io(vmcs_readl(EXIT_QUALIFICATION));
	char what[80];
	guest_describe_io(what, sizeof(what), io.port, io.in, io.size, io.string);
	return contain(vm, what);
}

/*
 * MSRs: the bitmap sends every access here. A native VM may read the TSC
 * and its own EFER and PAT; everything else gets #GP, as on a CPU that
 * lacks the MSR, and is logged.
 */
static int handle_msr(struct vm *vm, struct arch_vcpu *v, bool write)
{
	uint32_t msr = (uint32_t)v->regs.rcx;
	uint64_t value;

	if (!write && guest_msr_read(msr, vmcs_read64(GUEST_IA32_EFER),
	                             vmcs_read64(GUEST_IA32_PAT), &value)) {
		v->regs.rax = (uint32_t)value;
		v->regs.rdx = value >> 32;
		return vmx_skip_instruction();
	}
	char what[48];
	guest_describe_msr(what, sizeof(what), msr, write);
	return refuse(vm, what);
}

static int handle_rdmsr(struct vm *vm, struct arch_vcpu *v) { return handle_msr(vm, v, false); }
static int handle_wrmsr(struct vm *vm, struct arch_vcpu *v) { return handle_msr(vm, v, true); }

static int handle_ept_violation(struct vm *vm, struct arch_vcpu *v)
{
	(void)v;
	uint64_t q = vmcs_readl(EXIT_QUALIFICATION);
	char what[160];
	guest_describe_violation(what, sizeof(what), vm, "EPT", q & EPT_VIOLATION_ACC_WRITE,
	                         q & EPT_VIOLATION_ACC_INSTR,
	                         vmcs_read64(GUEST_PHYSICAL_ADDRESS));
	return contain(vm, what);
}

static int handle_ept_misconfig(struct vm *vm, struct arch_vcpu *v)
{
	(void)v;
	return contain(vm, "EPT misconfiguration (a kernel bug)");
}

static int handle_xsetbv(struct vm *vm, struct arch_vcpu *v)
{
	char what[48];
	bh_snprintf(what, sizeof(what), "XSETBV 0x%llx refused",
	            (unsigned long long)((v->regs.rdx << 32) | (uint32_t)v->regs.rax));
	return refuse(vm, what);
}

static const exit_handler exit_table[EXIT_REASON_COUNT] = {
	[EXIT_REASON_EXCEPTION_NMI]      = handle_exception_nmi,
	[EXIT_REASON_EXTERNAL_INTERRUPT] = handle_preempt,
	[EXIT_REASON_TRIPLE_FAULT]       = handle_triple_fault,
	[EXIT_REASON_INIT_SIGNAL]        = handle_init,
	[EXIT_REASON_CPUID]              = handle_cpuid,
	[EXIT_REASON_HLT]                = handle_hlt,
	[EXIT_REASON_INVD]               = handle_skip,
	[EXIT_REASON_RDPMC]              = handle_gp,
	[EXIT_REASON_VMCALL]             = handle_vmcall,
	[EXIT_REASON_VMCLEAR]            = handle_ud,
	[EXIT_REASON_VMLAUNCH]           = handle_ud,
	[EXIT_REASON_VMPTRLD]            = handle_ud,
	[EXIT_REASON_VMPTRST]            = handle_ud,
	[EXIT_REASON_VMREAD]             = handle_ud,
	[EXIT_REASON_VMRESUME]           = handle_ud,
	[EXIT_REASON_VMWRITE]            = handle_ud,
	[EXIT_REASON_VMOFF]              = handle_ud,
	[EXIT_REASON_VMON]               = handle_ud,
	[EXIT_REASON_CR_ACCESS]          = handle_cr_access,
	[EXIT_REASON_DR_ACCESS]          = handle_dr_access,
	[EXIT_REASON_IO_INSTRUCTION]     = handle_io,
	[EXIT_REASON_MSR_READ]           = handle_rdmsr,
	[EXIT_REASON_MSR_WRITE]          = handle_wrmsr,
	[EXIT_REASON_MWAIT_INSTRUCTION]  = handle_ud,
	[EXIT_REASON_MONITOR_INSTRUCTION] = handle_ud,
	[EXIT_REASON_EPT_VIOLATION]      = handle_ept_violation,
	[EXIT_REASON_EPT_MISCONFIG]      = handle_ept_misconfig,
	[EXIT_REASON_INVEPT]             = handle_ud,
	[EXIT_REASON_PREEMPTION_TIMER]   = handle_preempt,
	[EXIT_REASON_INVVPID]            = handle_ud,
	[EXIT_REASON_WBINVD]             = handle_skip,
	[EXIT_REASON_XSETBV]             = handle_xsetbv,
	[EXIT_REASON_VMFUNC]             = handle_ud,
};

int vmx_handle_exit(struct vm *vm, struct arch_vcpu *v)
{
	uint32_t reason = vmcs_read32(VM_EXIT_REASON);
	uint32_t basic = reason & VMX_EXIT_REASON_BASIC_MASK;
	char what[80];

	if (reason & VMX_EXIT_REASONS_FAILED_VMENTRY) {
		bh_snprintf(what, sizeof(what), "VM entry failed (exit reason %u: %s)",
		            basic, basic == EXIT_REASON_INVALID_STATE ? "invalid guest state" :
		            basic == EXIT_REASON_MSR_LOAD_FAIL ? "MSR loading" : "machine check");
		return contain(vm, what);
	}
	if (basic < EXIT_REASON_COUNT && exit_table[basic])
		return exit_table[basic](vm, v);
	bh_snprintf(what, sizeof(what), "unexpected VM exit (reason %u: %s)",
	            basic, vmx_exit_reason_name(reason));
	return contain(vm, what);
}
