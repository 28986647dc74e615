/* SPDX-License-Identifier: GPL-2.0-only */
/* Lookups among the live VMs (kernel/vm.h). Pure, so host tests link it. */
#include "kernel/vm.h"

#include "lib/string.h"

struct vm *vm_find_live(const struct vm *table, unsigned n, const char *name)
{
	for (unsigned i = 0; i < n; i++)
		if (vm_is_live(&table[i]) && !strcmp(table[i].name, name))
			return (struct vm *)&table[i];
	return NULL;
}
