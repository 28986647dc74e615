/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The seam between generic kernel code and the architecture. Generic code
 * calls only these (and arch/console.h); each is implemented under arch/x86/.
 */
#ifndef ARCH_ARCH_H
#define ARCH_ARCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "acpi/acpi.h"
#include "mm/memmap.h"

/*
 * Boot-CPU set-up that must precede everything else: own GDT and TSS, own
 * IDT with exception handlers. Firmware tables are not used after this.
 */
void arch_early_init(void);

/*
 * Maps [phys, phys+len) for reading during early boot, before the kernel's
 * own page tables replace the firmware's identity map (an acpi_map_fn).
 */
const void *arch_early_map(void *ctx, uint64_t phys, uint64_t len);

/*
 * Builds the kernel's own page tables and switches to them: the kernel image
 * mapped W^X (text read+execute, read-only data read-only, data read+write
 * and never executable, an unmapped guard page below the boot stack), and
 * an identity map, read+write and never executable, of the usable and
 * loader RAM in regions[] only. Page 0, firmware, ACPI and MMIO ranges stay
 * unmapped. (Application processors' stacks are mapped later, apart, each
 * above a guard page: arch/x86/mm/kernel_space.h.) Table frames come from
 * the early pool (boot info). Returns 0, or a negative error with *why set
 * to a sentence for the panic message.
 */
int arch_kernel_space_init(const struct mem_region *regions, size_t n,
                           uint64_t pool, uint64_t pool_size, const char **why);

/* Bytes of early pool the kernel page tables used so far. */
uint64_t arch_kernel_space_table_bytes(void);

/*
 * Detects the virtualization features the kernel needs and prints them on
 * one line ("cpu: ..."). Returns NULL if VMs can run, else a sentence naming
 * exactly what is missing.
 */
const char *arch_virt_probe(void);

/* Records how to power off and reset (from ACPI; may be all-invalid). */
void arch_power_init(const struct acpi_power *power);

/*
 * Powers the machine off: ACPI S5 on real hardware and QEMU, port 0x8900 on
 * Bochs, isa-debug-exit on QEMU as a last resort; halts if all fail.
 */
__attribute__((noreturn)) void arch_power_off(void);

/* Interrupts off, CPU halted, for good. */
__attribute__((noreturn)) void arch_halt_forever(void);

/*
 * Deliberately raises the CPU exception named by kind, to prove the handlers
 * and the kernel's memory protections (boot option debug.fault=KIND):
 * "ud" (invalid opcode), "null" (read of page 0), "wx" (write to kernel
 * text), "nx" (execute from kernel data), "gp" (non-canonical access),
 * "stack" (kernel stack overflow into its guard page), and "panic" (no
 * exception: a panic, to show its report).
 * Returns -BH_EINVAL if kind is unknown; otherwise does not return.
 */
int arch_trigger_fault(const char *kind);

/*
 * Prints the caller's call chain, symbolized, one "  #N 0x<address>
 * <function>+0x<offset>" line per frame, #0 the caller (panic reports).
 */
void arch_backtrace(void);

#endif
