/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Per-CPU GDT and TSS. OVMF leaves TR = 0, which VM entry rejects as host
 * state (SDM Vol. 3C §26.2.3), so every CPU loads its own TSS before VMXON.
 * The TSS also gives #DF, NMI and #MC their own stacks (IST), so a kernel
 * stack overflow is still reported.
 */
#ifndef ARCH_X86_GDT_H
#define ARCH_X86_GDT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SEL_KCODE 0x08
#define SEL_KDATA 0x10
#define SEL_TSS   0x18

/* IST slots (1-based, as in the IDT gate's IST field). */
#define IST_DOUBLE_FAULT 1
#define IST_NMI          2
#define IST_MACHINE_CHECK 3

/* As many as the boot information can list (BH_BOOT_MAX_CPUS); a CPU
 * mask is one uint64_t. */
#define MAX_CPUS 64

/* Flat long-mode code (L=1), flat data and flat 32-bit code descriptors
 * (SDM Vol. 3A §3.4.5): the kernel's, and the AP trampoline's (smp.c). */
#define GDT_KCODE   0x00af9a000000ffffull
#define GDT_KDATA   0x00cf92000000ffffull
#define GDT_CODE32  0x00cf9a000000ffffull

/* Bytes of one AP's GDT, TSS and IST stacks (the boot CPU's are static). */
size_t gdt_cpu_tables_size(void);

/* Gives AP `cpu` its tables at mem: gdt_cpu_tables_size() bytes, 64-byte
 * aligned, its own for good. Before the AP runs gdt_init_cpu. */
void gdt_assign_cpu_tables(unsigned cpu, void *mem);

/* Loads GDT, segment registers and TR for CPU `cpu` (0 = boot CPU). */
void gdt_init_cpu(unsigned cpu);

/* If addr lies in one of a CPU's IST stacks, sets [*lo, *hi) to that
 * stack and returns true (for the backtrace of a report made on it). */
bool gdt_ist_stack_bounds(uint64_t addr, uint64_t *lo, uint64_t *hi);

/* Base of CPU `cpu`'s TSS, for the VMCS host-state area. */
uint64_t gdt_tss_base(unsigned cpu);

#endif
