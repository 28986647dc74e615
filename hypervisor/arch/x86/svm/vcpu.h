/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * AMD-V state of a VM's vCPU (private to arch/x86/svm): its VMCB, nested
 * page tables, ASID and the guest state the VMCB does not hold. The
 * syscall MSRs, KERNEL_GS_BASE, FS, GS, TR and LDTR are in the VMCB and
 * move with VMLOAD/VMSAVE on every entry and exit (svm/vmrun.asm), so
 * unlike VT-x no MSR is switched by hand.
 */
#ifndef ARCH_X86_SVM_VCPU_H
#define ARCH_X86_SVM_VCPU_H

#include <stdbool.h>
#include <stdint.h>

#include "arch/x86/guest_regs.h"
#include "arch/x86/svm/vmcb.h"
#include "arch/x86/mm/ept.h"

struct svm_vcpu {
	struct guest_regs regs;   /* RAX is copied to and from vmcb->save.rax */
	struct vmcb *vmcb;        /* identity-mapped */
	uint64_t vmcb_phys;
	struct ept npt;           /* in npt_format */
	uint32_t asid;
	bool flush_tlb;           /* drop the ASID's translations at the next VMRUN */
	uint8_t fx[512] __attribute__((aligned(16)));   /* x87/SSE state */
};

struct vm;
struct arch_guest_start;

/*
 * Allocates the shared permission maps: every I/O port and every MSR
 * intercepted, as the policy grants native VMs none (the VT-x back end's
 * bitmaps say the same). Returns 0 or -BH_ENOMEM.
 */
int svm_permission_maps_init(void);

/*
 * Creates v's VMCB (v->npt built, v->asid chosen), a frame of vm->frames,
 * with the intercepts and
 * the initial guest state from start (docs/guest-abi.md). Returns 0 or
 * -BH_ENOMEM.
 */
int vmcb_setup(struct vm *vm, struct svm_vcpu *v, const struct arch_guest_start *start);

/* Gives v's VMCB back to frames (its VM's). */
struct frame_alloc;
void vmcb_forget(struct svm_vcpu *v, struct frame_alloc *frames);

/* Handles the exit that just happened on v: EXIT_RESUME (guest_exits.h) or
 * an enum vm_run_result. */
int svm_handle_exit(struct vm *vm, struct svm_vcpu *v);

#endif
