/* SPDX-License-Identifier: GPL-2.0-only */
/* The VM list (hypervisor/kernel/vm_table.c): ids, order, lookup, and which
 * stopped record is freed, on records held here; and the history of freed
 * launched VMs (vm_history.c) whose ids stay taken. */
#include "check.h"
#include "kernel/vm_table.h"

/* More than the 16 VMs the kernel once had slots for. */
#define N 300u

static struct vm rec[N];
static struct vm *first;
static struct vm_history past;

static void reset(void)
{
	memset(rec, 0, sizeof(rec));
	memset(&past, 0, sizeof(past));
	first = NULL;
}

/* The ids on the list, in order, must be strictly increasing. */
static unsigned count_in_order(void)
{
	unsigned n = 0, last = 0;
	for (struct vm *v = first; v; v = v->next) {
		CHECK(v->id > last);
		last = v->id;
		n++;
	}
	return n;
}

TEST(ids_start_at_1_and_count_up_past_16)
{
	reset();
	for (unsigned i = 0; i < N; i++) {
		vm_table_insert(&first, &rec[i], &past);
		CHECK_EQ(rec[i].id, i + 1);
	}
	CHECK_EQ(count_in_order(), N);
	CHECK(vm_table_find(first, 1) == &rec[0]);
	CHECK(vm_table_find(first, 257) == &rec[256]);
	CHECK(vm_table_find(first, N) == &rec[N - 1]);
	CHECK(vm_table_find(first, N + 1) == NULL);
	CHECK(vm_table_find(first, 0) == NULL);
}

TEST(a_freed_id_is_the_next_given_and_the_list_stays_in_order)
{
	reset();
	for (unsigned i = 0; i < 10; i++)
		vm_table_insert(&first, &rec[i], &past);
	vm_table_remove(&first, &rec[6]);    /* id 7 */
	vm_table_remove(&first, &rec[2]);    /* id 3 */
	CHECK(rec[2].next == NULL);
	CHECK(vm_table_find(first, 3) == NULL);
	CHECK_EQ(count_in_order(), 8);
	vm_table_insert(&first, &rec[20], &past);
	CHECK_EQ(rec[20].id, 3);             /* the smallest free */
	vm_table_insert(&first, &rec[21], &past);
	CHECK_EQ(rec[21].id, 7);
	vm_table_insert(&first, &rec[22], &past);
	CHECK_EQ(rec[22].id, 11);
	CHECK_EQ(count_in_order(), 11);
	CHECK(vm_table_find(first, 7) == &rec[21]);
}

TEST(removing_the_first_and_the_last_and_the_only)
{
	reset();
	vm_table_insert(&first, &rec[0], &past);
	vm_table_remove(&first, &rec[0]);
	CHECK(first == NULL);
	for (unsigned i = 0; i < 3; i++)
		vm_table_insert(&first, &rec[i], &past);
	vm_table_remove(&first, &rec[0]);
	CHECK(first == &rec[1]);
	vm_table_remove(&first, &rec[2]);
	CHECK(first == &rec[1] && rec[1].next == NULL);
	vm_table_insert(&first, &rec[3], &past);
	CHECK_EQ(rec[3].id, 1);
	CHECK(first == &rec[3] && rec[3].next == &rec[1]);
}

/* rec[i]: a VM launched by rec[0] (a boot VM), stopped and reaped. */
static void stopped_launched(unsigned i)
{
	rec[i].state = VM_STOPPED;
	rec[i].launched_by = &rec[0];
	rec[i].mem_hpa = 0;
}

TEST(only_reaped_launched_records_are_freed)
{
	reset();
	for (unsigned i = 0; i < 8; i++)
		vm_table_insert(&first, &rec[i], &past);
	rec[0].state = VM_RUNNABLE;          /* the launcher, a boot VM */
	for (unsigned i = 1; i < 8; i++) {
		rec[i].state = VM_RUNNABLE;
		rec[i].launched_by = &rec[0];
		rec[i].mem_hpa = 0x40000000;
	}
	CHECK(vm_table_expired(first) == NULL);   /* none stopped */
	/* Stopped but not reaped: still holds memory. */
	rec[3].state = VM_STOPPED;
	CHECK(vm_table_expired(first) == NULL);
	stopped_launched(5);
	CHECK(vm_table_expired(first) == &rec[5]);
	vm_table_remove(&first, &rec[5]);
	CHECK(vm_table_expired(first) == NULL);
}

TEST(boot_vms_and_launchers_of_other_records_are_never_freed)
{
	reset();
	for (unsigned i = 0; i < 4; i++)
		vm_table_insert(&first, &rec[i], &past);
	rec[0].state = VM_STOPPED;           /* a boot VM: launched_by NULL */
	CHECK(vm_table_expired(first) == NULL);
	stopped_launched(1);                 /* launched rec[2] */
	stopped_launched(2);
	rec[2].launched_by = &rec[1];
	CHECK(vm_table_expired(first) == &rec[2]);   /* rec[1] would dangle */
	vm_table_remove(&first, &rec[2]);
	CHECK(vm_table_expired(first) == &rec[1]);
}

/* ---- the history of freed launched VMs ---- */

static struct bh_vm_stat stat_of(unsigned id)
{
	return (struct bh_vm_stat){ .id = id, .state = BH_VM_STOPPED, .launched = 1 };
}

TEST(history_keeps_the_newest_entries_oldest_first)
{
	reset();
	CHECK_EQ(past.count, 0);
	CHECK(!vm_history_holds(&past, 0));
	for (unsigned i = 1; i <= 3; i++) {
		struct bh_vm_stat s = stat_of(i);
		vm_history_add(&past, &s);
	}
	CHECK_EQ(past.count, 3);
	CHECK_EQ(vm_history_get(&past, 0)->id, 1);
	CHECK_EQ(vm_history_get(&past, 2)->id, 3);
	for (unsigned i = 4; i <= VM_HISTORY_MAX + 5; i++) {
		struct bh_vm_stat s = stat_of(i);
		vm_history_add(&past, &s);
	}
	CHECK_EQ(past.count, VM_HISTORY_MAX);
	CHECK_EQ(vm_history_get(&past, 0)->id, 6);     /* 1..5 gave way */
	CHECK_EQ(vm_history_get(&past, VM_HISTORY_MAX - 1)->id, VM_HISTORY_MAX + 5);
	CHECK(!vm_history_holds(&past, 5));
	CHECK(vm_history_holds(&past, 6));
	CHECK(vm_history_holds(&past, VM_HISTORY_MAX + 5));
}

TEST(ids_in_the_history_are_not_given_again)
{
	reset();
	struct bh_vm_stat s = stat_of(2);
	vm_history_add(&past, &s);
	s = stat_of(3);
	vm_history_add(&past, &s);
	s = stat_of(5);
	vm_history_add(&past, &s);
	vm_table_insert(&first, &rec[0], &past);
	vm_table_insert(&first, &rec[1], &past);
	vm_table_insert(&first, &rec[2], &past);
	CHECK_EQ(rec[0].id, 1);
	CHECK_EQ(rec[1].id, 4);
	CHECK_EQ(rec[2].id, 6);
	CHECK_EQ(count_in_order(), 3);
}
