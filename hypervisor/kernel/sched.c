/* SPDX-License-Identifier: GPL-2.0-only */
#include "kernel/sched.h"

#include <stdbool.h>

#include <bulkhead/errno.h>
#include <bulkhead/hypercall.h>

#include "arch/time.h"
#include "arch/virt.h"
#include "kernel/console_in.h"
#include "kernel/console_out.h"
#include "kernel/log.h"

/* The slice lengths in TSC cycles, computed once: a conversion divides. */
static uint64_t slice_tsc, min_slice_tsc, poll_tsc;

void sched_wait(struct vm *vm, uint64_t deadline)
{
	vm->state = VM_WAITING;
	vm->wait_deadline = deadline;
	vm->hlt_wait = false;
}

/* Wakes waiting VMs whose event arrived or whose deadline passed. Returns the
 * nearest deadline still pending (UINT64_MAX if none). */
static uint64_t wake_waiters(uint64_t now)
{
	uint64_t nearest = UINT64_MAX;

	for (unsigned i = 0; i < VM_MAX; i++) {
		struct vm *vm = &vms[i];
		if (vm->state != VM_WAITING)
			continue;
		if (vm->events || now >= vm->wait_deadline) {
			if (!vm->hlt_wait) {
				int64_t ret = vm->events ? (int64_t)(vm->events & BH_EVENT_MASK)
				                         : -BH_ETIMEDOUT;
				arch_vm_set_return(vm, ret);
				vm->events = 0;
			}
			vm->state = VM_RUNNABLE;
		} else if (vm->wait_deadline < nearest) {
			nearest = vm->wait_deadline;
		}
	}
	return nearest;
}

/*
 * A VM with a CPU budget (policy "cpu") may use budget_tsc cycles in each
 * period_tsc; once it has, it waits for its next period even if runnable.
 * Slices are at least SCHED_MIN_SLICE_NS long: one that ended before the
 * VM was even entered would be charged nothing, and the scheduler would
 * pick the VM again and again until the period ends. So a remainder
 * shorter than that counts as used, and a budget shorter than that gets
 * one slice of that length per period.
 * Returns true if vm may run now; else lowers *refill to when it may.
 */
static bool within_budget(struct vm *vm, uint64_t now, uint64_t *refill)
{
	if (!vm->budget_tsc)
		return true;
	if (now - vm->period_start >= vm->period_tsc) {
		vm->period_start = now;
		vm->period_used = 0;
	}
	if (vm->period_used == 0 ||
	    vm->period_used + min_slice_tsc <= vm->budget_tsc)
		return true;
	uint64_t next = vm->period_start + vm->period_tsc;
	if (next < *refill)
		*refill = next;
	return false;
}

/* VMs stop in their own exits or by another VM's call; either way their
 * resources go back here, outside any exit handler. */
static void reap_stopped(void)
{
	if (!vm_reap_pending)
		return;   /* the common case, kept off the switch path */
	vm_reap_pending = false;
	for (unsigned i = 0; i < VM_MAX; i++)
		if (vms[i].state == VM_STOPPED && vms[i].mem_hpa)
			vm_reap(&vms[i]);
}

/*
 * Two tiers, each round-robin from its own cursor: VMs with a CPU budget
 * that still have some of it first, best-effort VMs only when none of those
 * can run (docs/policy.md: best effort runs in the time the budgets leave).
 * Separate cursors, so a budgeted VM that runs often cannot keep resetting
 * the best-effort round to the same VM.
 */
static struct vm *pick_next(unsigned cursor[2], uint64_t now, uint64_t *refill)
{
	struct vm *best_effort = NULL;
	unsigned best_distance = VM_MAX;

	if (!vm_budgeted_count) {
		/* The common best-effort-only case: the first from the cursor. */
		for (unsigned n = 0; n < VM_MAX; n++) {
			unsigned i = (cursor[0] + n) % VM_MAX;
			if (vms[i].state == VM_RUNNABLE) {
				cursor[0] = (i + 1) % VM_MAX;
				return &vms[i];
			}
		}
		return NULL;
	}
	/* One scan in the budgeted order; the best-effort VM nearest its own
	 * cursor is noted on the way, for when no budgeted VM can run. */
	for (unsigned n = 0; n < VM_MAX; n++) {
		unsigned i = (cursor[1] + n) % VM_MAX;
		struct vm *vm = &vms[i];
		if (vm->state != VM_RUNNABLE)
			continue;
		if (!vm->budget_tsc) {
			unsigned distance = (i + VM_MAX - cursor[0]) % VM_MAX;
			if (distance < best_distance) {
				best_distance = distance;
				best_effort = vm;
			}
		} else if (within_budget(vm, now, refill)) {
			cursor[1] = (i + 1) % VM_MAX;
			return vm;
		}
	}
	if (best_effort)
		cursor[0] = (unsigned)(best_effort - vms + 1) % VM_MAX;
	return best_effort;
}

/*
 * When vm's slice must end: after SCHED_SLICE_NS, or when its budget runs
 * out. A best-effort VM also yields at the next wake-up or budget refill
 * (nearest), so a budgeted VM waits for no best-effort slice. While a VM
 * owns the console, no slice is longer than the console's poll interval.
 * None is shorter than SCHED_MIN_SLICE_NS.
 */
static uint64_t slice_end(const struct vm *vm, uint64_t now, uint64_t nearest,
                          uint64_t poll)
{
	uint64_t until = now + slice_tsc;
	/* within_budget() let it run: period_used < budget_tsc. */
	if (vm->budget_tsc && vm->budget_tsc - vm->period_used < until - now)
		until = now + (vm->budget_tsc - vm->period_used);
	if (!vm->budget_tsc && nearest < until)
		until = nearest;
	if (poll && now + poll < until)
		until = now + poll;
	return until < now + min_slice_tsc ? now + min_slice_tsc : until;
}

void sched_run(void)
{
	unsigned cursor[2] = { 0, 0 };   /* best effort, budgeted */

	slice_tsc = arch_ns_to_tsc(SCHED_SLICE_NS);
	min_slice_tsc = arch_ns_to_tsc(SCHED_MIN_SLICE_NS);
	poll_tsc = arch_ns_to_tsc(CONSOLE_POLL_NS);

	for (;;) {
		uint64_t poll = console_in_active() ? poll_tsc : 0;
		if (poll) {
			console_in_poll();
			if (console_out_poll())
				poll /= 2;   /* keep the UART's FIFO fed at line rate */
		}
		uint64_t now = arch_tsc();
		uint64_t nearest = wake_waiters(now);
		struct vm *vm = pick_next(cursor, now, &nearest);

		if (vm) {
			uint64_t before = vm->cpu_tsc;
			arch_vm_run(vm, slice_end(vm, now, nearest, poll));
			vm->period_used += vm->cpu_tsc - before;
			reap_stopped();
			/* Interrupts that made the VM exit are taken here. */
			arch_irq_window();
			continue;
		}
		if (nearest == UINT64_MAX && !poll) {
			/* Nothing runnable, nothing with a deadline or a budget
			 * refill, no console to watch: no VM can ever run again. */
			return;
		}
		if (poll && now + poll < nearest)
			nearest = now + poll;
		arch_idle_until(nearest);
	}
}
