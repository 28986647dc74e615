/* SPDX-License-Identifier: GPL-2.0-only */
/* The xAPIC register model (contract and its limits in lapic.h). */
#include <bulkhead/errno.h>

#include "devices/lapic.h"
#include "lib/string.h"

/* LVT slots in lvt[], in register order from LAPIC_LVT_TIMER. */
enum { LVT_TIMER, LVT_THERMAL, LVT_PERF, LVT_LINT0, LVT_LINT1, LVT_ERROR };

/* The bits software can write in each LVT entry (SDM Figure 11-8):
 * vector, delivery mode, polarity, trigger, mask, timer mode. */
static const uint32_t lvt_writable[LAPIC_LVT_COUNT] = {
	[LVT_TIMER] = 0x000700ff,
	[LVT_THERMAL] = 0x000107ff,
	[LVT_PERF] = 0x000107ff,
	[LVT_LINT0] = 0x0001a7ff,
	[LVT_LINT1] = 0x0001a7ff,
	[LVT_ERROR] = 0x000100ff,
};

#define TIMER_MODE(lvt)   (((lvt) >> 17) & 3)
#define TIMER_ONE_SHOT    0
#define TIMER_PERIODIC    1

static bool bit_test(const uint32_t *set, unsigned v)
{
	return (set[v / 32] >> (v % 32)) & 1;
}

static void bit_set(uint32_t *set, unsigned v)
{
	set[v / 32] |= 1u << (v % 32);
}

static void bit_clear(uint32_t *set, unsigned v)
{
	set[v / 32] &= ~(1u << (v % 32));
}

/* The highest set vector, or -1. */
static int bit_highest(const uint32_t *set)
{
	for (int w = 7; w >= 0; w--)
		if (set[w])
			return w * 32 + 31 - __builtin_clz(set[w]);
	return -1;
}

static bool pending_test(const struct lapic *l, unsigned v)
{
	return (__atomic_load_n(&l->irq->pending[v / 64], __ATOMIC_ACQUIRE) >> (v % 64)) & 1;
}

static void pending_set(struct lapic *l, unsigned v)
{
	__atomic_fetch_or(&l->irq->pending[v / 64], 1ull << (v % 64), __ATOMIC_RELEASE);
}

/* The TDCR divisor: bits 0, 1 and 3 encode 2, 4, ..., 128, and 1. */
static uint64_t timer_divisor(uint32_t tdcr)
{
	unsigned code = (tdcr & 3) | ((tdcr >> 1) & 4);

	return code == 7 ? 1 : 2ull << code;
}

static bool timer_enabled(const struct lapic *l)
{
	uint32_t lvt = l->lvt[LVT_TIMER];

	return l->tmict && !(lvt & LAPIC_LVT_MASKED) && (l->svr & LAPIC_SVR_ENABLE) &&
	       (TIMER_MODE(lvt) == TIMER_ONE_SHOT || TIMER_MODE(lvt) == TIMER_PERIODIC) &&
	       (lvt & 0xff) >= 32;
}

static void timer_disarm(struct lapic *l)
{
	__atomic_store_n(&l->irq->timer_deadline, 0, __ATOMIC_RELEASE);
}

/*
 * Sets the kernel's deadline to the timer's next expiry after tsc, or
 * disarms it. A one-shot whose expiry has passed stays as the kernel has
 * it: still armed if the kernel has not posted it yet, else disarmed.
 */
static void timer_arm(struct lapic *l, uint64_t tsc)
{
	if (!timer_enabled(l)) {
		timer_disarm(l);
		return;
	}
	uint64_t period = (uint64_t)l->tmict * timer_divisor(l->tdcr);
	uint64_t deadline = l->timer_start + period;
	bool periodic = TIMER_MODE(l->lvt[LVT_TIMER]) == TIMER_PERIODIC;

	if (tsc >= deadline) {
		if (!periodic) {
			uint64_t armed = __atomic_load_n(&l->irq->timer_deadline, __ATOMIC_ACQUIRE);
			if (armed != deadline)
				timer_disarm(l);
			return;
		}
		deadline += ((tsc - deadline) / period + 1) * period;
	}
	if (deadline == 0)
		deadline = 1;   /* 0 means disarmed */
	timer_disarm(l);
	l->armed_vector = l->lvt[LVT_TIMER] & 0xff;
	__atomic_store_n(&l->irq->timer_vector, l->armed_vector, __ATOMIC_RELAXED);
	__atomic_store_n(&l->irq->timer_period, periodic ? period : 0, __ATOMIC_RELAXED);
	__atomic_store_n(&l->irq->timer_deadline, deadline, __ATOMIC_RELEASE);
}

uint32_t lapic_timer_current(const struct lapic *l, uint64_t tsc)
{
	uint32_t mode = TIMER_MODE(l->lvt[LVT_TIMER]);

	if (l->tmict == 0 || tsc < l->timer_start ||
	    (mode != TIMER_ONE_SHOT && mode != TIMER_PERIODIC))
		return l->tmict && tsc < l->timer_start ? l->tmict : 0;
	uint64_t elapsed = (tsc - l->timer_start) / timer_divisor(l->tdcr);
	if (mode == TIMER_PERIODIC)
		return l->tmict - (uint32_t)(elapsed % l->tmict);
	return elapsed >= l->tmict ? 0 : l->tmict - (uint32_t)elapsed;
}

void lapic_init(struct lapic *l, struct bh_monitor_irq *irq, uint8_t apic_id,
                void (*eoi_level)(void *ctx, uint8_t vector), void *ctx)
{
	memset(l, 0, sizeof *l);
	l->irq = irq;
	l->eoi_level = eoi_level;
	l->ctx = ctx;
	l->id = apic_id;
	l->dfr = 0xffffffffu;
	l->svr = 0xff;
	for (unsigned i = 0; i < LAPIC_LVT_COUNT; i++)
		l->lvt[i] = LAPIC_LVT_MASKED;
	timer_disarm(l);
	for (unsigned i = 0; i < 4; i++) {
		__atomic_store_n(&irq->pending[i], 0, __ATOMIC_RELEASE);
		__atomic_store_n(&irq->kernel_posted[i], 0, __ATOMIC_RELEASE);
	}
	l->timer_fired_seen = __atomic_load_n(&irq->timer_fired, __ATOMIC_ACQUIRE);
}

/*
 * The device vectors the kernel posted itself (MSIs of a granted device)
 * go into IRR as edge-triggered, as a raise here would. The kernel sets a
 * bit in kernel_posted[] and in pending[]; the exchange takes each bit
 * exactly once even while the kernel sets more, and the IRR-to-ISR step
 * after it then sees the vector in ISR if the kernel has injected it.
 */
static void take_kernel_posted(struct lapic *l)
{
	for (unsigned w = 0; w < 4; w++) {
		uint64_t bits = __atomic_exchange_n(&l->irq->kernel_posted[w], 0, __ATOMIC_ACQ_REL);
		if (w == 0)
			bits &= ~0xffffffffull;   /* vectors 0-31 are never delivered */
		while (bits) {
			unsigned v = w * 64 + (unsigned)__builtin_ctzll(bits);
			bits &= bits - 1;
			bit_set(l->irr, v);
			bit_clear(l->tmr, v);
		}
	}
}

void lapic_sync(struct lapic *l)
{
	uint32_t fired = __atomic_load_n(&l->irq->timer_fired, __ATOMIC_ACQUIRE);

	take_kernel_posted(l);

	if (fired != l->timer_fired_seen) {
		l->timer_fired_seen = fired;
		if (l->armed_vector >= 32) {
			bit_set(l->irr, l->armed_vector);
			bit_clear(l->tmr, l->armed_vector);
		}
	}
	for (unsigned v = 32; v < 256; v++) {
		if (bit_test(l->irr, v) && !pending_test(l, v)) {
			bit_clear(l->irr, v);
			bit_set(l->isr, v);
		}
	}
}

bool lapic_raise(struct lapic *l, uint8_t vector, bool level)
{
	if (vector < 32) {
		l->esr_latched |= LAPIC_ESR_RECV_ILLEGAL;
		return false;
	}
	if (level)
		bit_set(l->tmr, vector);
	else
		bit_clear(l->tmr, vector);
	bit_set(l->irr, vector);
	pending_set(l, vector);
	return true;
}

static uint32_t ppr(const struct lapic *l)
{
	int isrv = bit_highest(l->isr);
	uint32_t isr_class = isrv < 0 ? 0 : (uint32_t)isrv & 0xf0;

	return (l->tpr & 0xf0) >= isr_class ? l->tpr & 0xff : isr_class;
}

static void eoi(struct lapic *l)
{
	int v = bit_highest(l->isr);

	if (v < 0)
		return;
	bit_clear(l->isr, (unsigned)v);
	if (bit_test(l->tmr, (unsigned)v)) {
		bit_clear(l->tmr, (unsigned)v);
		if (l->eoi_level)
			l->eoi_level(l->ctx, (uint8_t)v);
	}
}

/* Does an IPI with this ICR reach this APIC? */
static bool ipi_is_for_me(const struct lapic *l, uint32_t lo, uint32_t hi)
{
	uint32_t dest = hi >> 24;

	switch ((lo >> 18) & 3) {
	case 1:   /* self */
	case 2:   /* all including self */
		return true;
	case 3:   /* all excluding self */
		return false;
	}
	if (dest == 0xff)
		return true;
	if (lo & (1u << 11))   /* logical: flat model, one bit per APIC */
		return (l->dfr >> 28) == 0xf && (dest & (l->ldr >> 24)) != 0;
	return dest == l->id;
}

static void icr_write(struct lapic *l, uint32_t value)
{
	l->icr_lo = value & ~(1u << 12);   /* delivery status: always idle */
	if (((value >> 8) & 7) != 0 || !ipi_is_for_me(l, value, l->icr_hi))
		return;                    /* not fixed, or another CPU's */
	if ((value & 0xff) < 32) {
		l->esr_latched |= LAPIC_ESR_SEND_ILLEGAL;
		return;
	}
	lapic_raise(l, (uint8_t)value, false);
}

static bool slot_ok(uint32_t offset, unsigned size)
{
	return size == 4 && (offset & 0xf) == 0 && offset < LAPIC_SIZE;
}

int lapic_read(struct lapic *l, uint32_t offset, unsigned size, uint64_t tsc, uint32_t *value)
{
	*value = 0;
	if (!slot_ok(offset, size)) {
		l->bad_accesses++;
		return -BH_EINVAL;
	}
	lapic_sync(l);
	if (offset >= LAPIC_ISR && offset < LAPIC_ESR) {
		const uint32_t *set = offset < LAPIC_TMR ? l->isr : offset < LAPIC_IRR ? l->tmr : l->irr;
		*value = set[(offset & 0x7f) >> 4];
		return 0;
	}
	if (offset >= LAPIC_LVT_TIMER && offset <= LAPIC_LVT_ERROR) {
		*value = l->lvt[(offset - LAPIC_LVT_TIMER) >> 4];
		return 0;
	}
	switch (offset) {
	case LAPIC_ID: *value = l->id << 24; return 0;
	case LAPIC_VER: *value = LAPIC_VERSION; return 0;
	case LAPIC_TPR: *value = l->tpr; return 0;
	case LAPIC_APR: *value = 0; return 0;
	case LAPIC_PPR: *value = ppr(l); return 0;
	case LAPIC_RRD: *value = 0; return 0;
	case LAPIC_LDR: *value = l->ldr; return 0;
	case LAPIC_DFR: *value = l->dfr; return 0;
	case LAPIC_SVR: *value = l->svr; return 0;
	case LAPIC_ESR: *value = l->esr; return 0;
	case LAPIC_ICR_LO: *value = l->icr_lo; return 0;
	case LAPIC_ICR_HI: *value = l->icr_hi; return 0;
	case LAPIC_TMICT: *value = l->tmict; return 0;
	case LAPIC_TMCCT: *value = lapic_timer_current(l, tsc); return 0;
	case LAPIC_TDCR: *value = l->tdcr; return 0;
	}
	l->bad_accesses++;
	return -BH_ENOENT;
}

int lapic_write(struct lapic *l, uint32_t offset, unsigned size, uint32_t value, uint64_t tsc)
{
	if (!slot_ok(offset, size)) {
		l->bad_accesses++;
		return -BH_EINVAL;
	}
	lapic_sync(l);
	if (offset >= LAPIC_LVT_TIMER && offset <= LAPIC_LVT_ERROR) {
		unsigned i = (offset - LAPIC_LVT_TIMER) >> 4;
		l->lvt[i] = value & lvt_writable[i];
		if (!(l->svr & LAPIC_SVR_ENABLE))
			l->lvt[i] |= LAPIC_LVT_MASKED;   /* held masked while disabled */
		if (i == LVT_TIMER)
			timer_arm(l, tsc);
		return 0;
	}
	switch (offset) {
	case LAPIC_ID:
		l->id = value >> 24;
		return 0;
	case LAPIC_TPR:
		l->tpr = value & 0xff;
		return 0;
	case LAPIC_EOI:
		eoi(l);
		return 0;
	case LAPIC_LDR:
		l->ldr = value & 0xff000000u;
		return 0;
	case LAPIC_DFR:
		l->dfr = value | 0x0fffffffu;
		return 0;
	case LAPIC_SVR:
		l->svr = value & 0x11ff;
		if (!(l->svr & LAPIC_SVR_ENABLE))
			for (unsigned i = 0; i < LAPIC_LVT_COUNT; i++)
				l->lvt[i] |= LAPIC_LVT_MASKED;
		timer_arm(l, tsc);
		return 0;
	case LAPIC_ESR:
		/* A write moves the errors gathered since into the register. */
		l->esr = l->esr_latched;
		l->esr_latched = 0;
		return 0;
	case LAPIC_ICR_LO:
		icr_write(l, value);
		return 0;
	case LAPIC_ICR_HI:
		l->icr_hi = value & 0xff000000u;
		return 0;
	case LAPIC_TMICT:
		l->tmict = value;
		l->timer_start = tsc;
		timer_arm(l, tsc);
		return 0;
	case LAPIC_TDCR:
		/* A new divisor applies from now: restart the count from the
		 * current value, so TMCCT does not jump. */
		{
			uint32_t current = lapic_timer_current(l, tsc);
			bool periodic = TIMER_MODE(l->lvt[LVT_TIMER]) == TIMER_PERIODIC;
			l->tdcr = value & 0xb;
			if (l->tmict && (periodic || current)) {
				uint64_t div = timer_divisor(l->tdcr);
				l->timer_start = tsc - (uint64_t)(l->tmict - current) * div;
				if (l->timer_start > tsc)
					l->timer_start = 0;
			}
			timer_arm(l, tsc);
		}
		return 0;
	}
	l->bad_accesses++;
	return -BH_ENOENT;
}
