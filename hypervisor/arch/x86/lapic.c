/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The local APIC, in x2APIC mode (MSR access: no MMIO page to map), used
 * for one thing so far: waking the idle CPU at a deadline with the
 * TSC-deadline timer (SDM Vol. 3A §11.5.4.1). Where the CPU lacks either,
 * idling falls back to a PAUSE loop and says so once.
 */
#include "arch/time.h"

#include <stdbool.h>

#include "arch/x86/cpu.h"
#include "arch/x86/lapic.h"
#include "kernel/log.h"

#define APIC_BASE_EXTD       (1ull << 10)
#define APIC_BASE_EN         (1ull << 11)
#define MSR_X2APIC_TPR       0x808
#define MSR_X2APIC_EOI       0x80b
#define MSR_X2APIC_SIVR      0x80f
#define MSR_X2APIC_LVT_TIMER 0x832
#define MSR_IA32_TSC_DEADLINE 0x6e0
#define SIVR_ENABLE          (1u << 8)
#define LVT_TSC_DEADLINE     (2u << 17)

static bool deadline_timer;

void lapic_init(void)
{
	struct cpuid_regs r = cpuid(CPUID_LEAF_FEATURES, 0);
	if (!(r.ecx & CPUID_1_ECX_X2APIC) || !(r.ecx & CPUID_1_ECX_TSC_DEADLINE)) {
		kprintf("apic: no x2APIC TSC-deadline timer: the idle CPU will spin\n");
		return;
	}
	wrmsr(MSR_IA32_APIC_BASE, rdmsr(MSR_IA32_APIC_BASE) | APIC_BASE_EN | APIC_BASE_EXTD);
	wrmsr(MSR_X2APIC_SIVR, SIVR_ENABLE | LAPIC_SPURIOUS_VECTOR);
	wrmsr(MSR_X2APIC_TPR, 0);
	wrmsr(MSR_X2APIC_LVT_TIMER, LVT_TSC_DEADLINE | LAPIC_TIMER_VECTOR);
	deadline_timer = true;
}

void lapic_eoi(void)
{
	if (deadline_timer)
		wrmsr(MSR_X2APIC_EOI, 0);
}

void arch_idle_until(uint64_t deadline)
{
	if (!deadline_timer) {
		while (rdtsc() < deadline)
			cpu_relax();
		return;
	}
	/* A deadline already past fires at once; the interrupt then stays
	 * pending until the STI;HLT pair, whose shadow closes the race. */
	wrmsr(MSR_IA32_TSC_DEADLINE, deadline);
	while (rdtsc() < deadline)
		irq_halt();
}

void arch_irq_window(void)
{
	irq_window();
}
