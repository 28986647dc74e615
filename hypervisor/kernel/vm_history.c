/* SPDX-License-Identifier: GPL-2.0-only */
/* The stopped launched VMs' list records (contract in vm_history.h). */
#include "kernel/vm_history.h"

void vm_history_add(struct vm_history *h, const struct bh_vm_stat *s)
{
	h->entry[h->next] = *s;
	h->next = (h->next + 1) % VM_HISTORY_MAX;
	if (h->count < VM_HISTORY_MAX)
		h->count++;
}

const struct bh_vm_stat *vm_history_get(const struct vm_history *h, unsigned i)
{
	return &h->entry[(h->next + VM_HISTORY_MAX - h->count + i) % VM_HISTORY_MAX];
}

bool vm_history_holds(const struct vm_history *h, unsigned id)
{
	for (unsigned i = 0; i < h->count; i++)
		if (vm_history_get(h, i)->id == id)
			return true;
	return false;
}
