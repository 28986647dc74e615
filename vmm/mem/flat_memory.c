/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * One contiguous guest-memory range (contract in flat_memory.h). Every
 * check subtracts from known-good values instead of adding guest ones,
 * so no guest address or length can wrap a comparison.
 */
#include "bulkhead/errno.h"
#include "lib/string.h"
#include "mem/flat_memory.h"

static int flat_check(void *ctx, uint64_t gpa, uint64_t n)
{
	const struct flat_memory *fm = ctx;
	if (gpa < fm->base || gpa - fm->base > fm->size || n > fm->size - (gpa - fm->base))
		return -BH_EFAULT;
	return 0;
}

static int flat_read(void *ctx, uint64_t gpa, void *dst, size_t n)
{
	const struct flat_memory *fm = ctx;
	if (flat_check(ctx, gpa, n))
		return -BH_EFAULT;
	memcpy(dst, fm->host + (gpa - fm->base), n);
	return 0;
}

static int flat_write(void *ctx, uint64_t gpa, const void *src, size_t n)
{
	const struct flat_memory *fm = ctx;
	if (flat_check(ctx, gpa, n))
		return -BH_EFAULT;
	memcpy(fm->host + (gpa - fm->base), src, n);
	return 0;
}

const struct guest_memory *flat_memory_init(struct flat_memory *fm, uint64_t base,
                                            uint64_t size, uint8_t *host)
{
	if (size > UINT64_MAX - base)
		return NULL;
	fm->base = base;
	fm->size = size;
	fm->host = host;
	fm->ops = (struct guest_memory){ .ctx = fm, .check = flat_check,
	                                 .read = flat_read, .write = flat_write };
	return &fm->ops;
}
