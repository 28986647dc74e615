/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Decoding the exit qualification of control-register accesses and I/O
 * instructions (SDM Vol. 3C §28.2.1). Pure: the handlers in exits.c read
 * EXIT_QUALIFICATION and pass it in, so host tests can check every field
 * against the SDM's tables.
 */
#ifndef ARCH_X86_VMX_EXIT_QUAL_H
#define ARCH_X86_VMX_EXIT_QUAL_H

#include <stdbool.h>
#include <stdint.h>

/* Access type, bits 5:4 (Table 28-3). */
enum cr_access_type {
	CR_ACCESS_MOV_TO_CR   = 0,
	CR_ACCESS_MOV_FROM_CR = 1,
	CR_ACCESS_CLTS        = 2,
	CR_ACCESS_LMSW        = 3,
};

/* A control-register access, decoded. */
struct cr_access {
	unsigned cr;                /* MOV: 0, 3, 4 or 8; 0 for CLTS and LMSW */
	enum cr_access_type type;
	unsigned gpr;               /* MOV: the general register, in Table 28-3's
	                             * order: 0 RAX, 1 RCX, 2 RDX, 3 RBX, 4 RSP,
	                             * 5 RBP, 6 RSI, 7 RDI, 8-15 R8-R15 */
	bool lmsw_memory;           /* LMSW: the operand was in memory */
	uint16_t lmsw_source;       /* LMSW: the 16-bit operand */
};

/*
 * Decodes the exit qualification of a control-register access (Table 28-3).
 * Every field is taken from its bits as the SDM lays them out; whether the
 * access is allowed is the caller's decision.
 */
struct cr_access vmx_decode_cr_access(uint64_t qualification);

/*
 * The CR0 a CLTS or LMSW (a->type) would leave, given the CR0 the guest
 * sees now (its read shadow). CLTS clears TS (SDM Vol. 2A, CLTS). LMSW
 * loads PE, MP, EM and TS from the operand's low 4 bits but cannot clear
 * PE (Vol. 2A, LMSW); the other bits are kept. For MOV types returns cr0.
 */
uint64_t vmx_cr0_after(const struct cr_access *a, uint64_t cr0);

/* An I/O instruction, decoded. */
struct io_access {
	uint16_t port;
	unsigned size;              /* bytes: 1, 2 or 4 */
	bool in;                    /* IN or INS; else OUT or OUTS */
	bool string;                /* INS or OUTS */
	bool rep;                   /* with a REP prefix */
	bool immediate;             /* the port was an immediate, not DX */
};

/*
 * Decodes the exit qualification of an I/O instruction (Table 28-5). The
 * size field holds bytes - 1, and the CPU writes only 0, 1 or 3 there; the
 * value is returned as it decodes (bits 2:0 plus one), never refused.
 */
struct io_access vmx_decode_io(uint64_t qualification);

#endif
