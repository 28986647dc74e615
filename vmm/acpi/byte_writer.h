/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A bounded, append-only byte writer over a caller's buffer, for building
 * firmware tables byte by byte in little-endian order. Writing past the
 * end never touches memory: it sets `overflow` and drops the bytes, so a
 * builder can write a whole table and check once at the end.
 */
#ifndef VMM_ACPI_BYTE_WRITER_H
#define VMM_ACPI_BYTE_WRITER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct byte_writer {
	uint8_t *buf;
	size_t cap;
	size_t len;       /* bytes written so far, <= cap */
	bool overflow;    /* a write did not fit; buf[len..cap) untouched */
};

static inline void bw_init(struct byte_writer *w, uint8_t *buf, size_t cap)
{
	w->buf = buf;
	w->cap = cap;
	w->len = 0;
	w->overflow = false;
}

/* True if n more bytes fit; sets overflow otherwise. */
static inline bool bw_room(struct byte_writer *w, size_t n)
{
	if (w->overflow || n > w->cap - w->len) {
		w->overflow = true;
		return false;
	}
	return true;
}

/* Appends the low `bytes` bytes of v, least significant first. */
static inline void bw_le(struct byte_writer *w, uint64_t v, unsigned bytes)
{
	if (!bw_room(w, bytes))
		return;
	for (unsigned i = 0; i < bytes; i++)
		w->buf[w->len++] = (uint8_t)(v >> (8 * i));
}

static inline void bw_u8(struct byte_writer *w, uint8_t v)   { bw_le(w, v, 1); }
static inline void bw_u16(struct byte_writer *w, uint16_t v) { bw_le(w, v, 2); }
static inline void bw_u32(struct byte_writer *w, uint32_t v) { bw_le(w, v, 4); }
static inline void bw_u64(struct byte_writer *w, uint64_t v) { bw_le(w, v, 8); }

static inline void bw_bytes(struct byte_writer *w, const void *p, size_t n)
{
	if (!bw_room(w, n))
		return;
	for (size_t i = 0; i < n; i++)
		w->buf[w->len++] = ((const uint8_t *)p)[i];
}

/* Appends zero bytes until len is a multiple of align (a power of two). */
static inline void bw_align(struct byte_writer *w, size_t align)
{
	while (!w->overflow && (w->len & (align - 1)) != 0)
		bw_u8(w, 0);
}

/* Stores v little-endian at an offset already written (a field filled in
 * once its value is known, such as a table length). */
static inline void bw_patch_le(struct byte_writer *w, size_t at, uint64_t v, unsigned bytes)
{
	if (w->overflow || at > w->len || bytes > w->len - at)
		return;
	for (unsigned i = 0; i < bytes; i++)
		w->buf[at + i] = (uint8_t)(v >> (8 * i));
}

#endif
