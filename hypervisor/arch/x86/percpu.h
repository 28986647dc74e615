/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What each CPU keeps for itself (private to arch/x86). Every CPU's GS
 * base points at its own struct percpu from its first steps on (the boot
 * CPU in arch_early_init, an AP in smp.c), and every VM exit restores it
 * (the VMCS host GS base, written per CPU by vcpu_load; on AMD-V the host
 * VMCB that VMLOAD reads after each exit), so cpu_this() is one load. The
 * kernel never runs ring 3 and never uses SWAPGS, so nothing else moves
 * GS.
 */
#ifndef ARCH_X86_PERCPU_H
#define ARCH_X86_PERCPU_H

#include <stdbool.h>
#include <stdint.h>

#include "arch/x86/gdt.h"

struct vm;

struct percpu {
	unsigned index;             /* at 0: cpu_this() reads it through GS */
	uint32_t apic_id;
	struct percpu *self;        /* at 8: percpu_this() reads it through GS */
	/* Set by interrupts (never touching kernel state; they run without
	 * the kernel lock while the CPU idles): something may have work. */
	volatile bool idle_woken;
	/* Device vectors taken and not yet passed on (bit = slot), drained
	 * under the kernel lock by device_irq.c. */
	volatile uint64_t device_pending;
	/* The last vector nobody expected (0: none since reported): noted by
	 * the interrupt, reported under the lock by arch_irq_window. */
	volatile uint8_t unexpected_vector;
	/* Set with either of the two above: one test on the switch path. */
	volatile bool irq_news;
	bool in_exception;          /* reporting a fault: a second one stops the CPU */
	struct vm *fx_owner;        /* whose x87/SSE state and switched MSRs are in the CPU */
	struct vm *linux_owner;     /* whose DR0-3 (and on VT-x syscall MSRs) are in the CPU */
	void *vmcs_current;         /* VT-x: the arch_vcpu whose VMCS is current here */
	uint64_t svm_host_save;     /* AMD-V: VM_HSAVE_PA's frame */
	uint64_t svm_host_vmcb;     /* AMD-V: the host's VMSAVE area */
};

extern struct percpu percpus[MAX_CPUS];

static inline unsigned cpu_this(void)
{
	unsigned index;
	__asm__ volatile("movl %%gs:0, %0" : "=r"(index));
	return index;
}

static inline struct percpu *percpu_this(void)
{
	struct percpu *me;
	__asm__ volatile("movq %%gs:8, %0" : "=r"(me));
	return me;
}

/* No CPU holds vm's register state any more (its record is about to go):
 * no later switch saves into it. */
void percpu_forget_vm(const struct vm *vm);

/* Points this CPU's GS base at percpus[index] and fills in its index and
 * local APIC ID. */
void percpu_init(unsigned index, uint32_t apic_id);

#endif
