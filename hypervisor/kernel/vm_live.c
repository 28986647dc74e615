/* SPDX-License-Identifier: GPL-2.0-only */
/* Lookups among the live VMs (kernel/vm.h). Pure, so host tests link it. */
#include "kernel/vm.h"

#include "lib/string.h"

struct vm *vm_find_live(const struct vm *first, const char *name)
{
	for (const struct vm *v = first; v; v = v->next)
		if (vm_is_live(v) && !strcmp(v->name, name))
			return (struct vm *)v;
	return NULL;
}
