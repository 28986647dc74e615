/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Which CPU runs a VM, and how the CPUs tell each other about VMs
 * (docs/design.md, "CPUs"). A VM is placed on one CPU when it is created
 * and stays there: its pin if the policy gives one, else the CPU of the
 * policy's "machine cpus" set whose budgeted VMs hold the least of it
 * (fewest VMs on a tie). A Linux VM's monitor runs on its guest's CPU.
 * Only that CPU runs the VM or touches its vCPU state, so a VMCS never
 * moves between CPUs. Work for a VM found on another CPU (an event, a
 * stop, a new VM) is followed by a kick (arch_cpu_kick) so its CPU looks at
 * once; a stopped VM is released by its own CPU (arch_vm_release) before
 * any CPU reclaims its memory.
 */
#ifndef KERNEL_VM_CPU_H
#define KERNEL_VM_CPU_H

#include <stdint.h>

#include "kernel/vm.h"

/*
 * Sets the policy's set of CPUs for unpinned VMs (a mask, 0: every CPU)
 * and checks every pin of the policy against the CPUs running. Returns 0,
 * or -BH_EINVAL after logging which VM is pinned to a CPU the machine
 * lacks, or that the set holds no running CPU.
 */
int vm_cpus_init(const void *policy);

/*
 * Chooses c's CPU, writing it to c->cpu: its pin, or the least loaded CPU
 * of the set for unpinned VMs among the VMs on the list from first.
 * Returns 0, or -BH_EINVAL if it is pinned to a CPU that is not running.
 */
int vm_place(struct vm_config *c, const struct vm *first);

/* Makes vm's CPU look at it again, if that is not the calling CPU. */
void vm_kick(const struct vm *vm);

/* Raises events (BH_EVENT_* bits) for vm and kicks its CPU. */
void vm_signal(struct vm *vm, uint64_t events);

/* The CPUs asked to release a stopped VM (bit = CPU). */
extern uint64_t vm_release_requested;

/* On CPU cpu: releases its stopped VMs not yet released (arch_vm_release),
 * so they can be reclaimed, if vm_release_requested has cpu's bit, which
 * it clears; else nothing (the scheduler checks the bit first, inline). */
void vm_release_stopped(unsigned cpu);

/* Asks the VM's CPU to release it (vm_stop's part). */
void vm_release_request(const struct vm *vm);

#endif
