/* SPDX-License-Identifier: GPL-2.0-only */
#include "kernel/sched.h"

#include <stdbool.h>

#include "arch/smp.h"
#include "arch/time.h"
#include "arch/virt.h"
#include "kernel/channel.h"
#include "kernel/console_in.h"
#include "kernel/device.h"
#include "kernel/kernel_lock.h"
#include "kernel/log.h"
#include "kernel/sched_policy.h"
#include "kernel/vm_cpu.h"

void sched_wait(struct vm *vm, uint64_t deadline)
{
	vm->state = VM_WAITING;
	vm->wait_deadline = deadline;
	vm->hlt_wait = false;
}

/* Wakes this CPU's waiting VMs whose event arrived or whose deadline
 * passed. Returns the nearest deadline still pending (UINT64_MAX if none). */
static uint64_t wake_waiters(const struct sched_policy *p, uint64_t now)
{
	uint64_t nearest;

	for (struct vm *vm = sched_due_waiters(p, now, &nearest); vm; vm = vm->due_next) {
		if (!vm->hlt_wait) {
			int64_t result = sched_wait_result(vm);
			arch_vm_set_return(vm, result);
			channels_told(vm, result);
			vm->events = 0;
		}
		vm->state = VM_RUNNABLE;
	}
	return nearest;
}

/* VMs stop in their own exits or by another VM's call, on any CPU; their
 * own CPU releases them, then any CPU gives their resources back here,
 * outside any exit handler. */
static void reap_stopped(unsigned cpu)
{
	if (vm_release_requested & (1ull << cpu))
		vm_release_stopped(cpu);
	if (!vm_reap_pending)
		return;   /* the common case, kept off the switch path */
	vm_reap_pending = false;
	vm_reap_stopped();
}

/* Whether any VM on any CPU may still run: one runnable, waiting with an
 * event or a deadline, or holding a device, whose interrupt may wake it
 * (perhaps already noted on another CPU). Otherwise only console input,
 * which the boot CPU watches (its poll), could ever bring one back. One
 * being reaped by another CPU, which lets the lock go meanwhile, keeps the
 * machine on until that is done. */
static bool any_vm_may_run(void)
{
	vm_for_each(v)
		if (v->state == VM_RUNNABLE || v->reaping ||
		    (v->state == VM_WAITING && (v->events || v->wait_deadline != UINT64_MAX ||
		                                devices_vm_holds(v))))
			return true;
	return false;
}

void sched_run(unsigned cpu)
{
	struct sched_policy p;
	/* The boot CPU also keeps house: the console, the log, the IOMMU
	 * faults and the held-back reports are its alone. */
	bool housekeeper = cpu == 0;

	/* The lengths in TSC cycles, computed once: a conversion divides. */
	sched_policy_init(&p, &vm_first, cpu, arch_ns_to_tsc(SCHED_SLICE_NS),
	                  arch_ns_to_tsc(SCHED_MIN_SLICE_NS),
	                  arch_ns_to_tsc(CONSOLE_POLL_NS));

	/* From here on no exit handler waits for COM1: this loop sends the
	 * log and the console owner's output as the UART empties. */
	if (housekeeper)
		log_console_queue();
	for (;;) {
		bool input = housekeeper && console_in_active();
		if (input)
			console_in_poll();
		uint64_t poll = housekeeper ? sched_poll_interval(&p, input, log_console_poll()) : 0;
		uint64_t now = arch_tsc();
		if (housekeeper)
			devices_poll(now);
		uint64_t nearest = wake_waiters(&p, now);
		if (housekeeper && now >= vm_held_back_due)
			vm_report_held_back(now);
		struct vm *vm = sched_pick(&p, vm_budgeted_count, now, &nearest);

		if (vm) {
			/* All the time until the CPU is back here is the VM's,
			 * the kernel's work on its exits included: otherwise a
			 * VM that forces exits gets that work free, beyond its
			 * budget. The pick since `now` is charged too: a few
			 * hundred cycles, not worth another clock read. */
			arch_vm_run(vm, sched_slice_end(&p, vm, now, nearest, poll));
			sched_charge(vm, arch_tsc() - now);
			reap_stopped(cpu);
			/* Interrupts that made the VM exit are taken here, and
			 * only here and in idle: what devices sent is passed on
			 * right after. */
			if (arch_irq_window())
				devices_take_interrupts();
			continue;
		}
		uint64_t until;
		if (!sched_idle_until(now, nearest, poll, &until)) {
			/* Nothing here can run again by itself; another CPU's
			 * kick (a new VM, an event) is the only way back. */
			if (housekeeper && !any_vm_may_run())
				return;
			until = UINT64_MAX;
		}
		/* The other CPUs leave log and console output for COM1, and
		 * IOMMU faults and held-back reports come due, without telling
		 * this one: with more than one CPU it looks every poll period. */
		if (housekeeper && arch_cpu_count() > 1 && until > now + p.poll_tsc)
			until = now + p.poll_tsc;
		kernel_unlock();
		arch_idle_until(until);
		kernel_lock();
		/* What came while idle: device interrupts, an unexpected one,
		 * and kicks for VMs stopped by another CPU (released and reaped
		 * here). */
		if (arch_irq_window())
			devices_take_interrupts();
		reap_stopped(cpu);
	}
}
