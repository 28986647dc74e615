/* SPDX-License-Identifier: GPL-2.0-only */
/* Boot-CPU bring-up and the small arch services generic code needs. */
#include "arch/arch.h"

#include "arch/x86/cpu.h"
#include "arch/x86/gdt.h"
#include "arch/x86/percpu.h"
#include "arch/x86/trap.h"

void arch_early_init(void)
{
	irq_disable();
	gdt_init_cpu(0);
	percpu_init(0, 0);   /* its APIC ID comes with the CPU list (smp.c) */
	idt_init();
}

/*
 * Until the kernel loads its own page tables, the firmware's identity map is
 * live (UEFI 2.9 §2.3.4), so physical equals virtual. Refuse ranges that
 * wrap or lie beyond the 52-bit physical limit.
 */
const void *arch_early_map(void *ctx, uint64_t phys, uint64_t len)
{
	(void)ctx;
	if (phys == 0 || phys + len < phys || phys + len > (1ull << 52))
		return NULL;
	return (const void *)(uintptr_t)phys;
}

void arch_halt_forever(void)
{
	cpu_stop();
}
