/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The MMIO decoder against instruction bytes as GNU as encodes them
 * (each row's comment is the instruction), in all three modes, then
 * hostile inputs: every truncation of every row, the 15-byte limit, LOCK
 * and REP, opcodes outside the list, register operands, and random
 * bytes, which must never read past the buffer or claim more length
 * than they have.
 */
#include <stdlib.h>

#include "check.h"
#include "test_rng.h"

#include "cpu/decode.h"

struct row {
	const char *asm_text;
	enum x86_mode mode;
	uint8_t bytes[16];
	unsigned len;
	/* expected */
	bool write;
	unsigned size, reg;
	bool high_byte, has_imm;
	uint64_t imm;
	int extend;
	unsigned dest_size;
};

#define M64 X86_MODE_64
#define M32 X86_MODE_32
#define M16 X86_MODE_16
#define NONE MMIO_EXTEND_NONE
#define ZERO MMIO_EXTEND_ZERO
#define SIGN MMIO_EXTEND_SIGN

static const struct row rows[] = {
	{ "mov %eax,(%rdi)", M64, { 0x89, 0x07 }, 2, true, 4, 0, false, false, 0, NONE, 4 },
	{ "mov (%rdi),%eax", M64, { 0x8b, 0x07 }, 2, false, 4, 0, false, false, 0, NONE, 4 },
	{ "mov %rax,(%rdi)", M64, { 0x48, 0x89, 0x07 }, 3, true, 8, 0, false, false, 0, NONE, 8 },
	{ "mov %r9d,0x10(%rdi)", M64, { 0x44, 0x89, 0x4f, 0x10 }, 4, true, 4, 9, false, false, 0, NONE, 4 },
	{ "mov %al,(%rdx)", M64, { 0x88, 0x02 }, 2, true, 1, 0, false, false, 0, NONE, 1 },
	{ "mov (%rdx),%ah", M64, { 0x8a, 0x22 }, 2, false, 1, 0, true, false, 0, NONE, 1 },
	{ "mov (%rdx),%spl", M64, { 0x40, 0x8a, 0x22 }, 3, false, 1, 4, false, false, 0, NONE, 1 },
	{ "mov %ax,(%rdi)", M64, { 0x66, 0x89, 0x07 }, 3, true, 2, 0, false, false, 0, NONE, 2 },
	{ "movl $0x12345678,0x300(%rax)", M64,
	  { 0xc7, 0x80, 0x00, 0x03, 0x00, 0x00, 0x78, 0x56, 0x34, 0x12 }, 10,
	  true, 4, 0, false, true, 0x12345678, NONE, 4 },
	{ "movq $-1,(%rax)", M64, { 0x48, 0xc7, 0x00, 0xff, 0xff, 0xff, 0xff }, 7,
	  true, 8, 0, false, true, ~0ull, NONE, 8 },
	{ "movb $5,(%rax)", M64, { 0xc6, 0x00, 0x05 }, 3, true, 1, 0, false, true, 5, NONE, 1 },
	{ "movw $0x1234,(%rax)", M64, { 0x66, 0xc7, 0x00, 0x34, 0x12 }, 5, true, 2, 0, false, true, 0x1234, NONE, 2 },
	{ "movzbl (%rdi),%eax", M64, { 0x0f, 0xb6, 0x07 }, 3, false, 1, 0, false, false, 0, ZERO, 4 },
	{ "movzwl (%rdi),%eax", M64, { 0x0f, 0xb7, 0x07 }, 3, false, 2, 0, false, false, 0, ZERO, 4 },
	{ "movsbq (%rdi),%rax", M64, { 0x48, 0x0f, 0xbe, 0x07 }, 4, false, 1, 0, false, false, 0, SIGN, 8 },
	{ "movswl (%rdi),%r10d", M64, { 0x44, 0x0f, 0xbf, 0x17 }, 4, false, 2, 10, false, false, 0, SIGN, 4 },
	{ "mov %eax,0xb0(%rax,%rcx,4)", M64, { 0x89, 0x84, 0x88, 0xb0, 0, 0, 0 }, 7, true, 4, 0, false, false, 0, NONE, 4 },
	{ "mov %eax,0xfee000b0 (SIB, no base)", M64, { 0x89, 0x04, 0x25, 0xb0, 0x00, 0xe0, 0xfe }, 7,
	  true, 4, 0, false, false, 0, NONE, 4 },
	{ "mov 0x100(%rip),%eax", M64, { 0x8b, 0x05, 0x00, 0x01, 0, 0 }, 6, false, 4, 0, false, false, 0, NONE, 4 },
	{ "mov %fs:0,%eax", M64, { 0x64, 0x8b, 0x04, 0x25, 0, 0, 0, 0 }, 8, false, 4, 0, false, false, 0, NONE, 4 },
	{ "mov (%r12),%r15", M64, { 0x4d, 0x8b, 0x3c, 0x24 }, 4, false, 8, 15, false, false, 0, NONE, 8 },
	{ "mov %ecx,0(%r13)", M64, { 0x41, 0x89, 0x4d, 0x00 }, 4, true, 4, 1, false, false, 0, NONE, 4 },
	{ "mov 8(%rbp),%edx", M64, { 0x8b, 0x55, 0x08 }, 3, false, 4, 2, false, false, 0, NONE, 4 },
	{ "movabs %eax,0xfee000b0", M64, { 0xa3, 0xb0, 0x00, 0xe0, 0xfe, 0, 0, 0, 0 }, 9,
	  true, 4, 0, false, false, 0, NONE, 4 },
	{ "movabs 0xfee00030,%rax", M64, { 0x48, 0xa1, 0x30, 0x00, 0xe0, 0xfe, 0, 0, 0, 0 }, 10,
	  false, 8, 0, false, false, 0, NONE, 8 },
	{ "addr32 mov 0xfee00030,%al", M64, { 0x67, 0xa0, 0x30, 0x00, 0xe0, 0xfe }, 6,
	  false, 1, 0, false, false, 0, NONE, 1 },
	{ "mov %eax,0xfee000b0 [32-bit]", M32, { 0xa3, 0xb0, 0x00, 0xe0, 0xfe }, 5,
	  true, 4, 0, false, false, 0, NONE, 4 },
	{ "mov %ax,0x1234 [16-bit]", M16, { 0xa3, 0x34, 0x12 }, 3, true, 2, 0, false, false, 0, NONE, 2 },
	{ "REX.W then 66: the REX is void", M64, { 0x48, 0x66, 0x89, 0x07 }, 4, true, 2, 0, false, false, 0, NONE, 2 },
	{ "addr32 mov %eax,(%edi)", M64, { 0x67, 0x89, 0x07 }, 3, true, 4, 0, false, false, 0, NONE, 4 },
	{ "mov %eax,(%edi) [32-bit]", M32, { 0x89, 0x07 }, 2, true, 4, 0, false, false, 0, NONE, 4 },
	{ "mov %ax,(%edi) [32-bit]", M32, { 0x66, 0x89, 0x07 }, 3, true, 2, 0, false, false, 0, NONE, 2 },
	{ "movl $1,0x10(%eax) [32-bit]", M32, { 0xc7, 0x40, 0x10, 1, 0, 0, 0 }, 7, true, 4, 0, false, true, 1, NONE, 4 },
	{ "mov %ax,(%bx) [16-bit]", M16, { 0x89, 0x07 }, 2, true, 2, 0, false, false, 0, NONE, 2 },
	{ "mov %ax,0x1234 via ModRM [16-bit]", M16, { 0x89, 0x06, 0x34, 0x12 }, 4, true, 2, 0, false, false, 0, NONE, 2 },
	{ "mov 0x10(%bp),%al [16-bit]", M16, { 0x8a, 0x46, 0x10 }, 3, false, 1, 0, false, false, 0, NONE, 1 },
	{ "mov %eax,(%ebx) [16-bit]", M16, { 0x67, 0x66, 0x89, 0x03 }, 4, true, 4, 0, false, false, 0, NONE, 4 },
};

TEST(every_accepted_form_decodes_as_the_assembler_encoded_it)
{
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		const struct row *r = &rows[i];
		struct mmio_insn d;
		/* Trailing bytes after the instruction must not matter. */
		uint8_t buf[X86_MAX_INSN_LEN];
		memset(buf, 0x90, sizeof buf);
		memcpy(buf, r->bytes, r->len);
		enum decode_error err = x86_decode_mmio(buf, sizeof buf, r->mode, &d);
		if (err != DECODE_OK)
			printf("# %s: %s\n", r->asm_text, decode_error_name(err));
		CHECK_EQ(err, DECODE_OK);
		CHECK_EQ(d.length, r->len);
		CHECK_EQ(d.write, r->write);
		CHECK_EQ(d.size, r->size);
		CHECK_EQ(d.has_imm, r->has_imm);
		if (r->has_imm)
			CHECK_EQ(d.imm, r->imm);
		else
			CHECK_EQ(d.reg, r->reg);
		CHECK_EQ(d.high_byte, r->high_byte);
		if (!r->write) {
			CHECK_EQ(d.extend, r->extend);
			CHECK_EQ(d.dest_size, r->dest_size);
		}
		/* Exactly the instruction's bytes are enough. */
		CHECK_EQ(x86_decode_mmio(r->bytes, r->len, r->mode, &d), DECODE_OK);
		CHECK_EQ(d.length, r->len);
	}
}

TEST(every_truncation_is_refused_as_truncated)
{
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		const struct row *r = &rows[i];
		for (unsigned n = 0; n < r->len; n++) {
			/* An exact-size heap copy: ASan catches any read past n. */
			uint8_t *p = malloc(n ? n : 1);
			memcpy(p, r->bytes, n);
			struct mmio_insn d;
			CHECK_EQ(x86_decode_mmio(p, n, r->mode, &d), DECODE_E_TRUNCATED);
			free(p);
		}
	}
}

static enum decode_error decode(enum x86_mode mode, const uint8_t *b, size_t n)
{
	struct mmio_insn d;
	return x86_decode_mmio(b, n, mode, &d);
}

TEST(the_fifteen_byte_limit_counts_prefixes)
{
	uint8_t b[20];
	struct mmio_insn d;

	/* 13 segment prefixes + 89 07 = 15 bytes: allowed. */
	memset(b, 0x3e, 13);
	b[13] = 0x89;
	b[14] = 0x07;
	CHECK_EQ(x86_decode_mmio(b, 15, M64, &d), DECODE_OK);
	CHECK_EQ(d.length, 15);
	/* 14 prefixes: 16 bytes. */
	memset(b, 0x3e, 14);
	b[14] = 0x89;
	b[15] = 0x07;
	CHECK_EQ(decode(M64, b, 16), DECODE_E_TOO_LONG);
	/* Nothing but prefixes: too long, not truncated, once 15 are seen. */
	memset(b, 0x66, sizeof b);
	CHECK_EQ(decode(M64, b, sizeof b), DECODE_E_TOO_LONG);
	/* An immediate that would end past byte 15. */
	memset(b, 0x3e, 7);
	memcpy(b + 7, "\xc7\x80\x00\x03\x00\x00\x78\x56\x34\x12", 10);
	CHECK_EQ(decode(M64, b, 17), DECODE_E_TOO_LONG);
}

TEST(other_instructions_are_refused_with_their_reason)
{
	CHECK_EQ(decode(M64, (const uint8_t *)"\xf0\x89\x07", 3), DECODE_E_LOCK_OR_REP);
	CHECK_EQ(decode(M64, (const uint8_t *)"\xf3\xa4", 2), DECODE_E_LOCK_OR_REP);     /* rep movsb */
	CHECK_EQ(decode(M64, (const uint8_t *)"\xf2\x89\x07", 3), DECODE_E_LOCK_OR_REP);
	CHECK_EQ(decode(M64, (const uint8_t *)"\x01\x07", 2), DECODE_E_UNSUPPORTED);     /* add */
	CHECK_EQ(decode(M64, (const uint8_t *)"\xa4", 1), DECODE_E_UNSUPPORTED);       /* movsb */
	CHECK_EQ(decode(M64, (const uint8_t *)"\x0f\x0b", 2), DECODE_E_UNSUPPORTED);     /* ud2 */
	CHECK_EQ(decode(M64, (const uint8_t *)"\x0f\xc7\x0f", 3), DECODE_E_UNSUPPORTED); /* cmpxchg16b */
	CHECK_EQ(decode(M64, (const uint8_t *)"\x89\xc0", 2), DECODE_E_REGISTER_OPERAND);
	CHECK_EQ(decode(M64, (const uint8_t *)"\x0f\xb6\xc0", 3), DECODE_E_REGISTER_OPERAND);
	CHECK_EQ(decode(M64, (const uint8_t *)"\xc7\x08\x01\x00\x00\x00", 6), DECODE_E_BAD_EXTENSION);
	CHECK_EQ(decode(M64, (const uint8_t *)"\xc6\x38\x01", 3), DECODE_E_BAD_EXTENSION);
	/* 0x48 is dec %eax outside 64-bit mode, not a REX. */
	CHECK_EQ(decode(M32, (const uint8_t *)"\x48\x89\x07", 3), DECODE_E_UNSUPPORTED);
	CHECK_EQ(decode(M64, (const uint8_t *)"\x89", 1), DECODE_E_TRUNCATED);
	CHECK_EQ(decode(M64, (const uint8_t *)"\x0f", 1), DECODE_E_TRUNCATED);
	CHECK_EQ(decode(M64, (const uint8_t *)"", 0), DECODE_E_TRUNCATED);
}

TEST(error_names_cover_every_value)
{
	for (int e = 0; e < DECODE_E_COUNT; e++)
		CHECK(strcmp(decode_error_name(e), "unknown decode error") != 0);
	CHECK_STR_EQ(decode_error_name(DECODE_E_COUNT), "unknown decode error");
	CHECK_STR_EQ(decode_error_name(-1), "unknown decode error");
}

TEST(random_bytes_never_overrun_or_overclaim)
{
	uint64_t rng = 0x5eed1234;
	for (unsigned round = 0; round < 200000; round++) {
		size_t n = test_rng_next(&rng) % 17;
		uint8_t *p = malloc(n ? n : 1);
		for (size_t i = 0; i < n; i++) {
			/* Bias toward the accepted opcodes and prefixes. */
			static const uint8_t likely[] = { 0x88, 0x89, 0x8a, 0x8b, 0xc6, 0xc7, 0x0f, 0xb6,
			                                  0xbf, 0x66, 0x67, 0x48, 0x41, 0x3e, 0x04, 0x25 };
			p[i] = (test_rng_next(&rng) & 1) ? likely[test_rng_next(&rng) % sizeof likely]
			                               : (uint8_t)test_rng_next(&rng);
		}
		struct mmio_insn d;
		enum x86_mode mode = (enum x86_mode)(test_rng_next(&rng) % 3);
		enum decode_error err = x86_decode_mmio(p, n, mode, &d);
		CHECK(err >= DECODE_OK && err < DECODE_E_COUNT);
		if (err == DECODE_OK) {
			CHECK(d.length >= 2 && d.length <= n && d.length <= X86_MAX_INSN_LEN);
			CHECK(d.size == 1 || d.size == 2 || d.size == 4 || d.size == 8);
			CHECK(d.reg < 16);
		}
		free(p);
	}
}
