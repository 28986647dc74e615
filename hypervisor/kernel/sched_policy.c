/* SPDX-License-Identifier: GPL-2.0-only */
/* The scheduler's pure decisions; sched.c applies them. */
#include "kernel/sched_policy.h"

#include <stddef.h>

void sched_policy_init(struct sched_policy *p, struct vm *vms, unsigned n,
                       uint64_t slice_tsc, uint64_t min_slice_tsc,
                       uint64_t poll_tsc)
{
	*p = (struct sched_policy){
		.vms = vms, .n = n, .slice_tsc = slice_tsc,
		.min_slice_tsc = min_slice_tsc, .poll_tsc = poll_tsc,
	};
}

uint32_t sched_due_waiters(const struct sched_policy *p, uint64_t now,
                           uint64_t *nearest)
{
	uint32_t due = 0;

	*nearest = UINT64_MAX;
	for (unsigned i = 0; i < p->n; i++) {
		const struct vm *vm = &p->vms[i];
		if (vm->state != VM_WAITING)
			continue;
		if (vm->events || now >= vm->wait_deadline)
			due |= 1u << i;
		else if (vm->wait_deadline < *nearest)
			*nearest = vm->wait_deadline;
	}
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
 * has a budget, the common case. */
static struct vm *pick_best_effort_only(struct sched_policy *p)
{
	for (unsigned n = 0; n < p->n; n++) {
		unsigned i = (p->cursor_best_effort + n) % p->n;
		if (p->vms[i].state == VM_RUNNABLE) {
			p->cursor_best_effort = (i + 1) % p->n;
			return &p->vms[i];
		}
	}
	return NULL;
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
	unsigned best_distance = p->n;

	if (!budgeted)
		return pick_best_effort_only(p);
	/* One scan in the budgeted order; the best-effort VM nearest its own
	 * cursor is noted on the way, for when no budgeted VM can run. */
	for (unsigned n = 0; n < p->n; n++) {
		unsigned i = (p->cursor_budgeted + n) % p->n;
		struct vm *vm = &p->vms[i];
		if (vm->state != VM_RUNNABLE)
			continue;
		if (!vm->budget_tsc) {
			unsigned distance = (i + p->n - p->cursor_best_effort) % p->n;
			if (distance < best_distance) {
				best_distance = distance;
				best_effort = vm;
			}
		} else if (sched_budget_allows(p, vm, now, nearest)) {
			p->cursor_budgeted = (i + 1) % p->n;
			return vm;
		}
	}
	if (best_effort)
		p->cursor_best_effort = (unsigned)(best_effort - p->vms + 1) % p->n;
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
