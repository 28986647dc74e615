/* SPDX-License-Identifier: GPL-2.0-only */
/* The VM list (contract in vm_table.h). */
#include "kernel/vm_table.h"

#include <stddef.h>

void vm_table_insert(struct vm **first, struct vm *vm, const struct vm_history *past)
{
	struct vm **at = first;
	unsigned id = 1;

	/* In id order, a gap is a free id unless the history holds it. */
	for (;;) {
		while (*at && (*at)->id < id)
			at = &(*at)->next;
		if ((*at && (*at)->id == id) || vm_history_holds(past, id))
			id++;
		else
			break;
	}
	vm->id = id;
	vm->next = *at;
	*at = vm;
}

void vm_table_remove(struct vm **first, struct vm *vm)
{
	for (struct vm **at = first; *at; at = &(*at)->next) {
		if (*at == vm) {
			*at = vm->next;
			vm->next = NULL;
			return;
		}
	}
}

struct vm *vm_table_find(struct vm *first, unsigned id)
{
	for (struct vm *v = first; v && v->id <= id; v = v->next)
		if (v->id == id)
			return v;
	return NULL;
}

static bool reaped_launched(const struct vm *v)
{
	return v->state == VM_STOPPED && !v->mem_hpa && v->launched_by;
}

static bool is_launcher(const struct vm *first, const struct vm *vm)
{
	for (const struct vm *v = first; v; v = v->next)
		if (v->launched_by == vm)
			return true;
	return false;
}

struct vm *vm_table_expired(struct vm *first)
{
	for (struct vm *v = first; v; v = v->next)
		if (reaped_launched(v) && !is_launcher(first, v) && !v->pair)
			return v;
	return NULL;
}
