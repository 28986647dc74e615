/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Not linked: compiled to assembly by the build, which turns each DEFINE
 * into "%define NAME VALUE" in build/gen/asm_offsets.inc for NASM
 * (docs/style.md rule 11: struct offsets come from C).
 */
#include <stddef.h>

#include "arch/x86/vmx/guest_regs.h"
#include "arch/x86/vmx/vmcs_fields.h"

#define DEFINE(sym, val) __asm__ volatile("\n.ascii \"->" #sym " %c0\"" : : "i"(val))

void asm_offsets(void);
void asm_offsets(void)
{
	DEFINE(GR_RAX, offsetof(struct guest_regs, rax));
	DEFINE(GR_RBX, offsetof(struct guest_regs, rbx));
	DEFINE(GR_RCX, offsetof(struct guest_regs, rcx));
	DEFINE(GR_RDX, offsetof(struct guest_regs, rdx));
	DEFINE(GR_RSI, offsetof(struct guest_regs, rsi));
	DEFINE(GR_RDI, offsetof(struct guest_regs, rdi));
	DEFINE(GR_RBP, offsetof(struct guest_regs, rbp));
	DEFINE(GR_R8, offsetof(struct guest_regs, r8));
	DEFINE(GR_R9, offsetof(struct guest_regs, r9));
	DEFINE(GR_R10, offsetof(struct guest_regs, r10));
	DEFINE(GR_R11, offsetof(struct guest_regs, r11));
	DEFINE(GR_R12, offsetof(struct guest_regs, r12));
	DEFINE(GR_R13, offsetof(struct guest_regs, r13));
	DEFINE(GR_R14, offsetof(struct guest_regs, r14));
	DEFINE(GR_R15, offsetof(struct guest_regs, r15));
	DEFINE(GR_CR2, offsetof(struct guest_regs, cr2));
	DEFINE(VMCS_HOST_RSP, HOST_RSP);
}
