/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * AML encoding (contracts in aml.h). Opcodes and descriptor layouts are
 * those of ACPI 6.x §20.2 (AML grammar) and §6.4 (resource descriptors).
 */
#include <stdbool.h>

#include "acpi/aml.h"

#define AML_ZERO_OP        0x00
#define AML_ONE_OP         0x01
#define AML_NAME_OP        0x08
#define AML_BYTE_PREFIX    0x0a
#define AML_WORD_PREFIX    0x0b
#define AML_DWORD_PREFIX   0x0c
#define AML_STRING_PREFIX  0x0d
#define AML_QWORD_PREFIX   0x0e
#define AML_SCOPE_OP       0x10
#define AML_PACKAGE_OP     0x12
#define AML_BUFFER_OP      0x11
#define AML_EXT_OP_PREFIX  0x5b
#define AML_DEVICE_OP      0x82   /* after AML_EXT_OP_PREFIX */
#define AML_ROOT_CHAR      '\\'

/* Resource descriptor tags: small items carry their length in the low
 * three bits, large items in a 16-bit field after the tag. */
#define RES_IRQ_NOFLAGS    0x22   /* small item 0x04, 2 bytes */
#define RES_IO             0x47   /* small item 0x08, 7 bytes */
#define RES_END_TAG        0x79   /* small item 0x0f, 1 byte */
#define RES_MEM32_FIXED    0x86
#define RES_DWORD_ADDRESS  0x87
#define RES_WORD_ADDRESS   0x88
#define RES_EXT_INTERRUPT  0x89

/* Address space descriptors (§6.4.3.5): the resource type, and the
 * general flags of a fixed-size window a bridge produces. Bit 0 clear is
 * ResourceProducer and bit 1 clear positive decode; bits 2 and 3 say the
 * minimum and maximum are fixed. */
#define ADDR_TYPE_MEMORY   0
#define ADDR_TYPE_BUS      2
#define ADDR_PRODUCER_FIXED 0x0c
#define ADDR_MEM_READ_WRITE 0x01   /* memory type flags: non-cacheable, read-write */

/* PkgLength counts its own bytes too, and has 1 to 4 of them (§20.2.4). */
#define PKG_LENGTH_MAX     (1u << 28)

/* Inserts n bytes at mark, moving what follows mark up. */
static void insert_at(struct byte_writer *w, size_t mark, const uint8_t *bytes, size_t n)
{
	if (mark > w->len || !bw_room(w, n))
		return;
	for (size_t i = w->len; i > mark; i--)
		w->buf[i - 1 + n] = w->buf[i - 1];
	for (size_t i = 0; i < n; i++)
		w->buf[mark + i] = bytes[i];
	w->len += n;
}

/* The PkgLength bytes for a package whose contents after it are n bytes
 * long; returns how many (0 if too long, which sets nothing). */
static size_t encode_pkg_length(size_t n, uint8_t out[4])
{
	if (n + 1 < 0x40) {
		out[0] = (uint8_t)(n + 1);
		return 1;
	}
	for (size_t follow = 1; follow <= 3; follow++) {
		size_t total = n + 1 + follow;
		if (total < ((size_t)1 << (4 + 8 * follow)) && total < PKG_LENGTH_MAX) {
			out[0] = (uint8_t)(follow << 6 | (total & 0xf));
			for (size_t i = 1; i <= follow; i++)
				out[i] = (uint8_t)(total >> (4 + 8 * (i - 1)));
			return follow + 1;
		}
	}
	return 0;
}

void aml_pkg_end(struct byte_writer *w, size_t mark)
{
	uint8_t len[4];
	if (w->overflow || mark > w->len)
		return;
	size_t n = encode_pkg_length(w->len - mark, len);
	if (n == 0) {
		w->overflow = true;
		return;
	}
	insert_at(w, mark, len, n);
}

static bool is_name_char(char c, bool first)
{
	return c == '_' || (c >= 'A' && c <= 'Z') || (!first && c >= '0' && c <= '9');
}

/* A NameSeg is exactly four lead/name characters; a malformed one is the
 * builder's bug, written as "____" so the table stays parseable. */
static void nameseg(struct byte_writer *w, const char *seg)
{
	for (unsigned i = 0; i < 4; i++) {
		if (!is_name_char(seg[i], i == 0)) {   /* stops at a NUL too */
			bw_bytes(w, "____", 4);
			return;
		}
	}
	bw_bytes(w, seg, 4);
}

static void integer(struct byte_writer *w, uint64_t v)
{
	if (v == 0) {
		bw_u8(w, AML_ZERO_OP);
	} else if (v == 1) {
		bw_u8(w, AML_ONE_OP);
	} else if (v <= 0xff) {
		bw_u8(w, AML_BYTE_PREFIX);
		bw_u8(w, (uint8_t)v);
	} else if (v <= 0xffff) {
		bw_u8(w, AML_WORD_PREFIX);
		bw_u16(w, (uint16_t)v);
	} else if (v <= 0xffffffffu) {
		bw_u8(w, AML_DWORD_PREFIX);
		bw_u32(w, (uint32_t)v);
	} else {
		bw_u8(w, AML_QWORD_PREFIX);
		bw_u64(w, v);
	}
}

size_t aml_scope_begin(struct byte_writer *w, const char *root_seg)
{
	bw_u8(w, AML_SCOPE_OP);
	size_t mark = w->len;
	bw_u8(w, AML_ROOT_CHAR);
	nameseg(w, root_seg);
	return mark;
}

size_t aml_device_begin(struct byte_writer *w, const char *seg)
{
	bw_u8(w, AML_EXT_OP_PREFIX);
	bw_u8(w, AML_DEVICE_OP);
	size_t mark = w->len;
	nameseg(w, seg);
	return mark;
}

void aml_name_integer(struct byte_writer *w, const char *seg, uint64_t v)
{
	bw_u8(w, AML_NAME_OP);
	nameseg(w, seg);
	integer(w, v);
}

void aml_name_string(struct byte_writer *w, const char *seg, const char *text)
{
	bw_u8(w, AML_NAME_OP);
	nameseg(w, seg);
	bw_u8(w, AML_STRING_PREFIX);
	for (const char *c = text; *c; c++)
		bw_u8(w, (*c >= 0x20 && *c < 0x7f) ? (uint8_t)*c : '?');
	bw_u8(w, 0);
}

void aml_name_package(struct byte_writer *w, const char *seg, const uint64_t *v, unsigned n)
{
	bw_u8(w, AML_NAME_OP);
	nameseg(w, seg);
	bw_u8(w, AML_PACKAGE_OP);
	size_t mark = w->len;
	bw_u8(w, (uint8_t)(n > 255 ? 255 : n));   /* NumElements */
	for (unsigned i = 0; i < n && i < 255; i++)
		integer(w, v[i]);
	aml_pkg_end(w, mark);
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

uint32_t aml_eisaid(const char *id)
{
	uint32_t letters = 0, product = 0;
	for (unsigned i = 0; i < 3; i++) {
		if (id[i] < 'A' || id[i] > 'Z')
			return 0;
		letters = letters << 5 | (uint32_t)(id[i] - 0x40);
	}
	for (unsigned i = 3; i < 7; i++) {
		int d = hex_digit(id[i]);
		if (d < 0)
			return 0;
		product = product << 4 | (uint32_t)d;
	}
	if (id[7] != '\0')
		return 0;
	/* The ID is stored big-endian: letters' high byte first, then the
	 * product number's, so as a little-endian DWord it reads swapped. */
	uint32_t be = letters << 16 | product;
	return (be >> 24) | ((be >> 8) & 0xff00) | ((be << 8) & 0xff0000) | (be << 24);
}

void aml_name_eisaid(struct byte_writer *w, const char *seg, const char *id)
{
	bw_u8(w, AML_NAME_OP);
	nameseg(w, seg);
	bw_u8(w, AML_DWORD_PREFIX);
	bw_u32(w, aml_eisaid(id));
}

size_t aml_name_resources_begin(struct byte_writer *w, const char *seg)
{
	bw_u8(w, AML_NAME_OP);
	nameseg(w, seg);
	bw_u8(w, AML_BUFFER_OP);
	return w->len;
}

void aml_resources_end(struct byte_writer *w, size_t mark)
{
	bw_u8(w, RES_END_TAG);
	bw_u8(w, 0);   /* checksum 0: "treat as correct" (§6.4.2.9) */
	if (w->overflow || mark > w->len)
		return;
	/* BufferSize comes before the bytes; encode it, then slide it in. */
	uint8_t size[9];
	struct byte_writer sw;
	bw_init(&sw, size, sizeof size);
	integer(&sw, w->len - mark);
	insert_at(w, mark, size, sw.len);
	aml_pkg_end(w, mark);
}

void aml_res_io(struct byte_writer *w, uint16_t port, uint8_t len)
{
	bw_u8(w, RES_IO);
	bw_u8(w, 1);       /* decodes all 16 address bits */
	bw_u16(w, port);   /* minimum base */
	bw_u16(w, port);   /* maximum base: fixed */
	bw_u8(w, 1);       /* alignment */
	bw_u8(w, len);
}

void aml_res_irq_noflags(struct byte_writer *w, unsigned irq)
{
	bw_u8(w, RES_IRQ_NOFLAGS);
	bw_u16(w, irq < 16 ? (uint16_t)(1u << irq) : 0);
}

void aml_res_mem32_fixed(struct byte_writer *w, uint32_t base, uint32_t len)
{
	bw_u8(w, RES_MEM32_FIXED);
	bw_u16(w, 9);      /* bytes after the length field */
	bw_u8(w, 1);       /* read-write */
	bw_u32(w, base);
	bw_u32(w, len);
}

void aml_res_word_bus_number(struct byte_writer *w, uint16_t min, uint16_t max)
{
	bw_u8(w, RES_WORD_ADDRESS);
	bw_u16(w, 13);     /* bytes after the length field */
	bw_u8(w, ADDR_TYPE_BUS);
	bw_u8(w, ADDR_PRODUCER_FIXED);
	bw_u8(w, 0);       /* no type-specific flags for bus numbers */
	bw_u16(w, 0);      /* granularity */
	bw_u16(w, min);
	bw_u16(w, max);
	bw_u16(w, 0);      /* translation offset */
	bw_u16(w, (uint16_t)(max - min + 1));
}

void aml_res_dword_memory(struct byte_writer *w, uint32_t min, uint32_t max)
{
	bw_u8(w, RES_DWORD_ADDRESS);
	bw_u16(w, 23);
	bw_u8(w, ADDR_TYPE_MEMORY);
	bw_u8(w, ADDR_PRODUCER_FIXED);
	bw_u8(w, ADDR_MEM_READ_WRITE);
	bw_u32(w, 0);
	bw_u32(w, min);
	bw_u32(w, max);
	bw_u32(w, 0);
	bw_u32(w, max - min + 1);
}

void aml_res_interrupt(struct byte_writer *w, uint32_t gsi, int edge)
{
	bw_u8(w, RES_EXT_INTERRUPT);
	bw_u16(w, 6);      /* flags, count, one 32-bit interrupt number */
	/* bit 0 consumer, bit 1 edge (else level); active-high and exclusive
	 * are the zero values of bits 2 and 3. */
	bw_u8(w, (uint8_t)(1u | (edge ? 2u : 0u)));
	bw_u8(w, 1);
	bw_u32(w, gsi);
}
