/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The guest's general registers by their x86 encoding number (0 rax,
 * 1 rcx, 2 rdx, 3 rbx, 4 rsp, 5 rbp, 6 rsi, 7 rdi, 8-15 r8-r15), read and
 * written with the architecture's width rules (SDM Vol. 1 3.4.1.1): an
 * 8- or 16-bit write keeps the other bits, a 32-bit write zeroes bits
 * 32-63, a 64-bit write replaces all. High-byte registers (ah, ch, dh,
 * bh) are bits 8-15 of registers 0-3. Pure.
 */
#ifndef VMM_CPU_GPR_H
#define VMM_CPU_GPR_H

#include <stdbool.h>
#include <stdint.h>

#include <bulkhead/monitor.h>

/* The low size bytes (1, 2, 4, 8) of register n (0-15), or of bits 8-15
 * when high_byte (n 0-3, size 1). A register number out of range reads 0. */
uint64_t gpr_read(const struct bh_monitor_regs *r, unsigned n, unsigned size, bool high_byte);

/* Writes the low size bytes of value into register n with the width rules
 * above. Out-of-range numbers and sizes change nothing. */
void gpr_write(struct bh_monitor_regs *r, unsigned n, unsigned size, bool high_byte, uint64_t value);

#endif
