/* SPDX-License-Identifier: GPL-2.0-only */
/* Frame-pointer walks over a fake stack, including corrupt chains. */
#include "check.h"
#include "arch/x86/frame_walk.h"

static uint64_t stack[64];

static uint64_t at(unsigned i)
{
	return (uint64_t)(uintptr_t)&stack[i];
}

/* Frames at stack[4], [10], [20]; the outermost has a zero saved rbp. */
static void good_chain(void)
{
	memset(stack, 0, sizeof(stack));
	stack[4] = at(10);  stack[5] = 0x1111;
	stack[10] = at(20); stack[11] = 0x2222;
	stack[20] = 0;      stack[21] = 0x3333;
}

static struct frame_bounds bounds(void)
{
	struct frame_bounds b = { at(0), at(64), 0, 0 };
	return b;
}

TEST(follows_the_chain_to_its_end)
{
	struct frame_bounds b = bounds();
	uint64_t ret[8];
	good_chain();
	CHECK_EQ(frame_walk(at(4), &b, ret, 8), 3);
	CHECK_EQ(ret[0], 0x1111);
	CHECK_EQ(ret[1], 0x2222);
	CHECK_EQ(ret[2], 0x3333);
}

TEST(stops_at_max)
{
	struct frame_bounds b = bounds();
	uint64_t ret[2];
	good_chain();
	CHECK_EQ(frame_walk(at(4), &b, ret, 2), 2);
}

TEST(never_reads_outside_the_bounds)
{
	struct frame_bounds b = bounds();
	uint64_t ret[8];
	good_chain();
	stack[10] = at(64);          /* just past the end */
	CHECK_EQ(frame_walk(at(4), &b, ret, 8), 2);
	stack[10] = at(63);          /* 8 of its 16 bytes past the end */
	CHECK_EQ(frame_walk(at(4), &b, ret, 8), 2);
	stack[10] = 0xdead0000;      /* wild */
	CHECK_EQ(frame_walk(at(4), &b, ret, 8), 2);
	CHECK_EQ(frame_walk(at(0) - 8, &b, ret, 8), 0);
	CHECK_EQ(frame_walk(~0ull - 7, &b, ret, 8), 0);
}

TEST(misaligned_looping_or_downward_chains_stop)
{
	struct frame_bounds b = bounds();
	uint64_t ret[8];
	good_chain();
	stack[10] = at(20) + 4;      /* misaligned */
	CHECK_EQ(frame_walk(at(4), &b, ret, 8), 2);
	stack[10] = at(10);          /* points at itself */
	CHECK_EQ(frame_walk(at(4), &b, ret, 8), 2);
	stack[10] = at(4);           /* back down: a loop */
	CHECK_EQ(frame_walk(at(4), &b, ret, 8), 2);
}

TEST(zero_return_address_ends_the_walk)
{
	struct frame_bounds b = bounds();
	uint64_t ret[8];
	good_chain();
	stack[11] = 0;
	CHECK_EQ(frame_walk(at(4), &b, ret, 8), 1);
}

TEST(the_hole_is_never_read)
{
	struct frame_bounds b = bounds();
	uint64_t ret[8];
	good_chain();
	b.hole_lo = at(16);
	b.hole_hi = at(24);          /* covers the frame at [20] */
	CHECK_EQ(frame_walk(at(4), &b, ret, 8), 2);
	b.hole_lo = at(11);          /* overlaps the frame at [10] by 8 bytes */
	b.hole_hi = at(12);
	CHECK_EQ(frame_walk(at(4), &b, ret, 8), 1);
}
