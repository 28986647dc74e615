/* SPDX-License-Identifier: GPL-2.0-only */
#include "mm/records.h"

#include <stdint.h>

#include "kernel/panic.h"
#include "lib/string.h"

void *record_alloc(struct frame_alloc *fa, size_t bytes)
{
	uint64_t p = frame_alloc(fa, RECORD_PAGES_FOR(bytes), 1);
	if (!p)
		return NULL;
	memset((void *)(uintptr_t)p, 0, RECORD_PAGES_FOR(bytes) * PAGE_SIZE);
	return (void *)(uintptr_t)p;
}

void record_free(struct frame_alloc *fa, void *p, size_t bytes)
{
	memset(p, 0, RECORD_PAGES_FOR(bytes) * PAGE_SIZE);
	int rc = frame_free(fa, (uint64_t)(uintptr_t)p, RECORD_PAGES_FOR(bytes));
	ASSERT(rc == 0);
}
