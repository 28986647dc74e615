/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * VM-exit dispatch: a table indexed by basic exit reason (SDM Vol. 3D
 * Appendix C). The kernel handles only what isolation needs (docs/design.md);
 * anything it does not expect stops that VM, never the kernel. Contained
 * faults are logged with the VM's name, what it tried and its RIP.
 */
#include "arch/x86/vmx/exits.h"

#include <bulkhead/errno.h>
#include <bulkhead/hypercall.h>

#include "arch/time.h"
#include "arch/x86/cpu.h"
#include "arch/x86/vmx/vmcs_fields.h"
#include "arch/x86/vmx/vmx_defs.h"
#include "arch/x86/vmx/vmx_insn.h"
#include "kernel/hypercall.h"
#include "kernel/log.h"
#include "lib/format.h"
#include "kernel/vm.h"

#define INTR_INFO_VALID      (1u << 31)
#define INTR_INFO_DELIVER_EC (1u << 11)
#define INTR_TYPE_HW_EXCEPTION (3u << 8)
#define INTR_TYPE_MASK       (7u << 8)
#define INTR_TYPE_NMI        (2u << 8)
#define VEC_UD 6
#define VEC_GP 13

/* The Bulkhead CPUID leaves (docs/guest-abi.md). */
#define CPUID_BULKHEAD_BASE  0x40000000u
#define CPUID_BULKHEAD_INFO  0x40000001u

static uint64_t rip(void) { return vmcs_readl(GUEST_RIP); }

static void skip_instruction(void)
{
	vmcs_writel(GUEST_RIP, rip() + vmcs_read32(VM_EXIT_INSTRUCTION_LEN));
}

static void inject(unsigned vector, bool error_code)
{
	vmcs_write32(VM_ENTRY_INTR_INFO_FIELD, INTR_INFO_VALID | INTR_TYPE_HW_EXCEPTION |
	             (error_code ? INTR_INFO_DELIVER_EC : 0) | vector);
	if (error_code)
		vmcs_write32(VM_ENTRY_EXCEPTION_ERROR_CODE, 0);
}

static int contain(struct vm *vm, const char *what)
{
	vm_stop(vm, "%s at rip 0x%llx", what, (unsigned long long)rip());
	return RUN_STOPPED;
}

static int handle_exception_nmi(struct vm *vm, struct arch_vcpu *v)
{
	(void)v;
	uint32_t info = vmcs_read32(VM_EXIT_INTR_INFO);
	if ((info & INTR_TYPE_MASK) == INTR_TYPE_NMI) {
		kprintf("bulkhead: NMI while %s ran; ignored\n", vm->name);
		return EXIT_RESUME;
	}
	/* The exception bitmap is empty: no other exception should exit. */
	return contain(vm, "unexpected exception exit");
}

static int handle_external_interrupt(struct vm *vm, struct arch_vcpu *v)
{
	(void)vm; (void)v;
	return RUN_PREEMPTED;   /* the scheduler opens the interrupt window */
}

static int handle_preemption_timer(struct vm *vm, struct arch_vcpu *v)
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

/*
 * CPUID is filtered (docs/guest-abi.md): no VMX, SMX, XSAVE/OSXSAVE/AVX
 * (the guest has no XSAVE state), no MONITOR, PMU or power leaves; the
 * hypervisor bit is set and leaf 0x40000000 names Bulkhead.
 */
static int handle_cpuid(struct vm *vm, struct arch_vcpu *v)
{
	uint32_t leaf = (uint32_t)v->regs.rax, sub = (uint32_t)v->regs.rcx;
	struct cpuid_regs r = { 0 };

	if (leaf == CPUID_BULKHEAD_BASE) {
		r.eax = CPUID_BULKHEAD_INFO;
		r.ebx = 0x6b6c7542;   /* "Bulk" */
		r.ecx = 0x64616568;   /* "head" */
		r.edx = 0x56504856;   /* "VHPV" */
	} else if (leaf == CPUID_BULKHEAD_INFO) {
		r.eax = 1;   /* hypercall ABI version, docs/hypercalls.md */
		r.ebx = vm->id;
	} else if (leaf >= CPUID_BULKHEAD_BASE && leaf < 0x80000000u) {
		/* other hypervisor leaves: zero */
	} else if (leaf == 5 || leaf == 6 || leaf == 0xa || leaf == 0xd) {
		/* MONITOR/MWAIT, power, PMU, XSAVE: not offered */
	} else {
		r = cpuid(leaf, sub);
		if (leaf == 1) {
			r.ecx &= ~((1u << 3) | (1u << 5) | (1u << 6) | (1u << 26) |
			           (1u << 27) | (1u << 28));   /* MONITOR VMX SMX XSAVE OSXSAVE AVX */
			r.ecx |= 1u << 31;                        /* hypervisor present */
		} else if (leaf == 7 && sub == 0) {
			r.ebx &= ~((1u << 5) | (1u << 16) | (1u << 2));   /* AVX2, AVX-512F, SGX */
		}
	}
	v->regs.rax = r.eax;
	v->regs.rbx = r.ebx;
	v->regs.rcx = r.ecx;
	v->regs.rdx = r.edx;
	skip_instruction();
	return EXIT_RESUME;
}

static int handle_hlt(struct vm *vm, struct arch_vcpu *v)
{
	(void)v;
	skip_instruction();
	/* HLT waits for an event like BH_HC_WAIT(forever): no CPU is spent. */
	vm->state = VM_WAITING;
	vm->wait_deadline = UINT64_MAX;
	vm->hlt_wait = true;
	return RUN_WAIT;
}

static int handle_vmcall(struct vm *vm, struct arch_vcpu *v)
{
	struct hypercall hc = {
		.nr = v->regs.rax,
		.arg = { v->regs.rdi, v->regs.rsi, v->regs.rdx, v->regs.r10, v->regs.r8, v->regs.r9 },
	};
	enum hc_next next = HC_RESUME;

	skip_instruction();
	/* Hypercalls belong to the guest kernel: CPL is SS.DPL (SDM Vol. 3C §27.3.1.5). */
	bool user = (vmcs_read32(GUEST_SS_AR_BYTES) >> 5) & 3;
	int64_t ret = user ? -BH_EPERM : hypercall_dispatch(vm, &hc, &next);
	switch (next) {
	case HC_RESUME: v->regs.rax = (uint64_t)ret; return EXIT_RESUME;
	case HC_YIELD:  v->regs.rax = (uint64_t)ret; return RUN_YIELD;
	case HC_WAIT:   return RUN_WAIT;
	case HC_STOP:   return RUN_STOPPED;
	}
	return RUN_STOPPED;
}

/* VMX instructions in a guest: it has no VMX, so they raise #UD. */
static int handle_vmx_instruction(struct vm *vm, struct arch_vcpu *v)
{
	(void)vm; (void)v;
	inject(VEC_UD, false);
	return EXIT_RESUME;
}

static int handle_gp(struct vm *vm, struct arch_vcpu *v)
{
	(void)vm; (void)v;
	inject(VEC_GP, true);
	return EXIT_RESUME;
}

static int handle_ud(struct vm *vm, struct arch_vcpu *v)
{
	(void)vm; (void)v;
	inject(VEC_UD, false);
	return EXIT_RESUME;
}

static int handle_nop(struct vm *vm, struct arch_vcpu *v)
{
	(void)vm; (void)v;
	skip_instruction();   /* INVD, WBINVD: caches are the kernel's */
	return EXIT_RESUME;
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

static uint64_t read_gpr(struct arch_vcpu *v, unsigned n)
{
	uint64_t *slot = gpr_slot(v, n);
	return slot ? *slot : vmcs_readl(GUEST_RSP);
}

static void write_gpr(struct arch_vcpu *v, unsigned n, uint64_t value)
{
	uint64_t *slot = gpr_slot(v, n);
	if (slot)
		*slot = value;
	else
		vmcs_writel(GUEST_RSP, value);
}

/*
 * Control-register accesses (qualification: SDM Vol. 3C Table 28-3). The
 * kernel owns every CR0/CR4 bit, so an attempt to change one is refused
 * with #GP; CLTS and LMSW that change nothing are no-ops. CR3 is the
 * guest's own (EPT isolates it): moves exit only on CPUs that force CR3
 * exiting, and are emulated. CR8 is kept per vCPU so a guest never touches
 * the real task priority.
 */
enum { CR_MOV_TO = 0, CR_MOV_FROM = 1, CR_CLTS = 2, CR_LMSW = 3 };

static int handle_cr_access(struct vm *vm, struct arch_vcpu *v)
{
	uint64_t q = vmcs_readl(EXIT_QUALIFICATION);
	unsigned cr = q & 15, type = (q >> 4) & 3, reg = (q >> 8) & 15;
	uint64_t value = 0;

	if (type == CR_MOV_FROM) {
		write_gpr(v, reg, cr == 8 ? v->cr8 : cr == 3 ? vmcs_readl(GUEST_CR3) : 0);
		skip_instruction();
		return EXIT_RESUME;
	}
	if (type == CR_MOV_TO) {
		value = read_gpr(v, reg);
		if (cr == 8) {
			v->cr8 = value & 15;
			skip_instruction();
			return EXIT_RESUME;
		}
		if (cr == 3) {
			vmcs_writel(GUEST_CR3, value);
			if (v->vpid)   /* what a real MOV to CR3 flushes */
				invvpid(INVVPID_SINGLE_CONTEXT, v->vpid);
			skip_instruction();
			return EXIT_RESUME;
		}
	} else {
		/* CLTS clears CR0.TS; LMSW loads CR0[3:0] from bits 31:16. */
		uint64_t shadow = vmcs_readl(CR0_READ_SHADOW);
		value = type == CR_CLTS ? shadow & ~8ull : (shadow & ~0xfull) | ((q >> 16) & 0xf);
		if (type == CR_LMSW)
			value |= shadow & 1;   /* LMSW cannot clear PE */
		if (value == shadow) {
			skip_instruction();
			return EXIT_RESUME;
		}
		cr = 0;
	}
	kprintf("vm %s: write to CR%u refused (0x%llx): #GP injected, rip 0x%llx\n",
	        vm->name, cr, (unsigned long long)value, (unsigned long long)rip());
	inject(VEC_GP, true);
	return EXIT_RESUME;
}

static int handle_dr_access(struct vm *vm, struct arch_vcpu *v)
{
	(void)v;
	kprintf("vm %s: debug-register access refused: #GP injected, rip 0x%llx\n",
	        vm->name, (unsigned long long)rip());
	inject(VEC_GP, true);
	return EXIT_RESUME;
}

static int handle_io(struct vm *vm, struct arch_vcpu *v)
{
	(void)v;
	uint64_t q = vmcs_readl(EXIT_QUALIFICATION);
	char what[80];
	/* Qualification: SDM Vol. 3C Table 28-5. */
	bh_snprintf(what, sizeof(what), "I/O port 0x%x %s (%u bytes%s) denied",
	            (unsigned)(q >> 16) & 0xffff, (q & 8) ? "read" : "write",
	            (unsigned)(q & 7) + 1, (q & 16) ? ", string" : "");
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

	if (!write) {
		bool known = true;
		switch (msr) {
		case MSR_IA32_TSC:  value = rdtsc(); break;
		case MSR_IA32_EFER: value = vmcs_read64(GUEST_IA32_EFER); break;
		case MSR_IA32_PAT:  value = vmcs_read64(GUEST_IA32_PAT); break;
		default:            known = false; value = 0; break;
		}
		if (known) {
			v->regs.rax = (uint32_t)value;
			v->regs.rdx = value >> 32;
			skip_instruction();
			return EXIT_RESUME;
		}
	}
	kprintf("vm %s: %s of MSR 0x%x refused: #GP injected, rip 0x%llx\n", vm->name,
	        write ? "WRMSR" : "RDMSR", msr, (unsigned long long)rip());
	inject(VEC_GP, true);
	return EXIT_RESUME;
}

static int handle_rdmsr(struct vm *vm, struct arch_vcpu *v) { return handle_msr(vm, v, false); }
static int handle_wrmsr(struct vm *vm, struct arch_vcpu *v) { return handle_msr(vm, v, true); }

/* EPT violation qualification bits 0-2: read, write, fetch (Table 28-7). */
static int handle_ept_violation(struct vm *vm, struct arch_vcpu *v)
{
	(void)v;
	uint64_t q = vmcs_readl(EXIT_QUALIFICATION);
	const char *kind = (q & 4) ? "execute" : (q & 2) ? "write" : "read";
	char what[96];
	bh_snprintf(what, sizeof(what), "EPT violation: %s at guest-physical 0x%llx",
	            kind, (unsigned long long)vmcs_read64(GUEST_PHYSICAL_ADDRESS));
	return contain(vm, what);
}

static int handle_ept_misconfig(struct vm *vm, struct arch_vcpu *v)
{
	(void)v;
	return contain(vm, "EPT misconfiguration (a kernel bug)");
}

static int handle_xsetbv(struct vm *vm, struct arch_vcpu *v)
{
	kprintf("vm %s: XSETBV 0x%llx refused: #GP injected, rip 0x%llx\n", vm->name,
	        (unsigned long long)((v->regs.rdx << 32) | (uint32_t)v->regs.rax),
	        (unsigned long long)rip());
	inject(VEC_GP, true);
	return EXIT_RESUME;
}

static const exit_handler exit_table[EXIT_REASON_COUNT] = {
	[EXIT_REASON_EXCEPTION_NMI]      = handle_exception_nmi,
	[EXIT_REASON_EXTERNAL_INTERRUPT] = handle_external_interrupt,
	[EXIT_REASON_TRIPLE_FAULT]       = handle_triple_fault,
	[EXIT_REASON_INIT_SIGNAL]        = handle_init,
	[EXIT_REASON_CPUID]              = handle_cpuid,
	[EXIT_REASON_HLT]                = handle_hlt,
	[EXIT_REASON_INVD]               = handle_nop,
	[EXIT_REASON_RDPMC]              = handle_gp,
	[EXIT_REASON_VMCALL]             = handle_vmcall,
	[EXIT_REASON_VMCLEAR]            = handle_vmx_instruction,
	[EXIT_REASON_VMLAUNCH]           = handle_vmx_instruction,
	[EXIT_REASON_VMPTRLD]            = handle_vmx_instruction,
	[EXIT_REASON_VMPTRST]            = handle_vmx_instruction,
	[EXIT_REASON_VMREAD]             = handle_vmx_instruction,
	[EXIT_REASON_VMRESUME]           = handle_vmx_instruction,
	[EXIT_REASON_VMWRITE]            = handle_vmx_instruction,
	[EXIT_REASON_VMOFF]              = handle_vmx_instruction,
	[EXIT_REASON_VMON]               = handle_vmx_instruction,
	[EXIT_REASON_CR_ACCESS]          = handle_cr_access,
	[EXIT_REASON_DR_ACCESS]          = handle_dr_access,
	[EXIT_REASON_IO_INSTRUCTION]     = handle_io,
	[EXIT_REASON_MSR_READ]           = handle_rdmsr,
	[EXIT_REASON_MSR_WRITE]          = handle_wrmsr,
	[EXIT_REASON_MWAIT_INSTRUCTION]  = handle_ud,
	[EXIT_REASON_MONITOR_INSTRUCTION] = handle_ud,
	[EXIT_REASON_EPT_VIOLATION]      = handle_ept_violation,
	[EXIT_REASON_EPT_MISCONFIG]      = handle_ept_misconfig,
	[EXIT_REASON_INVEPT]             = handle_vmx_instruction,
	[EXIT_REASON_PREEMPTION_TIMER]   = handle_preemption_timer,
	[EXIT_REASON_INVVPID]            = handle_vmx_instruction,
	[EXIT_REASON_WBINVD]             = handle_nop,
	[EXIT_REASON_XSETBV]             = handle_xsetbv,
	[EXIT_REASON_VMFUNC]             = handle_ud,
};

int vmx_handle_exit(struct vm *vm, struct arch_vcpu *v)
{
	uint32_t reason = vmcs_read32(VM_EXIT_REASON);
	uint16_t basic = (uint16_t)reason;

	if (reason & VMX_EXIT_REASONS_FAILED_VMENTRY) {
		char what[80];
		bh_snprintf(what, sizeof(what), "VM entry failed (exit reason %u: %s)",
		            basic, basic == EXIT_REASON_INVALID_STATE ? "invalid guest state" :
		            basic == EXIT_REASON_MSR_LOAD_FAIL ? "MSR loading" : "machine check");
		return contain(vm, what);
	}
	if (basic < EXIT_REASON_COUNT && exit_table[basic])
		return exit_table[basic](vm, v);
	char what[48];
	bh_snprintf(what, sizeof(what), "unexpected VM exit (reason %u)", basic);
	return contain(vm, what);
}
