/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The hypercall instruction, wrapped once (calling convention:
 * bulkhead/hypercall.h, docs/hypercalls.md): VMCALL on Intel CPUs (VT-x),
 * VMMCALL on AMD ones (AMD-V), where the other one is an invalid opcode.
 * Which one is decided once, before main, from the CPU vendor
 * (rt_hypercall_vmmcall); until then VMCALL, which the AMD-V kernel also
 * accepts. Private to the runtime: apps call the typed wrappers in
 * bulkhead/runtime.h.
 *
 * The kernel reads and writes guest memory during a call, hence "memory".
 * It preserves every register but RAX, including RFLAGS, so "cc" is only
 * belt and braces.
 */
#ifndef RUNTIME_VMCALL_H
#define RUNTIME_VMCALL_H

#include <stdbool.h>
#include <stdint.h>

/* True if hypercalls use VMMCALL (start.c sets it from CPUID). */
extern bool rt_hypercall_vmmcall;

/* The instruction chosen at run time: one compare and a branch the CPU
 * predicts, against an exit that costs thousands of cycles. */
#define HYPERCALL_INSN \
	"cmpb $0, %[vmmcall]\n\tjne 1f\n\tvmcall\n\tjmp 2f\n1:\tvmmcall\n2:"
#define HYPERCALL_SELECT [vmmcall] "m"(rt_hypercall_vmmcall)

static inline int64_t vmcall0(uint64_t nr)
{
	int64_t ret;

	asm volatile(HYPERCALL_INSN : "=a"(ret) : HYPERCALL_SELECT, "a"(nr) : "memory", "cc");
	return ret;
}

static inline int64_t vmcall1(uint64_t nr, uint64_t a0)
{
	int64_t ret;

	asm volatile(HYPERCALL_INSN : "=a"(ret) : HYPERCALL_SELECT, "a"(nr), "D"(a0) : "memory", "cc");
	return ret;
}

static inline int64_t vmcall2(uint64_t nr, uint64_t a0, uint64_t a1)
{
	int64_t ret;

	asm volatile(HYPERCALL_INSN : "=a"(ret) : HYPERCALL_SELECT, "a"(nr), "D"(a0), "S"(a1)
	             : "memory", "cc");
	return ret;
}

static inline int64_t vmcall3(uint64_t nr, uint64_t a0, uint64_t a1,
                              uint64_t a2)
{
	int64_t ret;

	asm volatile(HYPERCALL_INSN : "=a"(ret) : HYPERCALL_SELECT, "a"(nr), "D"(a0), "S"(a1), "d"(a2)
	             : "memory", "cc");
	return ret;
}

/* Arguments 4..6 travel in R10, R8, R9, which have no constraint letters. */
static inline int64_t vmcall6(uint64_t nr, uint64_t a0, uint64_t a1,
                              uint64_t a2, uint64_t a3, uint64_t a4,
                              uint64_t a5)
{
	register uint64_t r10 asm("r10") = a3;
	register uint64_t r8 asm("r8") = a4;
	register uint64_t r9 asm("r9") = a5;
	int64_t ret;

	asm volatile(HYPERCALL_INSN
	             : "=a"(ret)
	             : HYPERCALL_SELECT, "a"(nr), "D"(a0), "S"(a1), "d"(a2), "r"(r10), "r"(r8),
	               "r"(r9)
	             : "memory", "cc");
	return ret;
}

#endif
