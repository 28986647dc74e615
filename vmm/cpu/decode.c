/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The MMIO instruction decoder (contract in decode.h). Encodings: SDM
 * Vol. 2A chapter 2 (prefixes, REX, ModRM and SIB, Tables 2-1 to 2-3) and
 * the MOV, MOVZX and MOVSX pages of Vol. 2B.
 */
#include "cpu/decode.h"

/* A cursor over the instruction's bytes that knows both limits. */
struct cursor {
	const uint8_t *bytes;
	size_t len;
	size_t pos;
	enum decode_error err;
};

/* True if n more bytes can be taken; otherwise records why not. The
 * 15-byte limit wins over truncation: such an instruction can never be
 * completed by more bytes. */
static bool need(struct cursor *c, size_t n)
{
	if (c->err)
		return false;
	if (c->pos + n > X86_MAX_INSN_LEN) {
		c->err = DECODE_E_TOO_LONG;
		return false;
	}
	if (c->pos + n > c->len) {
		c->err = DECODE_E_TRUNCATED;
		return false;
	}
	return true;
}

static uint64_t take(struct cursor *c, size_t n)
{
	uint64_t v = 0;

	if (!need(c, n))
		return 0;
	for (size_t i = 0; i < n; i++)
		v |= (uint64_t)c->bytes[c->pos + i] << (8 * i);
	c->pos += n;
	return v;
}

/* Skips the memory operand after ModRM: SIB and displacement. Returns
 * false (with c->err set) if the bytes run out or the operand is a
 * register. */
static bool skip_memory_operand(struct cursor *c, uint8_t modrm, unsigned addr_size)
{
	unsigned mod = modrm >> 6, rm = modrm & 7;

	if (mod == 3) {
		c->err = DECODE_E_REGISTER_OPERAND;
		return false;
	}
	if (addr_size == 2) {
		/* 16-bit forms: no SIB; [disp16] replaces [bp] at mod 0. */
		if (mod == 1)
			take(c, 1);
		else if (mod == 2 || (mod == 0 && rm == 6))
			take(c, 2);
		return c->err == DECODE_OK;
	}
	if (rm == 4) {
		uint8_t sib = (uint8_t)take(c, 1);
		if (c->err)
			return false;
		if (mod == 0 && (sib & 7) == 5)
			take(c, 4);   /* no base: disp32 */
	} else if (mod == 0 && rm == 5) {
		take(c, 4);           /* disp32, or rip-relative in 64-bit mode */
	}
	if (mod == 1)
		take(c, 1);
	else if (mod == 2)
		take(c, 4);
	return c->err == DECODE_OK;
}

static uint64_t sign_extend(uint64_t v, unsigned from_bytes)
{
	unsigned shift = 64 - 8 * from_bytes;

	return (uint64_t)((int64_t)(v << shift) >> shift);
}

enum decode_error x86_decode_mmio(const uint8_t *bytes, size_t len, enum x86_mode mode,
                                  struct mmio_insn *out)
{
	struct cursor c = { .bytes = bytes, .len = len };
	bool opsize_prefix = false, addrsize_prefix = false;
	uint8_t rex = 0, op;

	/* Prefixes, in any order; a REX counts only right before the opcode. */
	for (;;) {
		if (!need(&c, 1))
			return c.err;
		op = bytes[c.pos];
		if (op == 0x66) {
			opsize_prefix = true;
		} else if (op == 0x67) {
			addrsize_prefix = true;
		} else if (op == 0x26 || op == 0x2e || op == 0x36 || op == 0x3e ||
		           op == 0x64 || op == 0x65) {
			/* segment override: the exit's gpa already accounts for it */
		} else if (op == 0xf0 || op == 0xf2 || op == 0xf3) {
			return DECODE_E_LOCK_OR_REP;
		} else if (mode == X86_MODE_64 && (op & 0xf0) == 0x40) {
			c.pos++;
			rex = op;
			continue;
		} else {
			break;
		}
		rex = 0;   /* a legacy prefix after a REX makes the REX void */
		c.pos++;
	}
	c.pos++;   /* the opcode byte */

	unsigned opsize, addr_size;
	if (mode == X86_MODE_64) {
		opsize = (rex & 0x08) ? 8 : opsize_prefix ? 2 : 4;
		addr_size = addrsize_prefix ? 4 : 8;
	} else if (mode == X86_MODE_32) {
		opsize = opsize_prefix ? 2 : 4;
		addr_size = addrsize_prefix ? 2 : 4;
	} else {
		opsize = opsize_prefix ? 4 : 2;
		addr_size = addrsize_prefix ? 4 : 2;
	}

	struct mmio_insn d = { .extend = MMIO_EXTEND_NONE };
	bool byte_op = false, has_reg = true;
	switch (op) {
	case 0x88: d.write = true; byte_op = true; break;
	case 0x89: d.write = true; break;
	case 0x8a: byte_op = true; break;
	case 0x8b: break;
	case 0xc6: d.write = true; byte_op = true; d.has_imm = true; has_reg = false; break;
	case 0xc7: d.write = true; d.has_imm = true; has_reg = false; break;
	case 0xa0: case 0xa1: case 0xa2: case 0xa3: {
		/* mov between al/ax/eax/rax and an absolute address (moffs):
		 * no ModRM, the address is as wide as the address size. */
		d.write = op >= 0xa2;
		d.size = (op & 1) ? opsize : 1;
		d.dest_size = d.size;
		d.reg = 0;
		take(&c, addr_size);
		if (c.err)
			return c.err;
		d.length = (unsigned)c.pos;
		*out = d;
		return DECODE_OK;
	}
	case 0x0f: {
		uint8_t op2 = (uint8_t)take(&c, 1);
		if (c.err)
			return c.err;
		if (op2 != 0xb6 && op2 != 0xb7 && op2 != 0xbe && op2 != 0xbf)
			return DECODE_E_UNSUPPORTED;
		d.extend = (op2 & 0x08) ? MMIO_EXTEND_SIGN : MMIO_EXTEND_ZERO;
		d.size = (op2 & 1) ? 2 : 1;
		d.dest_size = opsize;
		break;
	}
	default:
		return DECODE_E_UNSUPPORTED;
	}

	uint8_t modrm = (uint8_t)take(&c, 1);
	if (c.err)
		return c.err;
	unsigned reg = (modrm >> 3) & 7;
	if (!has_reg && reg != 0)
		return DECODE_E_BAD_EXTENSION;
	if (!skip_memory_operand(&c, modrm, addr_size))
		return c.err;

	if (d.extend == MMIO_EXTEND_NONE) {
		d.size = byte_op ? 1 : opsize;
		d.dest_size = d.size;
	}
	if (has_reg) {
		d.reg = reg | ((rex & 0x04) ? 8 : 0);
		/* Without any REX, byte registers 4-7 are the high bytes. */
		if (byte_op && !rex && reg >= 4) {
			d.high_byte = true;
			d.reg = reg - 4;
		}
	}
	if (d.has_imm) {
		unsigned imm_bytes = d.size == 8 ? 4 : d.size;
		d.imm = take(&c, imm_bytes);
		if (c.err)
			return c.err;
		if (d.size == 8)
			d.imm = sign_extend(d.imm, 4);
	}
	d.length = (unsigned)c.pos;
	*out = d;
	return DECODE_OK;
}

const char *decode_error_name(int err)
{
	switch (err) {
	case DECODE_OK: return "decoded";
	case DECODE_E_TRUNCATED: return "the instruction runs past the bytes that could be read";
	case DECODE_E_TOO_LONG: return "longer than 15 bytes";
	case DECODE_E_LOCK_OR_REP: return "a LOCK or REP prefix: not a plain mov";
	case DECODE_E_UNSUPPORTED: return "not a mov, movzx or movsx the monitor emulates";
	case DECODE_E_REGISTER_OPERAND: return "the r/m operand is a register, not memory";
	case DECODE_E_BAD_EXTENSION: return "C6/C7 with a ModRM.reg other than 0";
	default: return "unknown decode error";
	}
}
