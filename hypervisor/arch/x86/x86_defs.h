/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Architectural bits of the x86 control registers, MSRs, RFLAGS and DR7,
 * and the exception vectors, by name (SDM Vol. 3A Chapters 2 and 6 unless
 * noted). No instructions here: cpu.h wraps those and includes this, and
 * pure code (exit decoding) includes only this.
 */
#ifndef ARCH_X86_X86_DEFS_H
#define ARCH_X86_X86_DEFS_H

/* CR0 (§2.5). LMSW loads only PE, MP, EM and TS, and cannot clear PE. */
#define CR0_PE     (1ull << 0)
#define CR0_MP     (1ull << 1)
#define CR0_EM     (1ull << 2)
#define CR0_TS     (1ull << 3)
#define CR0_WP     (1ull << 16)
#define CR0_LMSW_BITS (CR0_PE | CR0_MP | CR0_EM | CR0_TS)

/* CR4 (§2.5). */
#define CR4_VMXE   (1ull << 13)
#define CR4_OSXSAVE (1ull << 18)

/* CR8 (§2.5): the task priority, bits 3:0; the rest is reserved. */
#define CR8_TPR_MASK 0xfull

/* IA32_FEATURE_CONTROL (Vol. 4, Table 2-2; Vol. 3C §24.7 "Enabling and
 * Entering VMX Operation"). */
#define FEAT_CTL_LOCKED                      (1ull << 0)
#define FEAT_CTL_VMX_ENABLED_OUTSIDE_SMX     (1ull << 2)

/* IA32_EFER (§2.2.1). */
#define EFER_NXE   (1ull << 11)
/* AMD APM Vol. 2 §15.4: SVM instructions enabled; VMRUN requires it of the
 * guest state too. */
#define EFER_SVME  (1ull << 12)

/* DR7 (Vol. 3B, "Debug Control Register (DR7)"): bit 10 is reserved and
 * always 1; this is the reset value. */
#define DR7_FIXED_1 0x400ull

/* IA32_PAT at power-up and reset: WB, WT, UC-, UC, twice (Vol. 3A,
 * "Programming the PAT"). */
#define PAT_POWER_ON_DEFAULT 0x0007040600070406ull

/*
 * The FXSAVE area (Vol. 1, "FXSAVE Area" table): where FXRSTOR takes the
 * x87 control word and MXCSR from; and the control word FNINIT sets (Vol.
 * 1, "x87 FPU Control Word"), every x87 exception masked.
 */
#define FXSAVE_FCW_OFFSET    0
#define FXSAVE_MXCSR_OFFSET  24
#define FCW_DEFAULT          0x037fu

/* Exception vectors (Table 6-1, "Protected-Mode Exceptions and Interrupts"). */
#define NMI_VECTOR 2    /* non-maskable interrupt */
#define UD_VECTOR  6    /* invalid opcode */
#define GP_VECTOR  13   /* general protection; pushes an error code */

#endif
