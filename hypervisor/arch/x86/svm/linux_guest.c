/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Linux guests on AMD-V (docs/monitor.md): the PVH start state, the
 * intercepts, and the exits. Unlike a native VM, a Linux guest owns its
 * control registers, debug registers and the syscall and segment-base MSRs
 * (all switched by VMRUN, VMLOAD and VMSAVE, or by hand for DR0-3), and
 * handles its own exceptions. The kernel keeps: CPUID and the remaining
 * MSRs (linux_cpuid.h, linux_msr.h), HLT, interrupt injection and the
 * timer deadline (kernel/monitor.h); every port and every access to the
 * device window goes to the monitor, and so does a triple fault.
 */
#include "arch/x86/svm/vcpu.h"

#include <bulkhead/errno.h>
#include <bulkhead/monitor.h>

#include "arch/time.h"
#include "arch/x86/cpu.h"
#include "arch/x86/percpu.h"
#include "arch/x86/guest_exits.h"
#include "arch/x86/guest_fx.h"
#include "arch/x86/linux_exits.h"
#include "arch/x86/svm/svm.h"
#include "arch/x86/x86_defs.h"
#include "kernel/monitor.h"
#include "kernel/vm.h"
#include "lib/format.h"
#include "lib/string.h"
#include "mm/phys.h"

#define RFLAGS_IF      (1ull << 9)

/* The MSR permission map of Linux guests: like the native one (every MSR
 * intercepted) but for the registers VMRUN, VMLOAD and VMSAVE switch. */
#define MSRPM_PAGES 2
static uint64_t linux_msrpm;

static const uint32_t passthrough_msrs[] = {
	0x00000174, 0x00000175, 0x00000176,               /* SYSENTER_CS, ESP, EIP */
	0xc0000081, 0xc0000082, 0xc0000083, 0xc0000084,   /* STAR, LSTAR, CSTAR, SFMASK */
	0xc0000100, 0xc0000101, 0xc0000102,               /* FS_BASE, GS_BASE, KERNEL_GS_BASE */
};

/* Clears both intercept bits of msr (APM Vol. 2 §15.11: two bits per
 * MSR, three 2 KiB ranges). */
static void msrpm_allow(uint8_t *map, uint32_t msr)
{
	uint32_t base = msr >= 0xc0000000u ? 0x800 : 0;
	uint32_t bit = (msr & 0x1fff) * 2;
	map[base + bit / 8] &= (uint8_t)~(3u << (bit % 8));
}

static int linux_msrpm_init(void)
{
	if (linux_msrpm)
		return 0;
	uint64_t p = frame_alloc(&phys_frames, MSRPM_PAGES, 1);
	if (!p)
		return -BH_ENOMEM;
	memset((void *)(uintptr_t)p, 0xff, MSRPM_PAGES * PAGE_SIZE);
	for (size_t i = 0; i < sizeof(passthrough_msrs) / sizeof(passthrough_msrs[0]); i++)
		msrpm_allow((uint8_t *)(uintptr_t)p, passthrough_msrs[i]);
	linux_msrpm = p;
	return 0;
}

/* VMX-style access rights (type, S, DPL, P; AVL, L, D/B, G) as the VMCB
 * packs them. */
#define SVM_ATTRIB(ar) (((ar) & 0xff) | (((ar) >> 4) & 0xf00))
#define ATTRIB_CODE32  SVM_ATTRIB(0xc09b)
#define ATTRIB_DATA32  SVM_ATTRIB(0xc093)
#define ATTRIB_TSS32   SVM_ATTRIB(0x008b)
#define ATTRIB_L       (1u << 9)
#define ATTRIB_DB      (1u << 10)

static struct vmcb_seg seg(uint16_t selector, uint16_t attrib, uint32_t limit)
{
	return (struct vmcb_seg){ .selector = selector, .attrib = attrib, .limit = limit };
}

/* The PVH start state (xen/arch/x86 PVH ABI, as Linux's pvh_start_xen
 * expects it): 32-bit protected mode, paging off, flat 4 GiB segments. */
void svm_linux_reset(struct vm *vm)
{
	struct svm_vcpu *v = vm->arch;
	struct vmcb_save *s = &v->vmcb->save;
	struct vmcb_control *c = &v->vmcb->control;

	memset(s, 0, sizeof(*s));
	s->cs = seg(0x10, ATTRIB_CODE32, 0xffffffff);
	s->ds = s->es = s->ss = s->fs = s->gs = seg(0x18, ATTRIB_DATA32, 0xffffffff);
	s->tr = seg(0x20, ATTRIB_TSS32, 0x67);
	s->gdtr.limit = s->idtr.limit = 0xffff;
	s->efer = EFER_SVME;   /* VMRUN needs it; RDMSR does not show it */
	s->cr0 = CR0_PE | (1ull << 4);   /* PE, ET */
	s->dr7 = DR7_FIXED_1;
	s->dr6 = 0xffff0ff0;
	s->rflags = 2;
	s->g_pat = PAT_POWER_ON_DEFAULT;
	c->event_inj = 0;
	c->int_ctl = V_INTR_MASKING_MASK;
	c->int_state = 0;
	c->intercept3 &= ~INTERCEPT3_VINTR;
	v->regs = (struct guest_regs){ 0 };
	memset(v->dr, 0, sizeof(v->dr));
	guest_fx_reset(v->fx);
	linux_msrs_reset(&v->msrs);
	v->flush_tlb = true;
}

int svm_linux_init(struct vm *vm, struct svm_vcpu *v)
{
	int rc = linux_msrpm_init();
	if (rc)
		return rc;
	struct vmcb_control *c = &v->vmcb->control;
	c->intercept_cr = 0;
	c->intercept_dr = 0;
	c->intercept_exceptions = 0;
	c->intercept3 = INTERCEPT3_INTR | INTERCEPT3_NMI | INTERCEPT3_INIT | INTERCEPT3_RDPMC |
	                INTERCEPT3_CPUID | INTERCEPT3_INVD | INTERCEPT3_HLT | INTERCEPT3_INVLPGA |
	                INTERCEPT3_IOIO_PROT | INTERCEPT3_MSR_PROT | INTERCEPT3_SHUTDOWN;
	c->msrpm_base_pa = linux_msrpm;
	v->linux_guest = true;
	vm->arch = v;
	svm_linux_reset(vm);
	return 0;
}

/* ---- DR0-3: the guest's own, in the CPU only while it runs ------------- */

static void switch_debug_registers(struct vm *vm, struct svm_vcpu *v)
{
	struct vm **owner = &percpu_this()->linux_owner;

	if (*owner == vm)
		return;
	if (*owner && (*owner)->arch) {
		struct svm_vcpu *o = (*owner)->arch;
		o->dr[0] = read_dr(0); o->dr[1] = read_dr(1);
		o->dr[2] = read_dr(2); o->dr[3] = read_dr(3);
	}
	write_dr(0, v->dr[0]); write_dr(1, v->dr[1]);
	write_dr(2, v->dr[2]); write_dr(3, v->dr[3]);
	*owner = vm;
}

/* ---- interrupts -------------------------------------------------------- */

uint64_t svm_linux_before_entry(struct vm *vm, struct svm_vcpu *v, uint64_t until)
{
	struct vmcb_control *c = &v->vmcb->control;
	uint64_t now = rdtsc();

	switch_debug_registers(vm, v);
	monitor_timer_tick(vm, now);
	uint64_t deadline = monitor_timer_deadline(vm);
	if (deadline && deadline < until)
		until = deadline;

	c->int_ctl &= ~(V_IRQ_MASK | V_INTR_PRIO_MAX | V_IGN_TPR_MASK);
	c->intercept3 &= ~INTERCEPT3_VINTR;
	int vector = monitor_pending_vector(vm);
	if (vector < 0)
		return until;
	bool can_take = (v->vmcb->save.rflags & RFLAGS_IF) && !(c->int_state & SVM_INTERRUPT_SHADOW);
	if (can_take && !(c->event_inj & SVM_EVTINJ_VALID)) {
		c->event_inj = SVM_EVTINJ_VALID | SVM_EVTINJ_TYPE_INTR | (uint32_t)vector;
		monitor_vector_delivered(vm, (unsigned)vector);
		return until;
	}
	/* Exit as soon as the guest can take it (§15.21.4). */
	c->int_ctl |= V_IRQ_MASK | V_INTR_PRIO_MAX | V_IGN_TPR_MASK;
	c->intercept3 |= INTERCEPT3_VINTR;
	return until;
}

/* ---- registers for the monitor ----------------------------------------- */

void svm_linux_get_regs(struct vm *vm, struct bh_monitor_regs *r)
{
	const struct svm_vcpu *v = vm->arch;
	const struct guest_regs *g = &v->regs;
	const struct vmcb_save *s = &v->vmcb->save;

	*r = (struct bh_monitor_regs){
		.rsp = s->rsp, .rip = s->rip, .rflags = s->rflags, .cr0 = s->cr0,
		.cr3 = s->cr3, .cr4 = s->cr4, .efer = s->efer & ~EFER_SVME, .cs_base = s->cs.base,
		.cs_flags = (s->cs.attrib & ATTRIB_L ? BH_MON_CS_L : 0) |
		            (s->cs.attrib & ATTRIB_DB ? BH_MON_CS_DB : 0),
		.cpl = s->cpl,
	};
	linux_regs_from_guest(r, g);
}

void svm_linux_set_regs(struct vm *vm, const struct bh_monitor_regs *r)
{
	struct svm_vcpu *v = vm->arch;
	struct guest_regs *g = &v->regs;

	linux_regs_to_guest(g, r);
	v->vmcb->save.rsp = r->rsp;
	v->vmcb->save.rip = r->rip;
}

/* ---- exits ------------------------------------------------------------- */

static int lx_cpuid(struct vm *vm, struct svm_vcpu *v)
{
	linux_exit_cpuid(vm, &v->regs);
	return svm_skip_instruction(v, SVM_INSN_LEN_CPUID);
}

static int lx_hlt(struct vm *vm, struct svm_vcpu *v)
{
	svm_skip_instruction(v, SVM_INSN_LEN_HLT);
	return monitor_guest_hlt(vm, v->vmcb->save.rflags & RFLAGS_IF);
}

static int lx_msr(struct vm *vm, struct svm_vcpu *v)
{
	struct vmcb_save *s = &v->vmcb->save;
	uint64_t value;

	switch (linux_exit_msr(vm, &v->regs, v->vmcb->control.exit_info_1 & 1, s->efer & ~EFER_SVME,
	                       s->g_pat, &v->msrs, s->rip, &value)) {
	case LINUX_MSR_SET_EFER:
		s->efer = (value & ~EFER_LMA) | (s->efer & EFER_LMA) | EFER_SVME;
		break;
	case LINUX_MSR_SET_PAT:
		s->g_pat = value;
		break;
	case LINUX_MSR_REFUSED:
		return svm_inject_exception(v, GP_VECTOR, true);
	case LINUX_MSR_DONE:
		break;
	}
	return svm_skip_instruction(v, SVM_INSN_LEN_MSR);
}

static int lx_ioio(struct vm *vm, struct svm_vcpu *v)
{
	uint64_t info = v->vmcb->control.exit_info_1;
	struct bh_monitor_exit e = {
		.reason = BH_MON_EXIT_IO,
		.port = (uint16_t)(info >> SVM_IOIO_PORT_SHIFT),
		.size = (uint8_t)((info & SVM_IOIO_SIZE_MASK) >> SVM_IOIO_SIZE_SHIFT),
		.in = (info & SVM_IOIO_TYPE_IN) != 0,
		.string = (info & SVM_IOIO_STR) != 0,
		.rep = (info & SVM_IOIO_REP) != 0,
		/* An IOIO intercept always saves the next RIP (§15.10.2). */
		.next_rip = v->vmcb->control.exit_info_2,
	};
	return monitor_forward(vm, &e);
}

static int lx_npf(struct vm *vm, struct svm_vcpu *v)
{
	uint64_t code = v->vmcb->control.exit_info_1, gpa = v->vmcb->control.exit_info_2;
	if (BH_LINUX_FORWARDED(gpa) && !(code & SVM_NPF_FETCH)) {
		struct bh_monitor_exit e = {
			.reason = BH_MON_EXIT_MMIO, .gpa = gpa, .write = (code & SVM_NPF_WRITE) != 0,
		};
		return monitor_forward(vm, &e);
	}
	char what[160];
	guest_describe_violation(what, sizeof(what), vm, "NPT", code & SVM_NPF_WRITE,
	                         code & SVM_NPF_FETCH, gpa);
	return guest_contain(vm, what, v->vmcb->save.rip);
}

static int lx_shutdown(struct vm *vm, struct svm_vcpu *v)
{
	(void)v;
	return monitor_forward(vm, &(struct bh_monitor_exit){ .reason = BH_MON_EXIT_SHUTDOWN });
}

static int lx_vintr(struct vm *vm, struct svm_vcpu *v)
{
	(void)vm;
	v->vmcb->control.int_ctl &= ~V_IRQ_MASK;
	v->vmcb->control.intercept3 &= ~INTERCEPT3_VINTR;
	return EXIT_RESUME;   /* svm_linux_before_entry injects */
}

/* What made the guest exit, for its statistics (bh_vm_stat). */
static enum bh_exit_kind exit_kind(uint64_t code)
{
	switch (code) {
	case SVM_EXIT_IOIO:  return BH_EXIT_KIND_IO;
	case SVM_EXIT_NPF:   return BH_EXIT_KIND_MMIO;
	case SVM_EXIT_HLT:   return BH_EXIT_KIND_HLT;
	case SVM_EXIT_CPUID: return BH_EXIT_KIND_CPUID;
	case SVM_EXIT_MSR:   return BH_EXIT_KIND_MSR;
	case SVM_EXIT_VINTR: return BH_EXIT_KIND_WINDOW;
	case SVM_EXIT_INTR:  return BH_EXIT_KIND_PREEMPT;
	default:             return BH_EXIT_KIND_OTHER;
	}
}

int svm_linux_handle_exit(struct vm *vm, struct svm_vcpu *v)
{
	uint64_t code = v->vmcb->control.exit_code;
	char what[80];

	vm->exits_by_kind[exit_kind(code)]++;
	switch (code) {
	case SVM_EXIT_INTR:     return RUN_PREEMPTED;
	case SVM_EXIT_NMI:      return EXIT_RESUME;
	case SVM_EXIT_VINTR:    return lx_vintr(vm, v);
	case SVM_EXIT_CPUID:    return lx_cpuid(vm, v);
	case SVM_EXIT_HLT:      return lx_hlt(vm, v);
	case SVM_EXIT_MSR:      return lx_msr(vm, v);
	case SVM_EXIT_IOIO:     return lx_ioio(vm, v);
	case SVM_EXIT_NPF:      return lx_npf(vm, v);
	case SVM_EXIT_SHUTDOWN: return lx_shutdown(vm, v);
	case SVM_EXIT_INVD:
	case SVM_EXIT_WBINVD:   return svm_skip_instruction(v, SVM_INSN_LEN_INVD);
	case SVM_EXIT_RDPMC:    return svm_inject_exception(v, GP_VECTOR, true);
	case SVM_EXIT_INVLPGA: case SVM_EXIT_VMRUN: case SVM_EXIT_VMMCALL: case SVM_EXIT_VMLOAD:
	case SVM_EXIT_VMSAVE: case SVM_EXIT_STGI: case SVM_EXIT_CLGI: case SVM_EXIT_SKINIT:
	case SVM_EXIT_MONITOR: case SVM_EXIT_MWAIT: case SVM_EXIT_MWAIT_COND:
		return svm_inject_exception(v, UD_VECTOR, false);
	case SVM_EXIT_XSETBV:   return svm_inject_exception(v, GP_VECTOR, true);
	case SVM_EXIT_INVALID:
		return guest_contain(vm, "VM entry failed (VMRUN refused the guest state)",
		                     v->vmcb->save.rip);
	}
	bh_snprintf(what, sizeof(what), "unexpected VM exit (exit code 0x%llx)",
	            (unsigned long long)code);
	return guest_contain(vm, what, v->vmcb->save.rip);
}
