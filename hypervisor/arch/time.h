/* SPDX-License-Identifier: GPL-2.0-only */
/* Monotonic time for the kernel and for BH_HC_TIME (x86: the TSC). */
#ifndef ARCH_TIME_H
#define ARCH_TIME_H

#include <stdbool.h>
#include <stdint.h>

/* Calibrates the clock; returns its rate in Hz. Called once at boot. */
uint64_t arch_time_init(void);

uint64_t arch_tsc_hz(void);
/* Raw clock (TSC cycles since reset): for deadlines and accounting. */
uint64_t arch_tsc(void);
/* Nanoseconds since reset. */
uint64_t arch_time_ns(void);
/* Clock cycles converted to ns. */
uint64_t arch_tsc_to_ns(uint64_t tsc);
/* ns converted to clock cycles; saturates at UINT64_MAX instead of wrapping. */
uint64_t arch_ns_to_tsc(uint64_t ns);

/*
 * Idles the CPU (halted, costing no host work where the platform allows)
 * until the clock reaches `deadline` or an interrupt arrives.
 */
void arch_idle_until(uint64_t deadline);

/* Lets pending interrupts be taken, then masks them again, and reports an
 * unexpected one taken since the last call. True if a device interrupt
 * was among them (or came earlier and is not yet passed on:
 * arch_device_irqs_taken). With the kernel lock held. */
bool arch_irq_window(void);

#endif
