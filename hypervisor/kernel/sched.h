/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The scheduler, one loop per CPU: the runnable VMs of a CPU (those placed
 * on it, kernel/vm_cpu.h) share it round-robin in slices
 * that the VMX-preemption timer enforces, so a guest spinning with
 * interrupts off cannot keep the CPU. VMs with a CPU budget (policy "cpu")
 * that still have some of it in their period go before best-effort VMs,
 * which get what is left. Waiting VMs cost nothing; when no VM is runnable
 * the CPU halts until the nearest deadline. Every pass also sends what the
 * log and the console owner's output queue hold for COM1, as far as the
 * UART has room (kernel/log.h), and while a VM owns the console reads its
 * input (kernel/console_in.h); slices and idle periods are shortened so
 * that happens every CONSOLE_POLL_NS or less. The decisions are
 * pure (kernel/sched_policy.h); sched.c applies them.
 */
#ifndef KERNEL_SCHED_H
#define KERNEL_SCHED_H

#include <stdint.h>

#include "kernel/vm.h"

/* Length of a slice. */
#define SCHED_SLICE_NS 10000000ull   /* 10 ms */
/* The shortest slice a VM is given. A budget below it (the policy allows
 * 1 us) still gets one slice of this length per period. */
#define SCHED_MIN_SLICE_NS 20000ull  /* 20 us */

/* Puts vm to sleep until an event arrives or the TSC reaches deadline
 * (UINT64_MAX: no deadline). */
void sched_wait(struct vm *vm, uint64_t deadline);

/*
 * Runs CPU cpu's VMs (kernel/vm_cpu.h), with the kernel lock held, letting
 * go of it only while a guest runs or the CPU idles. On the boot CPU,
 * returns once no VM on any CPU can ever run again; on the others, never.
 */
void sched_run(unsigned cpu);

#endif
