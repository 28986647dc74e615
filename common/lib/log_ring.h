/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A byte ring that keeps the most recent part of the kernel log for later
 * readers (the control VM's `log` command). Writers never block and never
 * fail: the oldest bytes are overwritten. Readers hold an absolute cursor
 * (bytes since boot), so a reader that fell behind learns how much it lost
 * instead of reading torn data.
 *
 * Not internally locked: the kernel serialises writers with its log lock.
 */
#ifndef LIB_LOG_RING_H
#define LIB_LOG_RING_H

#include <stddef.h>
#include <stdint.h>

/*
 * Set up as { buf, cap, 0 }, an empty ring: buf must hold
 * cap >= 1 bytes and outlive the ring.
 */
struct log_ring {
	char    *buf;
	size_t   cap;        /* bytes of buf; any size >= 1 */
	uint64_t written;    /* total bytes ever written (the head cursor) */
};

void log_ring_write(struct log_ring *r, const char *data, size_t len);

/* Oldest cursor still held in the ring. */
uint64_t log_ring_oldest(const struct log_ring *r);

/*
 * Copies up to max bytes starting at *cursor into out and advances *cursor.
 * If *cursor is older than log_ring_oldest(), it first jumps forward and
 * *lost (if not NULL) receives how many bytes were skipped, else 0.
 * A cursor beyond the head is clamped to the head. Returns bytes copied.
 */
size_t log_ring_read(const struct log_ring *r, uint64_t *cursor,
                     char *out, size_t max, uint64_t *lost);

/*
 * As log_ring_read, for a serial line: each "\n" comes out as "\r\n", and
 * at most room bytes come out, never half a pair. *cursor advances past
 * the log bytes taken. Returns the bytes written to out (which holds room).
 */
size_t log_ring_read_crlf(const struct log_ring *r, uint64_t *cursor,
                          char *out, size_t room, uint64_t *lost);

#endif
