/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The local APIC's timer, for two things: waking the idle CPU at a
 * deadline, and (lapic_arm_deadline) ending an AMD-V guest's slice. Where
 * the CPU has x2APIC mode (MSR access) and the TSC-deadline timer, it is
 * that (SDM Vol. 3A §11.5.4.1). Where it lacks the TSC-deadline mode (AMD
 * CPUs before Zen 4) or x2APIC too (QEMU's TCG), the one-shot count-down
 * timer stands in, its rate measured against the TSC once, through the
 * x2APIC MSRs or else the xAPIC's MMIO page. Where even that is missing,
 * idling falls back to a PAUSE loop and says so once.
 */
#include "arch/time.h"

#include <stdbool.h>

#include "arch/x86/cpu.h"
#include "arch/x86/lapic.h"
#include "arch/x86/mm/kernel_space.h"
#include "arch/x86/percpu.h"
#include "kernel/log.h"
#include "mm/memmap.h"

#define APIC_BASE_EXTD       (1ull << 10)
#define APIC_BASE_EN         (1ull << 11)
#define APIC_BASE_ADDR_MASK  0x000ffffffffff000ull
#define MSR_X2APIC_TPR       0x808
#define MSR_X2APIC_EOI       0x80b
#define MSR_X2APIC_SIVR      0x80f
#define MSR_X2APIC_LVT_TIMER 0x832
#define MSR_X2APIC_BASE      0x800     /* + xAPIC offset / 16 (SDM Vol. 3A §11.12.1.2) */
#define MSR_IA32_TSC_DEADLINE 0x6e0
#define SIVR_ENABLE          (1u << 8)
#define LVT_TSC_DEADLINE     (2u << 17)
/* xAPIC register offsets in its MMIO page (SDM Vol. 3A Table 11-1). */
#define XAPIC_ID             0x020
#define XAPIC_TPR            0x080
#define XAPIC_ICR_LOW        0x300
#define XAPIC_ICR_HIGH       0x310
#define ICR_DELIVERY_PENDING (1u << 12)
#define MSR_X2APIC_ICR       0x830
#define XAPIC_EOI            0x0b0
#define XAPIC_SIVR           0x0f0
#define XAPIC_LVT_TIMER      0x320
#define XAPIC_TIMER_INITIAL  0x380
#define XAPIC_TIMER_CURRENT  0x390
#define XAPIC_TIMER_DIVIDE   0x3e0
#define XAPIC_DIVIDE_BY_1    0xb
/* TSC cycles over which the xAPIC timer's rate is measured. */
#define XAPIC_CALIBRATE_TSC  (1ull << 22)

static enum { TIMER_NONE, TIMER_TSC_DEADLINE, TIMER_COUNT_DOWN } timer;
static volatile uint32_t *xapic;       /* the MMIO page, or NULL in x2APIC mode */
static uint64_t xapic_ticks_per_tsc;   /* 32.32 fixed point */

/* A register by its xAPIC offset, through MMIO or its x2APIC MSR. */
static uint32_t xapic_read(unsigned reg)
{
	return xapic ? xapic[reg / 4] : (uint32_t)rdmsr(MSR_X2APIC_BASE + reg / 16);
}

static void xapic_write(unsigned reg, uint32_t v)
{
	if (xapic)
		xapic[reg / 4] = v;
	else
		wrmsr(MSR_X2APIC_BASE + reg / 16, v);
}

/* This CPU's own registers for the count-down timer (each CPU has its own
 * local APIC at the same address, or the same MSRs). */
static void count_down_local_init(void)
{
	if (!xapic)
		wrmsr(MSR_IA32_APIC_BASE, rdmsr(MSR_IA32_APIC_BASE) | APIC_BASE_EN | APIC_BASE_EXTD);
	xapic_write(XAPIC_SIVR, SIVR_ENABLE | LAPIC_SPURIOUS_VECTOR);
	xapic_write(XAPIC_TPR, 0);
	xapic_write(XAPIC_TIMER_DIVIDE, XAPIC_DIVIDE_BY_1);
	xapic_write(XAPIC_LVT_TIMER, LAPIC_TIMER_VECTOR);   /* one-shot */
}

/* The count-down timer, in x2APIC mode if the CPU has it, else through
 * the MMIO page. */
static void count_down_init(bool x2apic)
{
	uint64_t base = rdmsr(MSR_IA32_APIC_BASE);
	if (x2apic) {
		wrmsr(MSR_IA32_APIC_BASE, base | APIC_BASE_EN | APIC_BASE_EXTD);
	} else if (!(base & APIC_BASE_EN) || (base & APIC_BASE_EXTD) ||
	           kernel_space_map_mmio(base & APIC_BASE_ADDR_MASK, PAGE_SIZE)) {
		kprintf("apic: no usable local APIC timer: the idle CPU will spin\n");
		return;
	} else {
		xapic = (volatile uint32_t *)(uintptr_t)(base & APIC_BASE_ADDR_MASK);
	}
	count_down_local_init();

	xapic_write(XAPIC_TIMER_INITIAL, 0xffffffffu);
	uint64_t start = rdtsc();
	while (rdtsc() - start < XAPIC_CALIBRATE_TSC)
		cpu_relax();
	uint32_t ticks = 0xffffffffu - xapic_read(XAPIC_TIMER_CURRENT);
	uint64_t cycles = rdtsc() - start;
	xapic_write(XAPIC_TIMER_INITIAL, 0);
	xapic_ticks_per_tsc = ((uint64_t)ticks << 32) / cycles;
	if (!xapic_ticks_per_tsc) {
		kprintf("apic: the xAPIC timer does not count: the idle CPU will spin\n");
		return;
	}
	kprintf("apic: no x2APIC TSC-deadline timer; using the %s one-shot timer "
	        "(%llu ticks per 1000 TSC cycles)\n", xapic ? "xAPIC" : "x2APIC",
	        (unsigned long long)((xapic_ticks_per_tsc * 1000) >> 32));
	timer = TIMER_COUNT_DOWN;
}

void lapic_init(void)
{
	struct cpuid_regs r = cpuid(CPUID_LEAF_FEATURES, 0);
	if (!(r.ecx & CPUID_1_ECX_X2APIC) || !(r.ecx & CPUID_1_ECX_TSC_DEADLINE)) {
		count_down_init(r.ecx & CPUID_1_ECX_X2APIC);
		return;
	}
	timer = TIMER_TSC_DEADLINE;
	lapic_init_ap();
}

void lapic_init_ap(void)
{
	if (timer == TIMER_COUNT_DOWN) {
		count_down_local_init();
	} else if (timer == TIMER_TSC_DEADLINE) {
		wrmsr(MSR_IA32_APIC_BASE, rdmsr(MSR_IA32_APIC_BASE) | APIC_BASE_EN | APIC_BASE_EXTD);
		wrmsr(MSR_X2APIC_SIVR, SIVR_ENABLE | LAPIC_SPURIOUS_VECTOR);
		wrmsr(MSR_X2APIC_TPR, 0);
		wrmsr(MSR_X2APIC_LVT_TIMER, LVT_TSC_DEADLINE | LAPIC_TIMER_VECTOR);
	}
}

bool lapic_can_ipi(void)
{
	return timer != TIMER_NONE;
}

void lapic_send_ipi(uint32_t apic_id, uint32_t icr)
{
	if (!xapic) {
		wrmsr(MSR_X2APIC_ICR, (uint64_t)apic_id << 32 | icr);
		return;
	}
	/* One command at a time: the last must have left the APIC (SDM
	 * Vol. 3A §11.6.1, delivery status). */
	while (xapic_read(XAPIC_ICR_LOW) & ICR_DELIVERY_PENDING)
		cpu_relax();
	xapic_write(XAPIC_ICR_HIGH, apic_id << 24);
	xapic_write(XAPIC_ICR_LOW, icr);
}

void lapic_arm_deadline(uint64_t deadline)
{
	if (timer == TIMER_TSC_DEADLINE) {
		wrmsr(MSR_IA32_TSC_DEADLINE, deadline);
	} else if (timer == TIMER_COUNT_DOWN) {
		uint64_t now = rdtsc();
		uint64_t delta = deadline > now ? deadline - now : 0;
		unsigned __int128 ticks = ((unsigned __int128)delta * xapic_ticks_per_tsc) >> 32;
		/* 0 would stop the timer: a deadline already past fires at once. */
		xapic_write(XAPIC_TIMER_INITIAL, ticks == 0 ? 1 :
		            ticks > 0xffffffffu ? 0xffffffffu : (uint32_t)ticks);
	}
}

void lapic_eoi(void)
{
	if (timer == TIMER_TSC_DEADLINE)
		wrmsr(MSR_X2APIC_EOI, 0);
	else if (timer == TIMER_COUNT_DOWN)
		xapic_write(XAPIC_EOI, 0);
}

void arch_idle_until(uint64_t deadline)
{
	if (timer == TIMER_NONE) {
		while (rdtsc() < deadline)
			cpu_relax();
		return;
	}
	/* A deadline already past fires at once; the interrupt then stays
	 * pending until the STI;HLT pair, whose shadow closes the race. A
	 * count-down timer may end early by its rounding: arm it again. */
	struct percpu *me = percpu_this();
	me->idle_woken = false;
	while (rdtsc() < deadline && !me->idle_woken) {
		lapic_arm_deadline(deadline);
		irq_halt();
	}
}

void lapic_idle_wake(void)
{
	percpu_this()->idle_woken = true;
}

uint32_t lapic_id(void)
{
	uint32_t id = xapic_read(XAPIC_ID);
	return xapic ? id >> 24 : id;   /* xAPIC: bits 31:24; x2APIC: all 32 */
}

bool arch_irq_window(void)
{
	struct percpu *me = percpu_this();
	irq_window();
	if (!me->irq_news)
		return false;
	me->irq_news = false;
	if (me->unexpected_vector) {
		kprintf("bulkhead: unexpected interrupt, vector %u\n", me->unexpected_vector);
		me->unexpected_vector = 0;
	}
	return me->device_pending != 0;
}
