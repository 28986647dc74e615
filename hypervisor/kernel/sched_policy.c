/* SPDX-License-Identifier: GPL-2.0-only */
/* The scheduler's pure decisions; sched.c applies them. */
#include "kernel/sched_policy.h"

#include <stddef.h>

void sched_policy_init(struct sched_policy *p, struct vm *const *first, unsigned cpu,
                       uint64_t slice_tsc, uint64_t min_slice_tsc,
                       uint64_t poll_tsc)
{
	*p = (struct sched_policy){
		.first = first, .cpu = cpu, .slice_tsc = slice_tsc,
		.min_slice_tsc = min_slice_tsc, .poll_tsc = poll_tsc,
	};
}

struct vm *sched_due_waiters(const struct sched_policy *p, uint64_t now,
                             uint64_t *nearest)
{
	struct vm *due = NULL, **tail = &due;

	*nearest = UINT64_MAX;
	for (struct vm *vm = *p->first; vm; vm = vm->next) {
		if (vm->state != VM_WAITING || vm->cpu != p->cpu)
			continue;
		if (vm->events || now >= vm->wait_deadline) {
			*tail = vm;
			tail = &vm->due_next;
		} else if (vm->wait_deadline < *nearest) {
			*nearest = vm->wait_deadline;
		}
	}
	*tail = NULL;
	return due;
}

/*
 * A remainder shorter than min_slice_tsc counts as used, and a budget
 * shorter than that still gets one slice of it per period (sched_slice_end
 * never ends a slice sooner): a slice that ended before the VM was even
 * entered would be charged nothing, and the VM would be picked again and
 * again until its period ends.
 */
bool sched_budget_allows(const struct sched_policy *p, struct vm *vm,
                         uint64_t now, uint64_t *refill)
{
	if (!vm->budget_tsc)
		return true;
	if (now - vm->period_start >= vm->period_tsc) {
		vm->period_start = now;
		vm->period_used = 0;
	}
	if (vm->period_used == 0 ||
	    vm->period_used + p->min_slice_tsc <= vm->budget_tsc)
		return true;
	uint64_t next = vm->period_start + vm->period_tsc;
	if (next < *refill)
		*refill = next;
	return false;
}

/* The first runnable VM from the best-effort cursor: the pick while no VM
 * has a budget, the common case. One pass: the first runnable VM at or
 * after the cursor, else the first before it. */
static struct vm *pick_best_effort_only(struct sched_policy *p)
{
	struct vm *wrapped = NULL, *vm;

	for (vm = *p->first; vm; vm = vm->next) {
		if (vm->state != VM_RUNNABLE || vm->cpu != p->cpu)
			continue;
		if (vm->id >= p->cursor_best_effort)
			break;
		if (!wrapped)
			wrapped = vm;
	}
	if (!vm)
		vm = wrapped;
	if (vm)
		p->cursor_best_effort = vm->id + 1;
	return vm;
}

/*
 * Two tiers, each round-robin from its own cursor: VMs with a CPU budget
 * that still have some of it first, best-effort VMs only when none of those
 * can run (docs/policy.md: best effort runs in the time the budgets leave).
 * Separate cursors, so a budgeted VM that runs often cannot keep resetting
 * the best-effort round to the same VM.
 */
struct vm *sched_pick(struct sched_policy *p, unsigned budgeted, uint64_t now,
                      uint64_t *nearest)
{
	struct vm *best_effort = NULL;
	unsigned best_distance = 0;

	if (!budgeted)
		return pick_best_effort_only(p);
	/* The budgeted order in two rounds over the list: ids at or after its
	 * cursor, then those before. The best-effort VM nearest its own
	 * cursor is noted on the way (unsigned distance: ids before the
	 * cursor wrap to the end), for when no budgeted VM can run. */
	for (unsigned round = 0; round < 2; round++) {
		for (struct vm *vm = *p->first; vm; vm = vm->next) {
			if ((vm->id >= p->cursor_budgeted) != (round == 0) ||
			    vm->state != VM_RUNNABLE || vm->cpu != p->cpu)
				continue;
			if (!vm->budget_tsc) {
				unsigned distance = vm->id - p->cursor_best_effort;
				if (!best_effort || distance < best_distance) {
					best_distance = distance;
					best_effort = vm;
				}
			} else if (sched_budget_allows(p, vm, now, nearest)) {
				p->cursor_budgeted = vm->id + 1;
				return vm;
			}
		}
	}
	if (best_effort)
		p->cursor_best_effort = best_effort->id + 1;
	return best_effort;
}

uint64_t sched_slice_end(const struct sched_policy *p, const struct vm *vm,
                         uint64_t now, uint64_t nearest, uint64_t poll)
{
	uint64_t until = now + p->slice_tsc;
	/* sched_budget_allows() let it run: period_used < budget_tsc. */
	if (vm->budget_tsc && vm->budget_tsc - vm->period_used < until - now)
		until = now + (vm->budget_tsc - vm->period_used);
	if (!vm->budget_tsc && nearest < until)
		until = nearest;
	if (poll && now + poll < until)
		until = now + poll;
	return until < now + p->min_slice_tsc ? now + p->min_slice_tsc : until;
}

bool sched_idle_until(uint64_t now, uint64_t nearest, uint64_t poll,
                      uint64_t *until)
{
	if (nearest == UINT64_MAX && !poll)
		return false;
	*until = poll && now + poll < nearest ? now + poll : nearest;
	return true;
}
