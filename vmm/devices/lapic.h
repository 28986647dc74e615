/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The guest's local APIC in xAPIC mode, its 4 KiB register page at
 * 0xfee00000 (SDM Vol. 3A chapter 11, now 12): ID, version, TPR, PPR,
 * EOI, LDR, DFR, SVR, ISR/TMR/IRR, ESR, ICR, the six LVT entries (timer,
 * thermal, performance, LINT0, LINT1, error) and the timer (initial
 * count, current count, divide configuration).
 *
 * The model does not deliver interrupts itself: it asks the kernel to,
 * through the exit page's struct bh_monitor_irq (bulkhead/monitor.h). A
 * vector raised here gets its bit in pending[]; the kernel injects it and
 * clears the bit. The timer is a TSC deadline the kernel keeps
 * (timer_deadline, timer_period, timer_vector), so a timer tick costs no
 * round trip through the monitor.
 *
 * What is exact and what is approximate:
 *  - the timer: counts at the TSC rate divided by TDCR (so the guest's
 *    "bus clock" is the TSC, which the CPUID the kernel presents must
 *    say); one-shot and periodic; TMCCT is computed from the TSC passed
 *    in, exact to the cycle; TSC-deadline mode (LVT mode 2) is not
 *    offered and leaves the timer stopped;
 *  - IRR and ISR: a vector this model posted is in IRR while its bit is
 *    still set in pending[], and moves to ISR once the kernel has cleared
 *    the bit (injected it); a timer interrupt is counted from
 *    timer_fired the same way, and so is a device vector the kernel
 *    posted itself (kernel_posted[], taken as edge-triggered: an MSI
 *    is an edge). lapic_sync does this and runs before every
 *    register access, so what the guest reads is exact as of its access,
 *    with one approximation: a vector raised again while it is in ISR
 *    (an edge interrupt that recurs before its EOI) is one ISR bit, where
 *    hardware would hold it in IRR until the EOI;
 *  - EOI clears the highest ISR bit; if that vector was level-triggered
 *    (TMR), the eoi callback tells the IOAPIC (the EOI broadcast);
 *  - TPR and PPR are kept and read back but do not hold back delivery:
 *    the kernel injects the highest pending vector whenever the guest
 *    can take an interrupt (Linux keeps TPR at 0);
 *  - ICR: a fixed-mode IPI whose destination is this APIC (self
 *    shorthand, all-including-self, its physical ID, its logical ID in
 *    flat mode, or broadcast) raises the vector here; other IPIs (INIT,
 *    SIPI, NMI, SMI, other CPUs) are ignored: there is one vCPU. The
 *    delivery-status bit always reads idle;
 *  - ESR: "send illegal vector" and "receive illegal vector" (vectors
 *    below 32, which the kernel does not inject) are latched and show
 *    after the next ESR write, as on hardware; no error interrupt is
 *    raised. Thermal, performance and LINT entries are stored only.
 *
 * Registers take aligned 32-bit accesses at their 16-byte slots. Pure and
 * freestanding; the interrupt block is written with atomic operations,
 * since the kernel reads and clears it concurrently.
 */
#ifndef VMM_DEVICES_LAPIC_H
#define VMM_DEVICES_LAPIC_H

#include <stdbool.h>
#include <stdint.h>

#include <bulkhead/monitor.h>

#define LAPIC_BASE        0xfee00000ull
#define LAPIC_SIZE        0x1000u

/* Register offsets in the page (SDM Vol. 3A Table 11-1). */
#define LAPIC_ID          0x020
#define LAPIC_VER         0x030
#define LAPIC_TPR         0x080
#define LAPIC_APR         0x090
#define LAPIC_PPR         0x0a0
#define LAPIC_EOI         0x0b0
#define LAPIC_RRD         0x0c0
#define LAPIC_LDR         0x0d0
#define LAPIC_DFR         0x0e0
#define LAPIC_SVR         0x0f0
#define LAPIC_ISR         0x100   /* 8 registers, 0x100-0x170 */
#define LAPIC_TMR         0x180
#define LAPIC_IRR         0x200
#define LAPIC_ESR         0x280
#define LAPIC_ICR_LO      0x300
#define LAPIC_ICR_HI      0x310
#define LAPIC_LVT_TIMER   0x320
#define LAPIC_LVT_THERMAL 0x330
#define LAPIC_LVT_PERF    0x340
#define LAPIC_LVT_LINT0   0x350
#define LAPIC_LVT_LINT1   0x360
#define LAPIC_LVT_ERROR   0x370
#define LAPIC_TMICT       0x380
#define LAPIC_TMCCT       0x390
#define LAPIC_TDCR        0x3e0

#define LAPIC_LVT_COUNT   6
#define LAPIC_LVT_MASKED  (1u << 16)
#define LAPIC_TIMER_PERIODIC (1u << 17)
#define LAPIC_SVR_ENABLE  (1u << 8)

/* Version 0x14 (an integrated APIC), highest LVT entry 5 (six entries),
 * no directed-EOI support. */
#define LAPIC_VERSION     0x00050014u

#define LAPIC_ESR_SEND_ILLEGAL 0x20
#define LAPIC_ESR_RECV_ILLEGAL 0x40

struct lapic {
	struct bh_monitor_irq *irq;    /* the exit page's interrupt block */
	/* Called with the vector when the guest EOIs a level-triggered one. */
	void (*eoi_level)(void *ctx, uint8_t vector);
	void *ctx;
	uint32_t id;                   /* the APIC ID, bits 24-31 of ID */
	uint32_t tpr, ldr, dfr, svr;
	uint32_t esr, esr_latched;     /* visible; gathered since the last write */
	uint32_t icr_lo, icr_hi;
	uint32_t lvt[LAPIC_LVT_COUNT];
	uint32_t tdcr, tmict;
	uint64_t timer_start;          /* TSC at the TMICT write */
	uint32_t irr[8], isr[8], tmr[8];
	uint32_t timer_fired_seen;     /* irq->timer_fired when last synced */
	uint32_t armed_vector;         /* the vector the kernel's deadline posts */
	uint64_t bad_accesses;         /* refused accesses, for the monitor's log */
};

/* Resets l to the power-on state (every LVT masked, SVR 0xff: software
 * disabled, DFR flat, timer stopped), disarms the kernel's timer and
 * clears every pending[] and kernel_posted[] bit. irq is the exit page's block; eoi_level(ctx,
 * vector) is called for level-triggered EOIs (may be NULL). */
void lapic_init(struct lapic *l, struct bh_monitor_irq *irq, uint8_t apic_id,
                void (*eoi_level)(void *ctx, uint8_t vector), void *ctx);

/*
 * A guest read of size bytes at offset into the page, tsc being the TSC
 * now. Returns 0 and *value; -BH_EINVAL (value 0) for an access that is
 * not 32 bits at a register slot; -BH_ENOENT (value 0) for a slot with no
 * readable register (EOI, reserved).
 */
int lapic_read(struct lapic *l, uint32_t offset, unsigned size, uint64_t tsc, uint32_t *value);

/* A guest write; 0, or -BH_EINVAL / -BH_ENOENT as for reads (read-only
 * and reserved slots), changing nothing. */
int lapic_write(struct lapic *l, uint32_t offset, unsigned size, uint32_t value, uint64_t tsc);

/* An interrupt from the IOAPIC (or a self-IPI): posts vector for delivery
 * and records it in IRR, in TMR if level. A vector below 32 is refused
 * (ESR "receive illegal vector") and false returned. */
bool lapic_raise(struct lapic *l, uint8_t vector, bool level);

/* Brings IRR and ISR up to date with what the kernel delivered: takes the
 * vectors the kernel posted itself (kernel_posted[], exchanged with 0)
 * into IRR as edge-triggered, counts the timer from timer_fired, and
 * moves to ISR each IRR vector whose pending[] bit the kernel cleared. */
void lapic_sync(struct lapic *l);

/* The TMCCT value at tsc. */
uint32_t lapic_timer_current(const struct lapic *l, uint64_t tsc);

#endif
