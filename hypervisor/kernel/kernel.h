/* SPDX-License-Identifier: GPL-2.0-only */
/* The kernel's entry points, as seen by the UEFI stage and by arch code. */
#ifndef KERNEL_KERNEL_H
#define KERNEL_KERNEL_H

#include <bulkhead/bootinfo.h>

/*
 * Entry from the UEFI stage, after ExitBootServices (arch/x86/entry.asm):
 * interrupts are off, the firmware's identity-mapped page tables are still
 * loaded, the stack is the firmware's. It switches to the kernel's boot
 * stack and calls kernel_main. Never returns.
 */
__attribute__((noreturn)) void kernel_entry(struct bh_boot_info *bi);

/* Generic kernel start, on the kernel's own stack. Never returns. */
__attribute__((noreturn)) void kernel_main(struct bh_boot_info *bi);

#endif
