/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What BH_HC_VM_LIST shows of launched VMs that are gone: the list records
 * (struct bh_vm_stat) of the last VM_HISTORY_MAX of them, newest last. A
 * launched VM's own record (kernel/vm.h) is freed as soon as it is reaped
 * (and launched no VM still on the list), so stopped VMs cost the pool
 * nothing; this fixed ring is all that remains of them. Its ids stay
 * taken (vm_history_holds) so no listed VM shares an id with another.
 *
 * Pure: host tests cover it.
 */
#ifndef KERNEL_VM_HISTORY_H
#define KERNEL_VM_HISTORY_H

#include <stdbool.h>

#include <bulkhead/hypercall.h>

#define VM_HISTORY_MAX 16u

struct vm_history {
	struct bh_vm_stat entry[VM_HISTORY_MAX];   /* a ring */
	unsigned next;                             /* where the next one goes */
	unsigned count;                            /* 0..VM_HISTORY_MAX */
};

/* Adds s, the oldest entry giving way once the ring is full. */
void vm_history_add(struct vm_history *h, const struct bh_vm_stat *s);

/* Entry i, 0 the oldest, for i < h->count. */
const struct bh_vm_stat *vm_history_get(const struct vm_history *h, unsigned i);

/* Whether an entry has this id. */
bool vm_history_holds(const struct vm_history *h, unsigned id);

#endif
