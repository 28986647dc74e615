/* SPDX-License-Identifier: GPL-2.0-only */
/* Local APIC (x2APIC) of the boot CPU: timer for idling, interrupt EOI. */
#ifndef ARCH_X86_LAPIC_H
#define ARCH_X86_LAPIC_H

#include <stdbool.h>
#include <stdint.h>

#define LAPIC_TIMER_VECTOR    0x20
#define LAPIC_KICK_VECTOR     0x21   /* another CPU wants this one to look again */
#define LAPIC_SPURIOUS_VECTOR 0xff
/* Granted devices' messages (kernel/device.h): slot i on vector
 * LAPIC_DEVICE_VECTOR + i (arch/pci.h). */
#define LAPIC_DEVICE_VECTOR   0x40
#define LAPIC_DEVICE_VECTORS  64

/* From the interrupt handler: slot's interrupt came (arch_device_irqs_taken
 * hands it on). */
void device_irq_note(unsigned slot);

/* On the boot CPU: enables x2APIC mode and the TSC-deadline timer if the
 * CPU has both, else measures the count-down timer's rate. */
void lapic_init(void);

/* On an application processor, after lapic_init ran on the boot CPU: the
 * same timer mode in this CPU's own local APIC. */
void lapic_init_ap(void);

/* Whether the local APIC can send IPIs (lapic_init found it usable). */
bool lapic_can_ipi(void);

/* Sends the interprocessor interrupt described by icr (the ICR's low
 * half: vector, delivery mode, level; SDM Vol. 3A §11.6.1) to the CPU
 * whose local APIC ID is apic_id. */
void lapic_send_ipi(uint32_t apic_id, uint32_t icr);

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
