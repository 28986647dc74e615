/* SPDX-License-Identifier: GPL-2.0-only */
/* Frames for EPT and NPT tables (contract in table_frames.h). */
#include "arch/x86/mm/table_frames.h"

#include "lib/string.h"

static uint64_t table_alloc(void *ctx)
{
	uint64_t p = frame_alloc(ctx, 1, 1);
	if (p)
		memset((void *)(uintptr_t)p, 0, PAGE_SIZE);
	return p;
}

static void table_free(void *ctx, uint64_t phys)
{
	frame_free(ctx, phys, 1);
}

static void *identity(void *ctx, uint64_t phys)
{
	(void)ctx;
	return (void *)(uintptr_t)phys;
}

struct ept_env table_frames_env(struct frame_alloc *frames)
{
	return (struct ept_env){ table_alloc, identity, table_free, frames };
}
