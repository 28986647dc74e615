/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The scheduler's decisions (hypervisor/kernel/sched_policy.c) on a list
 * of plain VMs (slot i of a table, id i + 1) and a clock that only moves
 * when a test moves it. Lengths
 * are small round numbers of TSC cycles so every boundary can be hit
 * exactly; the last tests run whole periods the way sched.c does. VMs are
 * on CPU 0, the CPU of the policy p, unless a test puts some on CPU 1,
 * whose own policy must never see CPU 0's and the other way round.
 */
#include <bulkhead/errno.h>
#include <bulkhead/hypercall.h>

#include "check.h"
#include "kernel/sched_policy.h"

#define SLICE     130u
#define MIN_SLICE 20u
#define POLL      100u

/* More VMs than the old fixed table held (16): nothing here is sized by
 * a VM count any more, and a wake mask of 32 bits would not do. */
#define SLOTS 40u

static struct vm table[SLOTS];
static struct vm *first;
static unsigned slots;
static struct sched_policy p;

/* Links t[0..n) into a list in slot order, ids 1..n; returns its head. */
static struct vm *link(struct vm *t, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		t[i].id = i + 1;
		t[i].next = i + 1 < n ? &t[i + 1] : NULL;
	}
	return n ? &t[0] : NULL;
}

/* n empty slots, both rounds at slot 0. */
static void setup(unsigned n)
{
	memset(table, 0, sizeof(table));
	first = link(table, n);
	slots = n;
	sched_policy_init(&p, &first, 0, SLICE, MIN_SLICE, POLL);
}

/* sched_due_waiters of policy q as a mask of slots (bit i: table[i]),
 * checking the chain is in list order. */
static uint64_t due_mask_of(const struct sched_policy *q, uint64_t now, uint64_t *nearest)
{
	uint64_t mask = 0;
	int last = -1;
	for (struct vm *vm = sched_due_waiters(q, now, nearest); vm; vm = vm->due_next) {
		CHECK(vm - table > last);
		last = (int)(vm - table);
		mask |= 1ull << last;
	}
	return mask;
}

static uint64_t due_mask(uint64_t now, uint64_t *nearest)
{
	return due_mask_of(&p, now, nearest);
}

static void runnable(unsigned i)
{
	table[i].state = VM_RUNNABLE;
}

static void budgeted(unsigned i, uint64_t budget, uint64_t period)
{
	table[i].state = VM_RUNNABLE;
	table[i].budget_tsc = budget;
	table[i].period_tsc = period;
}

static void waiting(unsigned i, uint64_t deadline)
{
	table[i].state = VM_WAITING;
	table[i].wait_deadline = deadline;
}

static unsigned budgeted_count(void)
{
	unsigned n = 0;
	for (unsigned i = 0; i < slots; i++)
		n += table[i].budget_tsc != 0;
	return n;
}

/* The slot sched_pick of policy q chooses at now, or -1 for none. */
static int pick_of(struct sched_policy *q, uint64_t now, uint64_t *nearest)
{
	struct vm *vm = sched_pick(q, budgeted_count(), now, nearest);
	return vm ? (int)(vm - table) : -1;
}

static int pick_at(uint64_t now, uint64_t *nearest)
{
	return pick_of(&p, now, nearest);
}

static int pick(uint64_t now)
{
	uint64_t nearest = UINT64_MAX;
	return pick_at(now, &nearest);
}

/* What sched.c does with a wake mask. */
static uint64_t wake(uint64_t now)
{
	uint64_t nearest;
	uint64_t due = due_mask(now, &nearest);
	for (unsigned i = 0; i < slots; i++) {
		if (!(due & (1ull << i)))
			continue;
		table[i].events = 0;
		table[i].state = VM_RUNNABLE;
	}
	return nearest;
}

TEST(init_keeps_the_lengths_and_starts_both_rounds_at_the_start)
{
	struct vm *head = NULL;
	struct sched_policy q = { .cursor_best_effort = 2, .cursor_budgeted = 1 };
	sched_policy_init(&q, &head, 0, 1, 2, 3);
	CHECK(q.first == &head);
	CHECK_EQ(q.slice_tsc, 1);
	CHECK_EQ(q.min_slice_tsc, 2);
	CHECK_EQ(q.poll_tsc, 3);
	CHECK_EQ(q.cursor_best_effort, 0);
	CHECK_EQ(q.cursor_budgeted, 0);
}

/* ---- waking ---- */

TEST(a_waiter_wakes_once_its_deadline_is_reached_not_before)
{
	uint64_t nearest = 0;
	setup(4);
	waiting(1, 500);
	CHECK_EQ(due_mask(499, &nearest), 0);
	CHECK_EQ(nearest, 500);
	CHECK_EQ(due_mask(500, &nearest), 1u << 1);   /* exactly at it */
	CHECK_EQ(nearest, UINT64_MAX);
	CHECK_EQ(due_mask(10000, &nearest), 1u << 1); /* long past it */
	CHECK_EQ(nearest, UINT64_MAX);
}

TEST(a_waiter_with_events_wakes_before_its_deadline)
{
	uint64_t nearest = 0;
	setup(4);
	waiting(2, UINT64_MAX);
	CHECK_EQ(due_mask(0, &nearest), 0);
	CHECK_EQ(nearest, UINT64_MAX);   /* no deadline is not a deadline */
	table[2].events = 1;
	CHECK_EQ(due_mask(0, &nearest), 1u << 2);
	CHECK_EQ(nearest, UINT64_MAX);
}

TEST(nearest_is_the_earliest_deadline_of_those_still_waiting)
{
	uint64_t nearest = 0;
	setup(SLOTS);
	waiting(0, 900);
	waiting(3, 700);
	waiting(5, 300);                 /* due: not pending any more */
	waiting(7, 800);
	table[3].events = 4;             /* due despite its deadline */
	waiting(SLOTS - 1, 100);         /* the last VM on the list too */
	CHECK_EQ(due_mask(400, &nearest),
	         (1ull << 3) | (1ull << 5) | (1ull << (SLOTS - 1)));
	CHECK_EQ(nearest, 800);
}

TEST(only_waiting_vms_are_woken)
{
	uint64_t nearest = 0;
	setup(4);
	/* Old deadlines and pending events on VMs that are not waiting. */
	table[0].state = VM_FREE;
	table[1].state = VM_RUNNABLE;
	table[2].state = VM_STOPPED;
	for (unsigned i = 0; i < 3; i++) {
		table[i].wait_deadline = 5;
		table[i].events = 1;
	}
	CHECK_EQ(due_mask(1000, &nearest), 0);
	CHECK_EQ(nearest, UINT64_MAX);
	/* Slots past n are not looked at. */
	waiting(5, 0);
	CHECK_EQ(due_mask(1000, &nearest), 0);
}

TEST(wait_returns_the_events_or_timed_out)
{
	struct vm vm = { 0 };
	CHECK_EQ(sched_wait_result(&vm), (uint64_t)-BH_ETIMEDOUT);
	vm.events = 0x5;
	CHECK_EQ(sched_wait_result(&vm), 0x5);
	/* The top bit is not an event: the result stays non-negative. */
	vm.events = ~0ull;
	CHECK_EQ(sched_wait_result(&vm), BH_EVENT_MASK);
	CHECK(sched_wait_result(&vm) > 0);
}

/* ---- budget accounting ---- */

TEST(best_effort_is_always_within_budget_and_never_refills)
{
	uint64_t refill = 12345;
	setup(1);
	runnable(0);
	table[0].period_used = 1000000;
	CHECK(sched_budget_allows(&p, &table[0], 0, &refill));
	CHECK_EQ(refill, 12345);
	CHECK_EQ(table[0].period_start, 0);
}

/* Slot 0 of a one-slot table: 300 cycles in every 1000, used cycles of it
 * spent in the period that began at start. */
static struct vm *budget_300_of_1000(uint64_t start, uint64_t used)
{
	setup(1);
	budgeted(0, 300, 1000);
	table[0].period_start = start;
	table[0].period_used = used;
	return &table[0];
}

TEST(budget_exactly_used_stops_the_vm_until_its_next_period)
{
	uint64_t refill = UINT64_MAX;
	struct vm *vm = budget_300_of_1000(2000, 0);
	sched_charge(vm, 100);
	sched_charge(vm, 200);
	CHECK_EQ(vm->period_used, 300);
	CHECK_EQ(vm->cpu_tsc, 300);   /* what list shows: the same cycles */
	CHECK(!sched_budget_allows(&p, vm, 2500, &refill));
	CHECK_EQ(refill, 3000);
	CHECK_EQ(vm->period_start, 2000);   /* same period */
	CHECK_EQ(vm->period_used, 300);
}

TEST(a_remainder_shorter_than_the_minimum_slice_counts_as_used)
{
	uint64_t refill = UINT64_MAX;
	struct vm *vm = budget_300_of_1000(0, 300 - MIN_SLICE);   /* one slice left */
	CHECK(sched_budget_allows(&p, vm, 10, &refill));
	CHECK_EQ(refill, UINT64_MAX);
	vm->period_used++;                                         /* a cycle short of one */
	CHECK(!sched_budget_allows(&p, vm, 10, &refill));
	CHECK_EQ(refill, 1000);
}

TEST(an_overrun_budget_is_out_without_wrapping)
{
	uint64_t refill = UINT64_MAX;
	struct vm *vm = budget_300_of_1000(0, 450);   /* the last slice's exit ran over */
	CHECK(!sched_budget_allows(&p, vm, 999, &refill));
	CHECK_EQ(refill, 1000);
}

TEST(the_period_rolls_over_exactly_at_its_end)
{
	uint64_t refill = UINT64_MAX;
	struct vm *vm = budget_300_of_1000(5000, 300);
	CHECK(!sched_budget_allows(&p, vm, 5999, &refill));
	CHECK_EQ(vm->period_start, 5000);
	CHECK_EQ(refill, 6000);
	CHECK(sched_budget_allows(&p, vm, 6000, &refill));
	CHECK_EQ(vm->period_start, 6000);
	CHECK_EQ(vm->period_used, 0);
}

TEST(a_new_period_starts_when_the_vm_is_next_considered_not_on_a_grid)
{
	uint64_t refill = UINT64_MAX;
	struct vm *vm = budget_300_of_1000(0, 300);
	/* Periods 1000..1999 and 2000..2999 passed unseen: the new one
	 * starts now, not at 3000. */
	CHECK(sched_budget_allows(&p, vm, 3456, &refill));
	CHECK_EQ(vm->period_start, 3456);
	CHECK_EQ(vm->period_used, 0);
	CHECK_EQ(refill, UINT64_MAX);
}

TEST(a_budget_below_the_minimum_slice_gets_one_slice_per_period)
{
	uint64_t refill = UINT64_MAX;
	setup(1);
	budgeted(0, 5, 1000);
	table[0].period_start = 1;
	CHECK(sched_budget_allows(&p, &table[0], 1, &refill));
	/* Its slice is the minimum, longer than the budget. */
	CHECK_EQ(sched_slice_end(&p, &table[0], 1, UINT64_MAX, 0), 1 + MIN_SLICE);
	sched_charge(&table[0], 1);   /* even a cycle uses it up */
	CHECK(!sched_budget_allows(&p, &table[0], 2, &refill));
	CHECK_EQ(refill, 1001);
}

TEST(refill_is_only_ever_lowered)
{
	uint64_t refill = 700;
	struct vm *vm = budget_300_of_1000(0, 300);
	CHECK(!sched_budget_allows(&p, vm, 10, &refill));
	CHECK_EQ(refill, 700);   /* its refill at 1000 is later */
}

/* ---- picking ---- */

TEST(nothing_runnable_picks_nothing_and_keeps_the_cursors)
{
	setup(4);
	waiting(0, 100);
	table[1].state = VM_STOPPED;
	p.cursor_best_effort = 2;
	CHECK_EQ(pick(0), -1);
	CHECK_EQ(p.cursor_best_effort, 2);
	/* The same with a budgeted VM waiting. */
	budgeted(3, 300, 1000);
	table[3].state = VM_WAITING;
	CHECK_EQ(pick(0), -1);
	CHECK_EQ(p.cursor_best_effort, 2);
	CHECK_EQ(p.cursor_budgeted, 0);
}

TEST(best_effort_round_robin_skips_vms_not_runnable)
{
	static const int want[] = { 1, 3, 4, 1, 3, 4, 1 };
	setup(6);
	runnable(1);
	runnable(3);
	runnable(4);
	waiting(2, UINT64_MAX);
	table[5].state = VM_STOPPED;
	for (unsigned k = 0; k < sizeof(want) / sizeof(want[0]); k++)
		CHECK_EQ(pick(0), want[k]);
	/* A VM that becomes runnable joins the round where it sits. The
	 * cursor is the id after the last pick: slot 1 is id 2. */
	CHECK_EQ(p.cursor_best_effort, 3);
	runnable(2);
	CHECK_EQ(pick(0), 2);
	CHECK_EQ(pick(0), 3);
}

TEST(round_robin_is_fair_within_each_tier)
{
	unsigned count[SLOTS] = { 0 };
	setup(SLOTS);
	for (unsigned i = 0; i < SLOTS; i += 3)
		runnable(i);                           /* 0 3 6 9 12 15 */
	for (unsigned k = 0; k < (SLOTS + 2) / 3 * 100; k++)
		count[pick(0)]++;
	for (unsigned i = 0; i < SLOTS; i++)
		CHECK_EQ(count[i], i % 3 ? 0 : 100);

	/* Budgeted VMs that never run out alternate the same way. */
	setup(SLOTS);
	for (unsigned i = 0; i < SLOTS; i++)
		runnable(i);
	budgeted(4, 1000, 1000);
	budgeted(9, 1000, 1000);
	budgeted(10, 1000, 1000);
	memset(count, 0, sizeof(count));
	for (unsigned k = 0; k < 3 * 100; k++)
		count[pick(0)]++;
	CHECK_EQ(count[4], 100);
	CHECK_EQ(count[9], 100);
	CHECK_EQ(count[10], 100);
}

TEST(a_budgeted_vm_within_budget_goes_before_best_effort_ones)
{
	uint64_t nearest = UINT64_MAX;
	setup(5);
	runnable(0);
	runnable(1);
	budgeted(3, 300, 1000);
	runnable(4);
	CHECK_EQ(pick_at(0, &nearest), 3);
	CHECK_EQ(p.cursor_budgeted, 5);      /* the id after slot 3's */
	CHECK_EQ(p.cursor_best_effort, 0);   /* the best-effort round waits */
	CHECK_EQ(nearest, UINT64_MAX);
	sched_charge(&table[3], 300);
	/* Out of budget: best effort runs, and its slice ends at the refill. */
	CHECK_EQ(pick_at(300, &nearest), 0);
	CHECK_EQ(nearest, 1000);
	CHECK_EQ(sched_slice_end(&p, &table[0], 300, nearest, 0), 300 + SLICE);
	CHECK_EQ(sched_slice_end(&p, &table[0], 900, nearest, 0), 1000);
	nearest = UINT64_MAX;
	CHECK_EQ(pick_at(999, &nearest), 1);
	CHECK_EQ(nearest, 1000);
	/* At the refill the budgeted VM is back first. */
	CHECK_EQ(pick(1000), 3);
	CHECK_EQ(pick(1000), 3);   /* and again: nothing charged yet */
}

TEST(budgeted_runs_do_not_reset_the_best_effort_round)
{
	static const int want_best_effort[] = { 0, 1, 2, 0, 1 };
	setup(4);
	runnable(0);
	runnable(1);
	runnable(2);
	budgeted(3, 100, 1000);
	for (unsigned k = 0; k < 5; k++) {
		uint64_t now = 1000 * (k + 1);
		CHECK_EQ(pick(now), 3);                 /* a new period */
		sched_charge(&table[3], 100);
		CHECK_EQ(pick(now + 100), want_best_effort[k]);
	}
}

TEST(an_out_of_budget_vm_is_passed_over_for_another_budgeted_one)
{
	uint64_t nearest = 5000;
	setup(4);
	runnable(0);
	budgeted(1, 200, 1000);
	budgeted(2, 200, 800);
	table[1].period_used = 200;
	CHECK_EQ(pick_at(10, &nearest), 2);
	CHECK_EQ(nearest, 1000);   /* the refill of the one passed over */
	table[2].period_used = 200;
	nearest = 5000;
	CHECK_EQ(pick_at(20, &nearest), 0);
	CHECK_EQ(nearest, 800);    /* the earlier of the two refills */
}

TEST(a_waiting_budgeted_vm_whose_deadline_passed_wakes_and_goes_first)
{
	setup(3);
	runnable(0);
	runnable(1);
	budgeted(2, 300, 1000);
	waiting(2, 450);
	uint64_t nearest = wake(400);
	CHECK_EQ(pick_at(400, &nearest), 0);
	/* The best-effort slice ends at the wake-up, not a slice later. */
	CHECK_EQ(sched_slice_end(&p, &table[0], 400, nearest, 0), 450);
	nearest = wake(460);   /* late: the deadline passed */
	CHECK_EQ(nearest, UINT64_MAX);
	CHECK_EQ(table[2].state, VM_RUNNABLE);
	CHECK_EQ(pick_at(460, &nearest), 2);
}

TEST(all_vms_waiting_picks_none_and_idles_until_the_nearest_wake_up)
{
	uint64_t until = 0;
	setup(3);
	waiting(0, 900);
	waiting(1, 600);
	budgeted(2, 300, 1000);
	waiting(2, UINT64_MAX);
	uint64_t nearest = wake(500);
	CHECK_EQ(pick_at(500, &nearest), -1);
	CHECK_EQ(nearest, 600);
	CHECK(sched_idle_until(500, nearest, 0, &until));
	CHECK_EQ(until, 600);
	/* With the console to watch, its poll comes first. */
	CHECK(sched_idle_until(500, nearest, 60, &until));
	CHECK_EQ(until, 560);
	CHECK(sched_idle_until(500, nearest, 100, &until));
	CHECK_EQ(until, 600);   /* a tie: the deadline */
}

TEST(idle_with_nothing_to_wait_for_ends_the_run)
{
	uint64_t until = 77;
	CHECK(!sched_idle_until(500, UINT64_MAX, 0, &until));
	CHECK_EQ(until, 77);
	/* The console may yet wake a VM. */
	CHECK(sched_idle_until(500, UINT64_MAX, POLL, &until));
	CHECK_EQ(until, 500 + POLL);
}

TEST(idle_until_a_budget_refill)
{
	uint64_t until = 0;
	setup(2);
	budgeted(1, 300, 1000);
	table[1].period_start = 2000;
	table[1].period_used = 300;
	uint64_t nearest = wake(2400);
	CHECK_EQ(pick_at(2400, &nearest), -1);
	CHECK(sched_idle_until(2400, nearest, 0, &until));
	CHECK_EQ(until, 3000);
	CHECK_EQ(pick(until), 1);
}

/* The scan for a budgeted VM picks best-effort VMs exactly as the short
 * path taken while no VM has a budget: for CPU cpu, on a table whose VMs
 * are all on CPU 0 or, if spread, each on CPU 0 or 1 at random. */
static void both_scans_pick_alike(unsigned cpu, bool spread)
{
	struct vm other[SLOTS], *other_first;
	struct sched_policy q;
	uint32_t seed = 1;

	setup(SLOTS);
	sched_policy_init(&p, &first, cpu, SLICE, MIN_SLICE, POLL);
	sched_policy_init(&q, &other_first, cpu, SLICE, MIN_SLICE, POLL);
	for (unsigned k = 0; k < 2000; k++) {
		if (k % 7 == 0) {
			for (unsigned i = 0; i < SLOTS; i++) {
				seed = seed * 1103515245 + 12345;
				table[i].state = (seed >> 16) % 3 ? VM_RUNNABLE : VM_WAITING;
				table[i].cpu = spread ? (seed >> 20) & 1 : 0;
			}
			memcpy(other, table, sizeof(other));
			other_first = link(other, SLOTS);
		}
		uint64_t n1 = UINT64_MAX, n2 = UINT64_MAX;
		struct vm *a = sched_pick(&p, 0, 0, &n1);
		struct vm *b = sched_pick(&q, 1, 0, &n2);
		CHECK_EQ(a ? a - table : -1, b ? b - other : -1);
		CHECK(!a || a->cpu == cpu);
		CHECK_EQ(p.cursor_best_effort, q.cursor_best_effort);
		CHECK_EQ(n1, n2);
	}
}

TEST(with_no_budgets_both_scans_pick_alike)
{
	both_scans_pick_alike(0, false);
	both_scans_pick_alike(0, true);
	both_scans_pick_alike(1, true);
}

/* ---- several CPUs: each policy sees only the VMs of its CPU ---- */

/* Slot i on CPU i % 2: the two CPUs' VMs interleave in id order. */
static void interleave_cpus(void)
{
	for (unsigned i = 0; i < slots; i++)
		table[i].cpu = i % 2;
}

/* Policy q for CPU 1 on the same list as p (CPU 0). */
static void init_cpu1(struct sched_policy *q)
{
	sched_policy_init(q, &first, 1, SLICE, MIN_SLICE, POLL);
}

TEST(init_keeps_the_cpu)
{
	struct vm *head = NULL;
	struct sched_policy q;
	sched_policy_init(&q, &head, 3, 1, 2, 3);
	CHECK_EQ(q.cpu, 3);
}

TEST(a_cpu_wakes_only_its_own_waiters)
{
	uint64_t nearest = 0;
	struct sched_policy q;
	setup(6);
	interleave_cpus();
	init_cpu1(&q);
	for (unsigned i = 0; i < 6; i++)
		waiting(i, 1000 + 100 * i);   /* 1000 1100 ... 1500 */
	table[4].events = 1;                  /* CPU 0's, due at once */
	table[5].events = 1;                  /* CPU 1's, due at once */
	CHECK_EQ(due_mask_of(&p, 0, &nearest), 1u << 4);
	CHECK_EQ(nearest, 1000);
	CHECK_EQ(due_mask_of(&q, 0, &nearest), 1u << 5);
	CHECK_EQ(nearest, 1100);
	/* At 1100 slot 0 (CPU 0) and slot 1 (CPU 1) are due, each to its own. */
	CHECK_EQ(due_mask_of(&p, 1100, &nearest), (1u << 0) | (1u << 4));
	CHECK_EQ(nearest, 1200);
	CHECK_EQ(due_mask_of(&q, 1100, &nearest), (1u << 1) | (1u << 5));
	CHECK_EQ(nearest, 1300);
}

TEST(the_nearest_deadline_ignores_the_other_cpus_waiters)
{
	uint64_t nearest = 0;
	struct sched_policy q;
	setup(4);
	init_cpu1(&q);
	waiting(0, 900);
	waiting(1, 100);                      /* CPU 1's, earlier */
	waiting(2, 800);
	waiting(3, UINT64_MAX);               /* CPU 1's, no deadline */
	table[1].cpu = table[3].cpu = 1;
	CHECK_EQ(due_mask_of(&p, 50, &nearest), 0);
	CHECK_EQ(nearest, 800);
	CHECK_EQ(due_mask_of(&q, 50, &nearest), 0);
	CHECK_EQ(nearest, 100);
	/* CPU 1's waiters gone, CPU 0 has no deadline at all. */
	table[0].cpu = table[2].cpu = 1;
	CHECK_EQ(due_mask_of(&p, 50, &nearest), 0);
	CHECK_EQ(nearest, UINT64_MAX);
}

TEST(best_effort_rounds_of_two_cpus_interleaved_in_id_order)
{
	static const int want0[] = { 0, 2, 4, 6, 0, 2, 4 };
	static const int want1[] = { 1, 3, 5, 7, 1, 3, 5 };
	struct sched_policy q;
	setup(8);
	interleave_cpus();
	init_cpu1(&q);
	for (unsigned i = 0; i < 8; i++)
		runnable(i);
	for (unsigned k = 0; k < sizeof(want0) / sizeof(want0[0]); k++) {
		uint64_t nearest = UINT64_MAX;
		CHECK_EQ(pick_of(&p, 0, &nearest), want0[k]);
		CHECK_EQ(pick_of(&q, 0, &nearest), want1[k]);
	}
	/* A VM of CPU 0 that stops leaves CPU 1's round as it was. */
	table[6].state = VM_STOPPED;
	CHECK_EQ(pick(0), 0);
	CHECK_EQ(pick(0), 2);
	CHECK_EQ(pick(0), 4);
	CHECK_EQ(pick(0), 0);
	uint64_t nearest = UINT64_MAX;
	CHECK_EQ(pick_of(&q, 0, &nearest), 7);
}

TEST(a_cpu_with_nothing_of_its_own_to_run_picks_nothing)
{
	uint64_t nearest = UINT64_MAX;
	struct sched_policy q;
	setup(4);
	interleave_cpus();
	init_cpu1(&q);
	runnable(0);
	runnable(2);
	waiting(1, 500);
	waiting(3, 600);
	/* Best effort only, and with a budgeted VM of CPU 0 in the table. */
	CHECK_EQ(pick_of(&q, 0, &nearest), -1);
	CHECK_EQ(q.cursor_best_effort, 0);
	budgeted(2, 300, 1000);
	CHECK_EQ(pick_of(&q, 0, &nearest), -1);
	CHECK_EQ(nearest, UINT64_MAX);
	CHECK_EQ(q.cursor_budgeted, 0);
	/* And the other way round: CPU 0's VMs stop, CPU 1's run. */
	table[0].state = table[2].state = VM_STOPPED;
	runnable(1);
	runnable(3);
	CHECK_EQ(pick(0), -1);
	CHECK_EQ(pick_of(&q, 0, &nearest), 1);
}

TEST(a_budgeted_vm_of_another_cpu_is_neither_picked_nor_accounted)
{
	uint64_t nearest = UINT64_MAX;
	struct sched_policy q;
	setup(4);
	init_cpu1(&q);
	runnable(0);                          /* CPU 0, best effort */
	budgeted(1, 300, 1000);               /* CPU 1, within its budget */
	budgeted(2, 300, 1000);               /* CPU 1, out of it */
	runnable(3);                          /* CPU 1, best effort */
	table[1].cpu = table[2].cpu = table[3].cpu = 1;
	table[2].period_start = 0;
	table[2].period_used = 300;
	/* CPU 0 runs its best-effort VM; CPU 1's budgets are not its own: no
	 * refill lowers its nearest, no period of theirs is rolled over. */
	CHECK_EQ(pick_of(&p, 5000, &nearest), 0);
	CHECK_EQ(nearest, UINT64_MAX);
	CHECK_EQ(table[1].period_start, 0);
	CHECK_EQ(table[2].period_start, 0);
	CHECK_EQ(table[2].period_used, 300);
	CHECK_EQ(p.cursor_budgeted, 0);
	/* CPU 1 runs its budgeted VM first, as ever. */
	CHECK_EQ(pick_of(&q, 500, &nearest), 1);
	CHECK_EQ(pick_of(&q, 500, &nearest), 1);
	CHECK_EQ(nearest, 1000);              /* slot 2's refill */
	sched_charge(&table[1], 300);
	CHECK_EQ(pick_of(&q, 600, &nearest), 3);
}

TEST(budgeted_rounds_of_two_cpus_interleaved_in_id_order)
{
	static const int want0[] = { 0, 2, 4, 0, 2, 4 };
	static const int want1[] = { 1, 3, 5, 1, 3, 5 };
	struct sched_policy q;
	setup(7);
	interleave_cpus();
	init_cpu1(&q);
	for (unsigned i = 0; i < 6; i++)
		budgeted(i, 1000, 1000);      /* never runs out */
	runnable(6);                          /* CPU 0, best effort: waits */
	for (unsigned k = 0; k < sizeof(want0) / sizeof(want0[0]); k++) {
		uint64_t nearest = UINT64_MAX;
		CHECK_EQ(pick_of(&p, 0, &nearest), want0[k]);
		CHECK_EQ(pick_of(&q, 0, &nearest), want1[k]);
	}
	CHECK_EQ(p.cursor_best_effort, 0);
	/* CPU 0's budgets spent: its best-effort VM, though CPU 1's budgeted
	 * VMs could still run. */
	for (unsigned i = 0; i < 6; i += 2)
		table[i].period_used = 1000;
	uint64_t nearest = UINT64_MAX;
	CHECK_EQ(pick_of(&p, 10, &nearest), 6);
	CHECK_EQ(nearest, 1000);
	CHECK_EQ(pick_of(&q, 10, &nearest), 1);
}

/* ---- slice ends ---- */

TEST(a_best_effort_slice_is_full_unless_a_wake_up_comes_first)
{
	setup(1);
	runnable(0);
	CHECK_EQ(sched_slice_end(&p, &table[0], 1000, UINT64_MAX, 0), 1000 + SLICE);
	CHECK_EQ(sched_slice_end(&p, &table[0], 1000, 1000 + SLICE, 0), 1000 + SLICE);
	CHECK_EQ(sched_slice_end(&p, &table[0], 1000, 1000 + SLICE - 1, 0), 1000 + SLICE - 1);
	CHECK_EQ(sched_slice_end(&p, &table[0], 1000, 1050, 0), 1050);
}

TEST(no_slice_is_shorter_than_the_minimum)
{
	setup(1);
	runnable(0);
	/* A wake-up due now, or one that already passed. */
	CHECK_EQ(sched_slice_end(&p, &table[0], 1000, 1000, 0), 1000 + MIN_SLICE);
	CHECK_EQ(sched_slice_end(&p, &table[0], 1000, 10, 0), 1000 + MIN_SLICE);
	CHECK_EQ(sched_slice_end(&p, &table[0], 1000, 1000 + MIN_SLICE, 0), 1000 + MIN_SLICE);
	CHECK_EQ(sched_slice_end(&p, &table[0], 1000, 1000 + MIN_SLICE + 1, 0),
	         1000 + MIN_SLICE + 1);
	/* A console poll interval below it. */
	CHECK_EQ(sched_slice_end(&p, &table[0], 1000, UINT64_MAX, 3), 1000 + MIN_SLICE);
}

TEST(a_budgeted_slice_ends_with_its_budget_and_ignores_wake_ups)
{
	setup(1);
	budgeted(0, 300, 1000);
	CHECK_EQ(sched_slice_end(&p, &table[0], 0, UINT64_MAX, 0), SLICE);
	CHECK_EQ(sched_slice_end(&p, &table[0], 0, 40, 0), SLICE);   /* not 40 */
	table[0].period_used = 300 - SLICE;       /* exactly a slice left */
	CHECK_EQ(sched_slice_end(&p, &table[0], 0, UINT64_MAX, 0), SLICE);
	table[0].period_used = 300 - SLICE + 1;
	CHECK_EQ(sched_slice_end(&p, &table[0], 0, UINT64_MAX, 0), SLICE - 1);
	table[0].period_used = 300 - MIN_SLICE;
	CHECK_EQ(sched_slice_end(&p, &table[0], 0, UINT64_MAX, 0), MIN_SLICE);
}

TEST(the_console_poll_caps_every_slice)
{
	setup(2);
	runnable(0);
	budgeted(1, 1000, 1000);
	CHECK_EQ(sched_slice_end(&p, &table[0], 0, UINT64_MAX, POLL), POLL);
	CHECK_EQ(sched_slice_end(&p, &table[1], 0, UINT64_MAX, POLL), POLL);
	CHECK_EQ(sched_slice_end(&p, &table[0], 0, 60, POLL), 60);   /* wake-up first */
	CHECK_EQ(sched_slice_end(&p, &table[0], 0, UINT64_MAX, SLICE + 1), SLICE);
}

TEST(the_poll_interval_halves_while_output_is_queued)
{
	setup(1);
	CHECK_EQ(sched_poll_interval(&p, false, false), 0);
	/* The kernel's own log waits for COM1 with no VM owning the console. */
	CHECK_EQ(sched_poll_interval(&p, false, true), POLL / 2);
	CHECK_EQ(sched_poll_interval(&p, true, false), POLL);
	CHECK_EQ(sched_poll_interval(&p, true, true), POLL / 2);
}

/* ---- whole periods, applied the way sched.c applies them ---- */

/* Runs the table from start to end: every VM uses all of every slice. */
static void simulate(uint64_t start, uint64_t end, uint64_t ran[])
{
	uint64_t now = start;
	while (now < end) {
		uint64_t nearest = wake(now);
		struct vm *vm = sched_pick(&p, budgeted_count(), now, &nearest);
		if (vm) {
			uint64_t until = sched_slice_end(&p, vm, now, nearest, 0);
			CHECK(until > now);
			ran[vm - table] += until - now;
			sched_charge(vm, until - now);
			now = until;
			continue;
		}
		uint64_t until;
		CHECK(sched_idle_until(now, nearest, 0, &until));
		CHECK(until > now);
		now = until;
	}
	CHECK_EQ(now, end);
}

TEST(a_budgeted_vm_gets_its_budget_each_period_and_best_effort_the_rest)
{
	uint64_t ran[SLOTS] = { 0 };
	setup(3);
	runnable(0);
	runnable(1);
	budgeted(2, 300, 1000);
	table[2].period_start = 0;
	/* Slices of 130: the budgeted VM runs 130, 130, 40 from each period's
	 * start; the best-effort ones then take turns in the 700 left, three
	 * slices each, the last one cut to 50 at the refill so the budgeted
	 * VM starts its period on time. */
	simulate(0, 10 * 1000, ran);
	CHECK_EQ(ran[2], 10 * 300);
	CHECK_EQ(ran[0], 10 * (3 * 130));
	CHECK_EQ(ran[1], 10 * (2 * 130 + 50));
	CHECK_EQ(table[2].period_start, 9000);
}

TEST(best_effort_vms_that_sleep_yield_to_each_other_and_the_budget)
{
	uint64_t ran[SLOTS] = { 0 };
	setup(3);
	runnable(0);
	budgeted(2, 300, 1000);
	waiting(1, 650);   /* wakes part-way through the first period */
	simulate(0, 1000, ran);
	CHECK_EQ(ran[2], 300);
	/* 300..430..560..650 for VM 0 (cut at the wake-up), then the two
	 * alternate: 650..780 VM 1, 780..910 VM 0, 910..1000 VM 1 (cut at
	 * the refill). */
	CHECK_EQ(ran[0], 350 + 130);
	CHECK_EQ(ran[1], 130 + 90);
}
