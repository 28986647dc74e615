/* SPDX-License-Identifier: GPL-2.0-only */
#include "kernel/sched.h"

#include <stdbool.h>

#include "arch/time.h"
#include "arch/virt.h"
#include "kernel/console_in.h"
#include "kernel/device.h"
#include "kernel/log.h"
#include "kernel/sched_policy.h"

void sched_wait(struct vm *vm, uint64_t deadline)
{
	vm->state = VM_WAITING;
	vm->wait_deadline = deadline;
	vm->hlt_wait = false;
}

/* Wakes waiting VMs whose event arrived or whose deadline passed. Returns the
 * nearest deadline still pending (UINT64_MAX if none). */
static uint64_t wake_waiters(const struct sched_policy *p, uint64_t now)
{
	uint64_t nearest;

	for (struct vm *vm = sched_due_waiters(p, now, &nearest); vm; vm = vm->due_next) {
		if (!vm->hlt_wait) {
			arch_vm_set_return(vm, sched_wait_result(vm));
			vm->events = 0;
		}
		vm->state = VM_RUNNABLE;
	}
	return nearest;
}

/* VMs stop in their own exits or by another VM's call; either way their
 * resources go back here, outside any exit handler. */
static void reap_stopped(void)
{
	if (!vm_reap_pending)
		return;   /* the common case, kept off the switch path */
	vm_reap_pending = false;
	vm_reap_stopped();
}

void sched_run(void)
{
	struct sched_policy p;

	/* The lengths in TSC cycles, computed once: a conversion divides. */
	sched_policy_init(&p, &vm_first, arch_ns_to_tsc(SCHED_SLICE_NS),
	                  arch_ns_to_tsc(SCHED_MIN_SLICE_NS),
	                  arch_ns_to_tsc(CONSOLE_POLL_NS));

	/* From here on no exit handler waits for COM1: this loop sends the
	 * log and the console owner's output as the UART empties. */
	log_console_queue();
	for (;;) {
		bool input = console_in_active();
		if (input)
			console_in_poll();
		uint64_t poll = sched_poll_interval(&p, input, log_console_poll());
		uint64_t now = arch_tsc();
		devices_poll(now);
		uint64_t nearest = wake_waiters(&p, now);
		if (now >= vm_held_back_due)
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
			reap_stopped();
			/* Interrupts that made the VM exit are taken here. */
			arch_irq_window();
			continue;
		}
		uint64_t until;
		if (!sched_idle_until(now, nearest, poll, &until))
			return;   /* no VM can ever run again */
		arch_idle_until(until);
	}
}
