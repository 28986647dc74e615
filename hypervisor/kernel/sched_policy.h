/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The scheduler's decisions (sched.h describes the scheduling itself):
 * which waiting VMs wake, which VM runs next, how its CPU budget is
 * accounted, when its slice ends and how long the CPU may idle. Pure: time
 * comes in as TSC values, VMs as a list (kernel/vm_table.h); nothing here touches the
 * CPU, a timer or the console, so host tests can drive every case. sched.c
 * reads the clock and the console, applies these decisions and runs VMs.
 * The one-line decisions are inline: every VM switch makes them.
 *
 * Only scheduling fields of a VM are written here: period_start and
 * period_used (budget accounting), due_next (the due chain). State, events
 * and guest registers are changed by sched.c.
 */
#ifndef KERNEL_SCHED_POLICY_H
#define KERNEL_SCHED_POLICY_H

#include <stdbool.h>
#include <stdint.h>

#include <bulkhead/errno.h>
#include <bulkhead/hypercall.h>

#include "kernel/vm.h"

struct sched_policy {
	struct vm *const *first;    /* the list scanned (its head), VMs in any state */
	unsigned cpu;               /* only VMs on this CPU (vm->cpu) are woken and picked */
	uint64_t slice_tsc;         /* SCHED_SLICE_NS in TSC cycles */
	uint64_t min_slice_tsc;     /* SCHED_MIN_SLICE_NS in TSC cycles */
	uint64_t poll_tsc;          /* the console poll interval in TSC cycles */
	/* Where each tier's round-robin resumes: the id after the VM it
	 * picked last (ids in list order from there, then from the start). */
	unsigned cursor_best_effort, cursor_budgeted;
};

/*
 * Sets p up to schedule the VMs of CPU cpu on the list whose head is *first
 * (read on every call, so VMs come and go), with the lengths in TSC cycles
 * (converting divides, so callers do it once); both rounds start at the
 * list's start.
 */
void sched_policy_init(struct sched_policy *p, struct vm *const *first, unsigned cpu,
                       uint64_t slice_tsc, uint64_t min_slice_tsc,
                       uint64_t poll_tsc);

/*
 * The waiting VMs due to wake at now, chained through due_next in list
 * order (NULL if none): those with pending events or whose wait_deadline
 * is not after now. Sets *nearest to the earliest deadline of those still
 * waiting (UINT64_MAX if none). Changes nothing else; the caller wakes
 * them (sched_wait_result).
 */
struct vm *sched_due_waiters(const struct sched_policy *p, uint64_t now,
                             uint64_t *nearest);

/*
 * What BH_HC_WAIT returns to vm as it wakes: its pending events
 * (BH_EVENT_MASK bits), or -BH_ETIMEDOUT if none arrived. Meaningless for
 * a VM waiting in HLT, which has no hypercall to return from.
 */
static inline int64_t sched_wait_result(const struct vm *vm)
{
	return vm->events ? (int64_t)(vm->events & BH_EVENT_MASK) : -BH_ETIMEDOUT;
}

/*
 * Budget accounting. A VM with a CPU budget may use budget_tsc cycles in
 * each period_tsc; once it has, it waits for its next period even if
 * runnable. Starts a new period (used back to 0) if now is period_tsc or
 * more past period_start. Then true if vm may run now: best effort (no
 * budget), nothing used yet this period, or at least min_slice_tsc of the
 * budget left. Otherwise false, and lowers *refill to when its next period
 * begins.
 */
bool sched_budget_allows(const struct sched_policy *p, struct vm *vm,
                         uint64_t now, uint64_t *refill);

/* Charges vm for cycles it held the CPU (its guest time and the kernel's on
 * its exits): to its CPU time, and to its budget in this period. */
static inline void sched_charge(struct vm *vm, uint64_t cycles)
{
	vm->cpu_tsc += cycles;
	vm->period_used += cycles;
}

/*
 * The runnable VM to run next, or NULL if none may run now. Budgeted VMs
 * within their budget (sched_budget_allows) come first, then best-effort
 * VMs; each tier round-robin from its own cursor, which moves past the VM
 * picked. budgeted is how many VMs in the table may have a budget: 0 lets
 * the scan skip budgets altogether (same pick, fewer steps). *nearest is the
 * earliest wake-up from sched_due_waiters; it is lowered to the earliest
 * budget refill of a budgeted VM passed over, for sched_slice_end and
 * sched_idle_until.
 */
struct vm *sched_pick(struct sched_policy *p, unsigned budgeted, uint64_t now,
                      uint64_t *nearest);

/*
 * The console poll interval for this pass: 0 when there is nothing to
 * watch (no VM owns the console, whose input must be read, and no output
 * waits for COM1), else poll_tsc, halved while output waits so the UART's
 * FIFO is refilled near line rate.
 */
static inline uint64_t sched_poll_interval(const struct sched_policy *p,
                                           bool input_watched, bool output_queued)
{
	if (output_queued)
		return p->poll_tsc / 2;
	return input_watched ? p->poll_tsc : 0;
}

/*
 * When the slice of vm, picked by sched_pick at now, must end (a TSC
 * value): after slice_tsc, or when its budget runs out. A best-effort VM
 * also yields at nearest (the next wake-up or budget refill), so a budgeted
 * VM waits for no best-effort slice. A nonzero poll caps the slice so the
 * console is polled on time. Never before now + min_slice_tsc.
 */
uint64_t sched_slice_end(const struct sched_policy *p, const struct vm *vm,
                         uint64_t now, uint64_t nearest, uint64_t poll);

/*
 * With no VM to run at now: false if none can ever run again (no deadline,
 * no budget refill pending: nearest is UINT64_MAX; no console to watch:
 * poll is 0). Else true, with *until set to when to look again: nearest,
 * or the next console poll if that comes first.
 */
bool sched_idle_until(uint64_t now, uint64_t nearest, uint64_t poll,
                      uint64_t *until);

#endif
