/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Walking the kernel's frame-pointer chain (the kernel is built with
 * -fno-omit-frame-pointer): each frame is [rbp] = the caller's rbp,
 * [rbp + 8] = the return address. Pure, so host-tested.
 */
#ifndef ARCH_X86_FRAME_WALK_H
#define ARCH_X86_FRAME_WALK_H

#include <stdint.h>

/*
 * Where a frame may lie: within [lo, hi) and not overlapping the hole
 * [hole_lo, hole_hi) (an unmapped guard page; an empty hole is allowed).
 */
struct frame_bounds {
	uint64_t lo, hi;
	uint64_t hole_lo, hole_hi;
};

/*
 * Follows the chain from frame pointer fp, storing up to max return
 * addresses in ret[]; returns how many. Reads a frame only if all 16 bytes
 * lie inside b and fp is 8-byte aligned, and stops at a zero return
 * address or a chain that does not move strictly up the stack, so a corrupt
 * chain ends the walk instead of faulting or looping.
 */
unsigned frame_walk(uint64_t fp, const struct frame_bounds *b, uint64_t *ret, unsigned max);

#endif
