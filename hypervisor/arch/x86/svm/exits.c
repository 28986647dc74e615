/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * #VMEXIT dispatch on AMD-V: a table indexed by exit code (AMD APM Vol. 2,
 * Appendix C), with the same decisions as the VT-x table (vmx/exits.c),
 * taken by the code both share (guest_exits.h). An exit the table does
 * not name, or a VMCB VMRUN refused, stops that VM, never the kernel.
 *
 * Without nrip_save the CPU does not say where the next instruction
 * starts: every instruction that exits and is then skipped has one
 * encoding without prefixes (vmcb.h), so its length is known. I/O is
 * never resumed (it stops the VM), so IN/OUT need no decoding.
 */
#include "arch/x86/svm/vcpu.h"

#include "arch/x86/guest_exits.h"
#include "arch/x86/mm/guest_walk.h"
#include "arch/x86/svm/cr_decode.h"
#include "arch/x86/svm/svm.h"
#include "arch/x86/x86_defs.h"
#include "kernel/log.h"
#include "kernel/vm.h"
#include "lib/format.h"
#include "lib/string.h"

typedef int (*svm_exit_handler)(struct vm *vm, struct svm_vcpu *v);

static uint64_t rip(const struct svm_vcpu *v) { return v->vmcb->save.rip; }

int svm_skip_instruction(struct svm_vcpu *v, unsigned len)
{
	struct vmcb *vmcb = v->vmcb;
	vmcb->save.rip = svm_caps.nrips ? vmcb->control.next_rip : vmcb->save.rip + len;
	return EXIT_RESUME;
}

int svm_inject_exception(struct svm_vcpu *v, unsigned vector, bool error_code)
{
	v->vmcb->control.event_inj = SVM_EVTINJ_VALID | SVM_EVTINJ_TYPE_EXEPT |
	                             (error_code ? SVM_EVTINJ_VALID_ERR : 0) | vector;
	v->vmcb->control.event_inj_err = 0;
	return EXIT_RESUME;
}


static int refuse(struct vm *vm, struct svm_vcpu *v, const char *what)
{
	guest_log_refusal(vm, what, rip(v));
	return svm_inject_exception(v, GP_VECTOR, true);
}

static int contain(struct vm *vm, struct svm_vcpu *v, const char *what)
{
	return guest_contain(vm, what, rip(v));
}

/* A physical interrupt: the kernel's time; the scheduler opens the window. */
static int handle_intr(struct vm *vm, struct svm_vcpu *v)
{
	(void)vm; (void)v;
	return RUN_PREEMPTED;
}

static int handle_nmi(struct vm *vm, struct svm_vcpu *v)
{
	(void)v;
	kprintf("bulkhead: NMI while %s ran; ignored\n", vm->name);
	return EXIT_RESUME;
}

static int handle_shutdown(struct vm *vm, struct svm_vcpu *v)
{
	return contain(vm, v, "triple fault (an exception it could not handle)");
}

static int handle_init(struct vm *vm, struct svm_vcpu *v)
{
	return contain(vm, v, "INIT signal");
}

static int handle_cpuid(struct vm *vm, struct svm_vcpu *v)
{
	guest_exit_cpuid(vm, &v->regs);
	return svm_skip_instruction(v, SVM_INSN_LEN_CPUID);
}

static int handle_hlt(struct vm *vm, struct svm_vcpu *v)
{
	svm_skip_instruction(v, SVM_INSN_LEN_HLT);
	return guest_exit_hlt(vm);
}

static int handle_vmmcall(struct vm *vm, struct svm_vcpu *v)
{
	svm_skip_instruction(v, SVM_INSN_LEN_VMMCALL);
	return guest_exit_hypercall(vm, &v->regs, v->vmcb->save.cpl != 0);
}

/*
 * An invalid opcode in the guest. Apps built for VT-x issue VMCALL, which
 * AMD CPUs do not know: it is taken as the hypercall VMMCALL would be, so
 * the same guest binary runs on both (docs/hypercalls.md). Any other #UD
 * goes to the guest, as without the intercept. The bytes come from the
 * CPU with decode assists, else from guest memory.
 */
static int handle_ud_exception(struct vm *vm, struct svm_vcpu *v)
{
	static const uint8_t vmcall[3] = { 0x0f, 0x01, 0xc1 };
	struct vmcb *vmcb = v->vmcb;
	uint8_t insn[3] = { 0 };

	if (svm_caps.decode_assists && vmcb->control.insn_len >= sizeof(insn))
		memcpy(insn, vmcb->control.insn_bytes, sizeof(insn));
	else if (guest_read_virt(vm, vmcb->save.cr3, vmcb->save.rip, insn, sizeof(insn)))
		return svm_inject_exception(v, UD_VECTOR, false);
	if (memcmp(insn, vmcall, sizeof(insn)))
		return svm_inject_exception(v, UD_VECTOR, false);
	/* An exception intercept saves no next RIP, even with nrip_save. */
	vmcb->save.rip += sizeof(vmcall);
	return guest_exit_hypercall(vm, &v->regs, vmcb->save.cpl != 0);
}

/* #UD, as on a CPU without the instruction: SVM instructions (the guest has
 * no SVM in its CPUID), MONITOR and MWAIT. */
static int handle_ud(struct vm *vm, struct svm_vcpu *v)
{
	(void)vm;
	return svm_inject_exception(v, UD_VECTOR, false);
}

/* #GP, as a CPU gives a guest that may not do it: RDPMC. */
static int handle_gp(struct vm *vm, struct svm_vcpu *v)
{
	(void)vm;
	return svm_inject_exception(v, GP_VECTOR, true);
}

/* INVD, WBINVD: skipped, the caches are the kernel's. */
static int handle_skip(struct vm *vm, struct svm_vcpu *v)
{
	(void)vm;
	return svm_skip_instruction(v, SVM_INSN_LEN_INVD);
}

/* General register n in the instruction encoding's order (RAX, RCX, RDX,
 * RBX, RSP, RBP, RSI, RDI, R8-R15); RSP lives in the VMCB. */
static uint64_t read_gpr(const struct svm_vcpu *v, unsigned n)
{
	const struct guest_regs *r = &v->regs;
	const uint64_t values[16] = {
		r->rax, r->rcx, r->rdx, r->rbx, v->vmcb->save.rsp, r->rbp, r->rsi, r->rdi,
		r->r8, r->r9, r->r10, r->r11, r->r12, r->r13, r->r14, r->r15,
	};
	return values[n & 15];
}

/*
 * Writes to CR0 and CR4: the kernel owns every bit, as on VT-x, so a
 * write that changes one is refused with #GP and one that changes nothing
 * is skipped. The source register comes from decode assists (EXITINFO1,
 * APM Vol. 2 §15.8.1) or else from the instruction in guest memory; one
 * that cannot be decoded (LMSW, prefixed forms) is refused without its
 * value.
 */
static int handle_cr_write(struct vm *vm, struct svm_vcpu *v)
{
	struct vmcb *vmcb = v->vmcb;
	unsigned cr = (unsigned)(vmcb->control.exit_code - SVM_EXIT_WRITE_CR0);
	uint64_t now = cr == 0 ? vmcb->save.cr0 : vmcb->save.cr4;
	uint8_t insn[CR_WRITE_INSN_MAX];
	struct cr_write w;
	uint64_t value;
	char what[64];

	if (svm_caps.decode_assists && (vmcb->control.exit_info_1 >> 63)) {
		value = read_gpr(v, (unsigned)(vmcb->control.exit_info_1 & 15));
		w.len = 0;   /* nrip_save comes with decode assists */
	} else if (!guest_read_virt(vm, vmcb->save.cr3, vmcb->save.rip, insn, sizeof(insn)) &&
	           cr_write_decode(insn, sizeof(insn), &w) && w.cr == cr) {
		value = w.kind == CR_WRITE_CLTS ? now & ~CR0_TS : read_gpr(v, w.gpr);
	} else {
		bh_snprintf(what, sizeof(what), "write to CR%u refused", cr);
		return refuse(vm, v, what);
	}
	if (value == now)
		return svm_skip_instruction(v, w.len);
	bh_snprintf(what, sizeof(what), "write to CR%u refused (0x%llx)",
	            cr, (unsigned long long)value);
	return refuse(vm, v, what);
}

static int handle_dr_access(struct vm *vm, struct svm_vcpu *v)
{
	return refuse(vm, v, "debug-register access refused");
}

static int handle_ioio(struct vm *vm, struct svm_vcpu *v)
{
	uint64_t info = v->vmcb->control.exit_info_1;
	unsigned size = (unsigned)((info & SVM_IOIO_SIZE_MASK) >> SVM_IOIO_SIZE_SHIFT);
	char what[80];
	guest_describe_io(what, sizeof(what), (uint16_t)(info >> SVM_IOIO_PORT_SHIFT),
	                  info & SVM_IOIO_TYPE_IN, size, info & SVM_IOIO_STR);
	return contain(vm, v, what);
}

/* MSRs: the permission map sends every access here (exit_info_1: 0 for
 * RDMSR, 1 for WRMSR). */
static int handle_msr(struct vm *vm, struct svm_vcpu *v)
{
	bool write = v->vmcb->control.exit_info_1 & 1;
	uint32_t msr = (uint32_t)v->regs.rcx;
	uint64_t value;

	if (!write && guest_msr_read(msr, v->vmcb->save.efer & ~EFER_SVME,
	                             v->vmcb->save.g_pat, &value)) {
		v->regs.rax = (uint32_t)value;
		v->regs.rdx = value >> 32;
		return svm_skip_instruction(v, SVM_INSN_LEN_MSR);
	}
	char what[48];
	guest_describe_msr(what, sizeof(what), msr, write);
	return refuse(vm, v, what);
}

static int handle_npf(struct vm *vm, struct svm_vcpu *v)
{
	uint64_t code = v->vmcb->control.exit_info_1;
	char what[160];
	guest_describe_violation(what, sizeof(what), vm, "NPT", code & SVM_NPF_WRITE,
	                         code & SVM_NPF_FETCH, v->vmcb->control.exit_info_2);
	return contain(vm, v, what);
}

static int handle_xsetbv(struct vm *vm, struct svm_vcpu *v)
{
	char what[48];
	bh_snprintf(what, sizeof(what), "XSETBV 0x%llx refused",
	            (unsigned long long)((v->regs.rdx << 32) | (uint32_t)v->regs.rax));
	return refuse(vm, v, what);
}

static const svm_exit_handler exit_table[SVM_EXIT_COUNT] = {
	[SVM_EXIT_WRITE_CR0]           = handle_cr_write,
	[SVM_EXIT_WRITE_CR4]           = handle_cr_write,
	[SVM_EXIT_READ_DR0 ... SVM_EXIT_WRITE_DR7] = handle_dr_access,
	[SVM_EXIT_EXCP_UD]             = handle_ud_exception,
	[SVM_EXIT_INTR]                = handle_intr,
	[SVM_EXIT_NMI]                 = handle_nmi,
	[SVM_EXIT_INIT]                = handle_init,
	[SVM_EXIT_RDPMC]               = handle_gp,
	[SVM_EXIT_CPUID]               = handle_cpuid,
	[SVM_EXIT_INVD]                = handle_skip,
	[SVM_EXIT_HLT]                 = handle_hlt,
	[SVM_EXIT_INVLPGA]             = handle_ud,
	[SVM_EXIT_IOIO]                = handle_ioio,
	[SVM_EXIT_MSR]                 = handle_msr,
	[SVM_EXIT_SHUTDOWN]            = handle_shutdown,
	[SVM_EXIT_VMRUN]               = handle_ud,
	[SVM_EXIT_VMMCALL]             = handle_vmmcall,
	[SVM_EXIT_VMLOAD]              = handle_ud,
	[SVM_EXIT_VMSAVE]              = handle_ud,
	[SVM_EXIT_STGI]                = handle_ud,
	[SVM_EXIT_CLGI]                = handle_ud,
	[SVM_EXIT_SKINIT]              = handle_ud,
	[SVM_EXIT_WBINVD]              = handle_skip,
	[SVM_EXIT_MONITOR]             = handle_ud,
	[SVM_EXIT_MWAIT]               = handle_ud,
	[SVM_EXIT_MWAIT_COND]          = handle_ud,
	[SVM_EXIT_XSETBV]              = handle_xsetbv,
};

int svm_handle_exit(struct vm *vm, struct svm_vcpu *v)
{
	uint64_t code = v->vmcb->control.exit_code;
	char what[80];

	if (code == SVM_EXIT_INVALID)
		return contain(vm, v, "VM entry failed (VMRUN refused the guest state)");
	if (code == SVM_EXIT_NPF)
		return handle_npf(vm, v);
	if (code < SVM_EXIT_COUNT && exit_table[code])
		return exit_table[code](vm, v);
	bh_snprintf(what, sizeof(what), "unexpected VM exit (exit code 0x%llx)",
	            (unsigned long long)code);
	return contain(vm, v, what);
}
