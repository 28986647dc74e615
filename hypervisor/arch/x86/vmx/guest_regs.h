/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Guest registers that the VMCS does not hold (RSP, RIP and RFLAGS are in
 * it): saved by vmentry.asm on every VM exit, loaded on every entry. The
 * assembly reaches the fields through offsets generated from this struct
 * (asm_offsets.c), never hand-written ones.
 */
#ifndef ARCH_X86_VMX_GUEST_REGS_H
#define ARCH_X86_VMX_GUEST_REGS_H

#include <stdint.h>

struct guest_regs {
	uint64_t rax, rbx, rcx, rdx, rsi, rdi, rbp;
	uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
	uint64_t cr2;
};

/*
 * Loads *regs and enters the guest of the current VMCS with VMLAUNCH (if
 * launched is 0) or VMRESUME. Returns 0 after the next VM exit, with the
 * guest's registers saved in *regs; returns 1 if the entry instruction
 * itself failed (VM_INSTRUCTION_ERROR says why; *regs then unchanged).
 * Writes HOST_RSP, so the same VMCS may be entered from any stack depth.
 */
int vmx_enter(struct guest_regs *regs, uint64_t launched);

/* Where VM exits land (the VMCS HOST_RIP); not callable. */
extern char vmx_exit_entry[];

#endif
