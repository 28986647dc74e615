/* SPDX-License-Identifier: GPL-2.0-only */
/* Symbol lookup (contract in kernel/ksym.h). */
#include "kernel/ksym.h"

#include <stddef.h>

const char *ksym_find(const struct ksym_table *t, uint64_t addr, uint64_t *offset)
{
	*offset = 0;
	if (t->count < 2 || addr < t->addrs[0] || addr >= t->addrs[t->count - 1])
		return NULL;
	/* The last entry at or below addr: addrs[lo] <= addr < addrs[hi]. */
	uint32_t lo = 0, hi = t->count - 1;
	while (hi - lo > 1) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (t->addrs[mid] <= addr)
			lo = mid;
		else
			hi = mid;
	}
	*offset = addr - t->addrs[lo];
	return t->strings + t->names[lo];
}
