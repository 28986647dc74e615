/* SPDX-License-Identifier: GPL-2.0-only */
/* Local APIC (x2APIC) of the boot CPU: timer for idling, interrupt EOI. */
#ifndef ARCH_X86_LAPIC_H
#define ARCH_X86_LAPIC_H

#include <stdint.h>

#define LAPIC_TIMER_VECTOR    0x20
#define LAPIC_SPURIOUS_VECTOR 0xff
/* Granted devices' messages (kernel/device.h): slot i on vector
 * LAPIC_DEVICE_VECTOR + i (arch/pci.h). */
#define LAPIC_DEVICE_VECTOR   0x40
#define LAPIC_DEVICE_VECTORS  64

/* Enables x2APIC mode and the TSC-deadline timer if the CPU has both. */
void lapic_init(void);

/*
 * Arms the timer to interrupt at TSC value deadline (replacing any earlier
 * deadline): how the AMD-V back end ends a guest's slice. Does nothing
 * where lapic_init found no timer.
 */
void lapic_arm_deadline(uint64_t deadline);

/* Signals end of interrupt for the vector being handled. */
void lapic_eoi(void);

/* This CPU's local APIC ID: where device MSIs are sent. */
uint32_t lapic_id(void);

/* Makes a wait in arch_idle_until end early: an interrupt gave a VM work. */
void lapic_idle_wake(void);

#endif
