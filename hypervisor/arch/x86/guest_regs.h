/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Guest registers that neither a VMCS nor a VMCB holds: saved by the
 * back end's entry code (vmx/vmentry.asm, svm/vmrun.asm) on every VM exit,
 * loaded on every entry. On VT-x RSP, RIP and RFLAGS live in the VMCS; on
 * AMD-V RSP, RIP, RFLAGS and RAX live in the VMCB, and svm/run.c copies
 * RAX between the two so exit handlers see one layout (CR2, in the VMCB
 * too, is kept in both, svm/svm.h). The assembly
 * reaches the fields through offsets generated from this struct
 * (vmx/asm_offsets.c), never hand-written ones.
 */
#ifndef ARCH_X86_GUEST_REGS_H
#define ARCH_X86_GUEST_REGS_H

#include <stdint.h>

struct guest_regs {
	uint64_t rax, rbx, rcx, rdx, rsi, rdi, rbp;
	uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
	uint64_t cr2;
};

#endif
