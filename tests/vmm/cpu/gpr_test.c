/* SPDX-License-Identifier: GPL-2.0-only */
/* Register access by number with the x86 width rules (cpu/gpr.h). */
#include "check.h"

#include "cpu/gpr.h"

TEST(numbers_follow_the_encoding_order)
{
	struct bh_monitor_regs r = { 0 };
	for (unsigned n = 0; n < 16; n++)
		gpr_write(&r, n, 8, false, 0x1000 + n);
	CHECK_EQ(r.rax, 0x1000);
	CHECK_EQ(r.rcx, 0x1001);
	CHECK_EQ(r.rdx, 0x1002);
	CHECK_EQ(r.rbx, 0x1003);
	CHECK_EQ(r.rsp, 0x1004);
	CHECK_EQ(r.rbp, 0x1005);
	CHECK_EQ(r.rsi, 0x1006);
	CHECK_EQ(r.rdi, 0x1007);
	CHECK_EQ(r.r8, 0x1008);
	CHECK_EQ(r.r15, 0x100f);
	for (unsigned n = 0; n < 16; n++)
		CHECK_EQ(gpr_read(&r, n, 8, false), 0x1000 + n);
}

TEST(widths_merge_or_zero_extend_as_the_cpu_does)
{
	struct bh_monitor_regs r = { .rax = 0x1122334455667788ull };
	gpr_write(&r, 0, 1, false, 0xaa);
	CHECK_EQ(r.rax, 0x11223344556677aaull);
	gpr_write(&r, 0, 2, false, 0xbbcc);
	CHECK_EQ(r.rax, 0x112233445566bbccull);
	gpr_write(&r, 0, 1, true, 0xdd);          /* ah */
	CHECK_EQ(r.rax, 0x112233445566ddccull);
	gpr_write(&r, 0, 4, false, 0xfffffffff0f0f0f0ull);
	CHECK_EQ(r.rax, 0xf0f0f0f0ull);           /* 32-bit writes clear 32-63 */
	r.rbx = 0x1234;
	CHECK_EQ(gpr_read(&r, 3, 1, true), 0x12); /* bh */
	CHECK_EQ(gpr_read(&r, 3, 1, false), 0x34);
	CHECK_EQ(gpr_read(&r, 3, 2, false), 0x1234);
}

TEST(out_of_range_numbers_and_sizes_change_nothing)
{
	struct bh_monitor_regs r = { .rax = 1, .rsp = 2 }, before = r;
	gpr_write(&r, 16, 8, false, 99);
	gpr_write(&r, 0, 3, false, 99);
	gpr_write(&r, 4, 1, true, 99);            /* no high byte of rsp */
	CHECK(memcmp(&r, &before, sizeof r) == 0);
	CHECK_EQ(gpr_read(&r, 16, 8, false), 0);
	CHECK_EQ(gpr_read(&r, 4, 1, true), 0);
}
