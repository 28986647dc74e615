/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The VM list (docs/design.md, "Objects the kernel knows"): every VM
 * record, live or stopped, singly linked through vm->next in id order.
 * There is no table and no fixed count: a record is allocated by vm_create
 * from the VM's own frame source and joins the list, and leaves it when it
 * is freed. How many VMs can exist is the policy's (launch quotas, the
 * run-time pool) and the machine's memory.
 *
 * Pure: the list is given by its head, nothing here allocates, so host
 * tests cover every case.
 */
#ifndef KERNEL_VM_TABLE_H
#define KERNEL_VM_TABLE_H

#include "kernel/vm.h"
#include "kernel/vm_history.h"

/* Gives vm the smallest id that no record in *first and no entry of past
 * holds (1 if none) and links it in by id. Ids stay small: at most the
 * number of records plus VM_HISTORY_MAX. */
void vm_table_insert(struct vm **first, struct vm *vm, const struct vm_history *past);

/* Unlinks vm, which must be in the list. */
void vm_table_remove(struct vm **first, struct vm *vm);

/* The record with this id, or NULL. */
struct vm *vm_table_find(struct vm *first, unsigned id);

/*
 * A record that may be freed now, or NULL: a launched VM stopped and
 * reaped (mem_hpa 0) that no record names as its launcher (launched_by
 * would dangle) and that is no longer paired (a Linux guest's reap
 * unlinks its monitor). Boot VMs' records are never returned: there is one per
 * boot declaration at most, and channels name them.
 */
struct vm *vm_table_expired(struct vm *first);

#endif
