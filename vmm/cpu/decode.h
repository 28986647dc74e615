/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Decodes the one instruction a guest was executing when it touched a
 * device window, so the monitor can perform the access itself (the CPU
 * reports only the guest-physical address and the direction of an MMIO
 * exit, not the register or the width). Only the forms Linux's MMIO
 * accessors (readb..readq, writeb..writeq and their relaxed forms) and
 * the compiler's plain stores of constants produce are accepted:
 *
 *   88 /r  mov r/m8, r8          8A /r  mov r8, r/m8
 *   89 /r  mov r/m, r16/32/64    8B /r  mov r16/32/64, r/m
 *   C6 /0  mov r/m8, imm8        C7 /0  mov r/m, imm16/32 (sign-extended
 *                                       to 64 bits under REX.W)
 *   0F B6 / 0F B7  movzx r, r/m8 / r/m16
 *   0F BE / 0F BF  movsx r, r/m8 / r/m16
 *   A0-A3  mov al/ax/eax/rax to or from an absolute address (moffs)
 *
 * with the prefixes 66 (operand size), 67 (address size), segment
 * overrides, and REX in 64-bit mode. Anything else is refused with its
 * own enum decode_error: an MMIO access the monitor cannot perform
 * exactly is never guessed at.
 *
 * Pure and freestanding: the bytes are untrusted guest memory; nothing
 * past len is read and no more than X86_MAX_INSN_LEN bytes are taken.
 */
#ifndef VMM_CPU_DECODE_H
#define VMM_CPU_DECODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The architectural limit: a longer instruction is #GP (SDM Vol. 2A 2.3.11). */
#define X86_MAX_INSN_LEN 15

/* The default operand and address size the code segment gives. */
enum x86_mode {
	X86_MODE_16,    /* real mode, or a 16-bit protected-mode segment */
	X86_MODE_32,    /* protected or compatibility mode, CS.D = 1 */
	X86_MODE_64,    /* long mode with CS.L = 1 */
};

enum decode_error {
	DECODE_OK = 0,
	DECODE_E_TRUNCATED,        /* the bytes end inside the instruction */
	DECODE_E_TOO_LONG,         /* more than 15 bytes (prefixes included) */
	DECODE_E_LOCK_OR_REP,      /* F0, F2 or F3: not part of a plain mov */
	DECODE_E_UNSUPPORTED,      /* an opcode outside the list above */
	DECODE_E_REGISTER_OPERAND, /* ModRM.mod = 3: the r/m operand is no memory */
	DECODE_E_BAD_EXTENSION,    /* C6/C7 with ModRM.reg other than 0 */
	DECODE_E_COUNT
};

/* What the instruction does to memory, which is all the monitor needs. */
struct mmio_insn {
	bool write;          /* true: the device is written (88, 89, C6, C7) */
	unsigned size;       /* bytes of the memory access: 1, 2, 4 or 8 */
	/* Loads: the register that receives the value; stores from a register:
	 * the register whose value is stored. 0-15 (rax, rcx, rdx, rbx, rsp,
	 * rbp, rsi, rdi, r8-r15). */
	unsigned reg;
	/* An 8-bit register 4-7 without a REX prefix is ah, ch, dh, bh: bits
	 * 8-15 of register reg - 4. */
	bool high_byte;
	bool has_imm;        /* C6/C7: the value stored is imm */
	uint64_t imm;        /* already sign-extended to size bytes' worth */
	/* Loads only: how the value is widened into the register. dest_size is
	 * the register width written (1, 2, 4, 8); for plain movs it equals
	 * size. */
	enum { MMIO_EXTEND_NONE, MMIO_EXTEND_ZERO, MMIO_EXTEND_SIGN } extend;
	unsigned dest_size;
	unsigned length;     /* bytes of the whole instruction, 1..15 */
};

/*
 * Decodes the instruction at bytes[0, len) in mode. Returns DECODE_OK and
 * fills *out, or the first reason it cannot be emulated (*out then means
 * nothing). len may be more than the instruction needs; fewer than it
 * needs is DECODE_E_TRUNCATED unless the 15-byte limit is reached first.
 */
enum decode_error x86_decode_mmio(const uint8_t *bytes, size_t len, enum x86_mode mode,
                                  struct mmio_insn *out);

/* A short sentence for err; never NULL, also for values outside the enum. */
const char *decode_error_name(int err);

#endif
