/* SPDX-License-Identifier: GPL-2.0-only */
/* Decoding CR writes from instruction bytes (as GNU as encodes them). */
#include "check.h"

#include "arch/x86/svm/cr_decode.h"

static struct cr_write decode_ok(const uint8_t *b, size_t n)
{
	struct cr_write w;
	CHECK(cr_write_decode(b, n, &w));
	return w;
}

TEST(mov_to_cr_without_rex)
{
	const uint8_t mov_rax_cr0[] = { 0x0f, 0x22, 0xc0 };
	const uint8_t mov_rbx_cr4[] = { 0x0f, 0x22, 0xe3, 0x90 };
	struct cr_write w = decode_ok(mov_rax_cr0, sizeof(mov_rax_cr0));
	CHECK_EQ(w.kind, CR_WRITE_MOV);
	CHECK_EQ(w.cr, 0);
	CHECK_EQ(w.gpr, 0);
	CHECK_EQ(w.len, 3);
	w = decode_ok(mov_rbx_cr4, sizeof(mov_rbx_cr4));
	CHECK_EQ(w.cr, 4);
	CHECK_EQ(w.gpr, 3);
	CHECK_EQ(w.len, 3);
}

TEST(mov_to_cr_with_rex)
{
	const uint8_t mov_r9_cr0[] = { 0x41, 0x0f, 0x22, 0xc1 };
	const uint8_t mov_rax_cr8[] = { 0x44, 0x0f, 0x22, 0xc0 };
	struct cr_write w = decode_ok(mov_r9_cr0, sizeof(mov_r9_cr0));
	CHECK_EQ(w.cr, 0);
	CHECK_EQ(w.gpr, 9);
	CHECK_EQ(w.len, 4);
	w = decode_ok(mov_rax_cr8, sizeof(mov_rax_cr8));
	CHECK_EQ(w.cr, 8);
	CHECK_EQ(w.gpr, 0);
}

TEST(clts)
{
	const uint8_t clts[] = { 0x0f, 0x06, 0x00, 0x00 };
	struct cr_write w = decode_ok(clts, sizeof(clts));
	CHECK_EQ(w.kind, CR_WRITE_CLTS);
	CHECK_EQ(w.cr, 0);
	CHECK_EQ(w.len, 2);
}

TEST(other_instructions_are_not_decoded)
{
	struct cr_write w;
	const uint8_t lmsw_ax[] = { 0x0f, 0x01, 0xf0, 0x00 };
	const uint8_t opsize_prefix[] = { 0x66, 0x0f, 0x22, 0xc0 };
	const uint8_t mov_from_cr0[] = { 0x0f, 0x20, 0xc0, 0x00 };
	const uint8_t short_mov[] = { 0x0f, 0x22 };
	CHECK(!cr_write_decode(lmsw_ax, sizeof(lmsw_ax), &w));
	CHECK(!cr_write_decode(opsize_prefix, sizeof(opsize_prefix), &w));
	CHECK(!cr_write_decode(mov_from_cr0, sizeof(mov_from_cr0), &w));
	CHECK(!cr_write_decode(short_mov, sizeof(short_mov), &w));
	CHECK(!cr_write_decode(short_mov, 0, &w));
}
