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
#include "arch/x86/linux_msr.h"
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
	/* A Linux guest (svm/linux_guest.c): its exits go through
	 * svm_linux_handle_exit, and it owns these too. */
	bool linux_guest;
	struct linux_msrs msrs;
	uint64_t dr[4];           /* DR0-3: not in the VMCB, switched by hand */
};

struct vm;
struct arch_guest_start;
struct bh_monitor_regs;

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

/* Moves the guest past the instruction that exited (len bytes long, its
 * one encoding without prefixes, vmcb.h) and resumes it: the CPU's next
 * RIP where it saves one. Returns EXIT_RESUME. */
int svm_skip_instruction(struct svm_vcpu *v, unsigned len);

/* Delivers a hardware exception at the next VMRUN (APM Vol. 2 §15.20),
 * with error code 0 if error_code, and resumes the guest. Returns
 * EXIT_RESUME. */
int svm_inject_exception(struct svm_vcpu *v, unsigned vector, bool error_code);

/* Handles the exit that just happened on v: EXIT_RESUME (guest_exits.h) or
 * an enum vm_run_result. */
int svm_handle_exit(struct vm *vm, struct svm_vcpu *v);

/* ---- svm/linux_guest.c: Linux guests (arch/virt.h, kernel/monitor.h) -- */

/* Makes v, set up by vmcb_setup, a Linux guest's vCPU at reset: its own
 * intercepts and MSR permission map. Returns 0 or -BH_ENOMEM. */
int svm_linux_init(struct vm *vm, struct svm_vcpu *v);

/* Before each VMRUN: the timer deadline, interrupt injection or the
 * interrupt window; returns until, moved earlier to the guest's timer
 * deadline. */
uint64_t svm_linux_before_entry(struct vm *vm, struct svm_vcpu *v, uint64_t until);

/* Handles a Linux guest's exit: EXIT_RESUME or an enum vm_run_result. */
int svm_linux_handle_exit(struct vm *vm, struct svm_vcpu *v);

void svm_linux_get_regs(struct vm *vm, struct bh_monitor_regs *r);
void svm_linux_set_regs(struct vm *vm, const struct bh_monitor_regs *r);
void svm_linux_reset(struct vm *vm);

#endif
