/* SPDX-License-Identifier: GPL-2.0-only */
/* Local APIC (x2APIC) of the boot CPU: timer for idling, interrupt EOI. */
#ifndef ARCH_X86_LAPIC_H
#define ARCH_X86_LAPIC_H

#define LAPIC_TIMER_VECTOR    0x20
#define LAPIC_SPURIOUS_VECTOR 0xff

/* Enables x2APIC mode and the TSC-deadline timer if the CPU has both. */
void lapic_init(void);

/* Signals end of interrupt for the vector being handled. */
void lapic_eoi(void);

#endif
