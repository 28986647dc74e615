/* SPDX-License-Identifier: GPL-2.0-only */
/* VM entry and exit on VT-x (vmentry.asm). */
#ifndef ARCH_X86_VMX_GUEST_REGS_H
#define ARCH_X86_VMX_GUEST_REGS_H

#include <stdint.h>

#include "arch/x86/guest_regs.h"

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
