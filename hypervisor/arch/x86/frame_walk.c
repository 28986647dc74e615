/* SPDX-License-Identifier: GPL-2.0-only */
/* Frame-pointer walk (contract in arch/x86/frame_walk.h). */
#include "arch/x86/frame_walk.h"

static int frame_ok(uint64_t fp, const struct frame_bounds *b)
{
	if (fp & 7 || fp < b->lo || fp > b->hi || b->hi - fp < 16)
		return 0;
	/* [fp, fp + 16) must not touch the hole. */
	return fp + 16 <= b->hole_lo || fp >= b->hole_hi;
}

unsigned frame_walk(uint64_t fp, const struct frame_bounds *b, uint64_t *ret, unsigned max)
{
	unsigned n = 0;

	while (n < max && frame_ok(fp, b)) {
		const uint64_t *frame = (const uint64_t *)(uintptr_t)fp;
		uint64_t next = frame[0];
		if (frame[1] == 0)
			break;
		ret[n++] = frame[1];
		/* Stacks grow down: a caller's frame is always above. */
		if (next <= fp)
			break;
		fp = next;
	}
	return n;
}
