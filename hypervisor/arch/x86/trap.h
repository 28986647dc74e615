/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Interrupt and exception entry (arch/x86/isr.asm, trap.c). Every IDT vector
 * has a 16-byte stub that pushes a dummy error code when the CPU pushes none
 * (SDM Vol. 3A §6.13) and the vector number, then jumps to a common path that
 * saves the general registers and calls trap_dispatch().
 */
#ifndef ARCH_X86_TRAP_H
#define ARCH_X86_TRAP_H

#include <stdint.h>

/* Stack layout built by isr.asm: lowest address first. */
struct trap_frame {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector, error;
	uint64_t rip, cs, rflags, rsp, ss;   /* pushed by the CPU */
};
_Static_assert(sizeof(struct trap_frame) == 22 * 8,
               "trap_frame must match the push order in isr.asm");

#define ISR_STUB_SIZE 16
extern char isr_stubs[];   /* 256 stubs of ISR_STUB_SIZE bytes (isr.asm) */

/* Called from isr.asm with interrupts off. Returns to the interrupted code. */
void trap_dispatch(struct trap_frame *f);

/* Loads the IDT on this CPU (trap.c). */
void idt_init(void);

/* Loads the IDT idt_init built on this CPU (an application processor). */
void idt_load(void);

#endif
