/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Decoding the guest instruction behind a CR write intercept, for CPUs
 * without decode assists (QEMU's TCG): MOV to CRn and CLTS (SDM Vol. 2,
 * "MOV—Move to/from Control Registers", "CLTS"). Pure, so host tests
 * check it byte by byte.
 */
#ifndef ARCH_X86_SVM_CR_DECODE_H
#define ARCH_X86_SVM_CR_DECODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The longest encoding decoded: REX, 0f, 22, ModRM. */
#define CR_WRITE_INSN_MAX 4

struct cr_write {
	enum { CR_WRITE_MOV, CR_WRITE_CLTS } kind;
	unsigned cr;      /* the control register written */
	unsigned gpr;     /* MOV: source register, 0-15 in encoding order (RAX, RCX, ...) */
	unsigned len;     /* instruction length in bytes */
};

/*
 * Decodes insn[0..n) as a write to a control register: an optional REX
 * prefix, then 0f 22 /r (MOV to CRn, ModRM.mod ignored as the CPU does)
 * or 0f 06 (CLTS, a write to CR0). Returns true with *out filled, or false
 * for anything else (other prefixes, LMSW), which the caller then
 * refuses without a value.
 */
bool cr_write_decode(const uint8_t *insn, size_t n, struct cr_write *out);

#endif
