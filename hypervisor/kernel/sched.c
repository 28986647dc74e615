/* SPDX-License-Identifier: GPL-2.0-only */
#include "kernel/sched.h"

#include <bulkhead/errno.h>
#include <bulkhead/hypercall.h>

#include "arch/time.h"
#include "arch/virt.h"
#include "kernel/log.h"

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

static struct vm *pick_next(unsigned *cursor)
{
	for (unsigned n = 0; n < VM_MAX; n++) {
		unsigned i = (*cursor + n) % VM_MAX;
		if (vms[i].state == VM_RUNNABLE) {
			*cursor = (i + 1) % VM_MAX;
			return &vms[i];
		}
	}
	return NULL;
}

void sched_run(void)
{
	unsigned cursor = 0;
	uint64_t slice = arch_ns_to_tsc(SCHED_SLICE_NS);

	for (;;) {
		uint64_t now = arch_tsc();
		uint64_t nearest = wake_waiters(now);
		struct vm *vm = pick_next(&cursor);

		if (vm) {
			enum vm_run_result r = arch_vm_run(vm, now + slice);
			if (r == RUN_STOPPED)
				vm_reap(vm);
			/* Interrupts that made the VM exit are taken here. */
			arch_irq_window();
			continue;
		}
		if (nearest == UINT64_MAX) {
			/* Nothing runnable and nothing with a deadline: no VM
			 * can ever run again (no events exist yet to wake one). */
			return;
		}
		arch_idle_until(nearest);
	}
}
