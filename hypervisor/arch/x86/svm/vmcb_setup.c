/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * VMCB set-up for a native app VM (AMD APM Vol. 2 §15.5, VMRUN's checks in
 * §15.5.1). What the guest may not do is intercepted, as on VT-x
 * (vmx/vmcs_setup.c): HLT, I/O (all of it), MSRs (all of them), writes to
 * CR0 and CR4, debug registers, MONITOR/MWAIT, RDPMC, INVD/WBINVD, XSETBV
 * and every SVM instruction; external interrupts and NMIs belong to the
 * kernel, and a shutdown (triple fault) exits instead of resetting.
 */
#include "arch/x86/svm/vcpu.h"

#include <bulkhead/errno.h>
#include <bulkhead/guest_abi.h>

#include "arch/virt.h"
#include "arch/x86/guest_fx.h"
#include "arch/x86/x86_defs.h"
#include "kernel/vm.h"
#include "lib/string.h"
#include "mm/phys.h"

/* The I/O permission map is 12 KiB, the MSR permission map 8 KiB (APM Vol. 2
 * §15.10.1, §15.11). */
#define IOPM_PAGES  3
#define MSRPM_PAGES 2

static uint64_t iopm, msrpm;

int svm_permission_maps_init(void)
{
	iopm = frame_alloc(&phys_frames, IOPM_PAGES, 1);
	msrpm = frame_alloc(&phys_frames, MSRPM_PAGES, 1);
	if (!iopm || !msrpm)
		return -BH_ENOMEM;
	memset((void *)(uintptr_t)iopm, 0xff, IOPM_PAGES * PAGE_SIZE);
	memset((void *)(uintptr_t)msrpm, 0xff, MSRPM_PAGES * PAGE_SIZE);
	return 0;
}

/* A VMX access-rights value (type, S, DPL, P in bits 7:0; AVL, L, D/B, G
 * in bits 15:12) as the VMCB's packed attrib (the same bits in 11:0). */
#define SVM_ATTRIB(ar) (((ar) & 0xff) | (((ar) >> 4) & 0xf00))
#define ATTRIB_CODE64 SVM_ATTRIB(0xa09b)   /* code, read, accessed, P, L, G */
#define ATTRIB_DATA   SVM_ATTRIB(0xc093)   /* data, write, accessed, P, D/B, G */
#define ATTRIB_TSS64  SVM_ATTRIB(0x008b)   /* busy 64-bit TSS, P */
#define TSS64_LIMIT   0x67

static struct vmcb_seg flat(uint16_t selector, uint16_t attrib)
{
	return (struct vmcb_seg){
		.selector = selector, .attrib = attrib,
		.limit = attrib == ATTRIB_TSS64 ? TSS64_LIMIT : 0xffffffff, .base = 0,
	};
}

static void setup_guest_state(struct vmcb_save *s, const struct arch_guest_start *start)
{
	s->cs = flat(BH_GUEST_ENTRY_CS, ATTRIB_CODE64);
	s->ss = flat(BH_GUEST_ENTRY_DS, ATTRIB_DATA);
	s->ds = flat(BH_GUEST_ENTRY_DS, ATTRIB_DATA);
	s->es = flat(BH_GUEST_ENTRY_DS, ATTRIB_DATA);
	s->tr = flat(BH_GUEST_ENTRY_TR, ATTRIB_TSS64);
	/* FS, GS, LDTR: null selectors, unusable (attrib 0); GDTR, IDTR empty. */
	s->cpl = 0;
	/* VMRUN refuses a guest without EFER.SVME (§15.5.1); the guest's RDMSR
	 * of EFER does not show it (exits.c). */
	s->efer = BH_GUEST_ENTRY_EFER | EFER_SVME;
	s->cr0 = BH_GUEST_ENTRY_CR0;
	s->cr4 = BH_GUEST_ENTRY_CR4;
	s->cr3 = start->cr3;
	s->dr7 = DR7_FIXED_1;
	s->dr6 = 0xffff0ff0;   /* its reset value */
	s->rflags = BH_GUEST_ENTRY_RFLAGS;
	s->rip = start->rip;
	s->rsp = start->rsp;
	s->g_pat = PAT_POWER_ON_DEFAULT;
}

static void setup_controls(struct vmcb_control *c, const struct svm_vcpu *v)
{
	c->intercept_cr = (1u << (16 + 0)) | (1u << (16 + 4));   /* CR0, CR4 writes */
	c->intercept_dr = 0x00ff00ff;                           /* DR0-7 reads and writes */
	c->intercept_exceptions = 1u << UD_VECTOR;   /* VMCALL (exits.c) */
	c->intercept3 = INTERCEPT3_INTR | INTERCEPT3_NMI | INTERCEPT3_INIT |
	                INTERCEPT3_RDPMC | INTERCEPT3_CPUID | INTERCEPT3_INVD |
	                INTERCEPT3_HLT | INTERCEPT3_INVLPGA | INTERCEPT3_IOIO_PROT |
	                INTERCEPT3_MSR_PROT | INTERCEPT3_SHUTDOWN;
	c->intercept4 = INTERCEPT4_VMRUN | INTERCEPT4_VMMCALL | INTERCEPT4_VMLOAD |
	                INTERCEPT4_VMSAVE | INTERCEPT4_STGI | INTERCEPT4_CLGI |
	                INTERCEPT4_SKINIT | INTERCEPT4_WBINVD | INTERCEPT4_MONITOR |
	                INTERCEPT4_MWAIT | INTERCEPT4_MWAIT_COND | INTERCEPT4_XSETBV;
	c->iopm_base_pa = iopm;
	c->msrpm_base_pa = msrpm;
	c->tsc_offset = 0;
	c->asid = v->asid;
	c->int_ctl = V_INTR_MASKING_MASK;
	c->nested_ctl = SVM_NESTED_CTL_NP_ENABLE;
	c->nested_cr3 = v->npt.root;
	/* Every field is written by the kernel between runs: none is clean. */
	c->clean = 0;
}

int vmcb_setup(struct vm *vm, struct svm_vcpu *v, const struct arch_guest_start *start)
{
	uint64_t p = frame_alloc(vm->frames, 1, 1);
	if (!p)
		return -BH_ENOMEM;
	v->vmcb_phys = p;
	v->vmcb = (struct vmcb *)(uintptr_t)p;
	memset(v->vmcb, 0, sizeof(*v->vmcb));
	setup_controls(&v->vmcb->control, v);
	setup_guest_state(&v->vmcb->save, start);
	v->regs = (struct guest_regs){ .rdi = start->rdi };
	guest_fx_reset(v->fx);
	return 0;
}

void vmcb_forget(struct svm_vcpu *v, struct frame_alloc *frames)
{
	if (v->vmcb_phys) {
		frame_free(frames, v->vmcb_phys, 1);
		v->vmcb_phys = 0;
		v->vmcb = NULL;
	}
}
