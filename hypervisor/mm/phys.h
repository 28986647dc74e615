/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The kernel's one physical frame allocator (mm/frame.h), set up from the
 * boot memory map once the kernel runs on its own page tables, when
 * boot-services memory no longer holds anything in use.
 */
#ifndef MM_PHYS_H
#define MM_PHYS_H

#include <stddef.h>

#include "mm/frame.h"
#include "mm/memmap.h"

/* Frames below this are never handed out: page 0 and the real-mode area
 * (kept for the SMP start-up trampoline). */
#define PHYS_FLOOR (1ull << 20)

extern struct frame_alloc phys_frames;

/* Returns 0, or a negative error with *why set. */
int phys_init(const struct mem_region *regions, size_t n, const char **why);

#endif
