/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The kernel log ring (contract: lib/log_ring.h). Byte n of the log (counted
 * from boot) lives at buf[n % cap] until byte n + cap overwrites it, so the
 * ring needs no head or tail besides the total written.
 */
#include "lib/log_ring.h"
#include "lib/string.h"

/* Only the last cap bytes of a long write can survive, so only they are
 * copied; the skipped ones still count towards written. */
void log_ring_write(struct log_ring *r, const char *data, size_t len)
{
	if (len > r->cap) {
		r->written += len - r->cap;
		data += len - r->cap;
		len = r->cap;
	}
	while (len) {
		size_t pos = (size_t)(r->written % r->cap);
		size_t n = r->cap - pos;
		if (n > len)
			n = len;
		memcpy(r->buf + pos, data, n);
		r->written += n;
		data += n;
		len -= n;
	}
}

uint64_t log_ring_oldest(const struct log_ring *r)
{
	return r->written > r->cap ? r->written - r->cap : 0;
}

/* out must hold max bytes; nothing is NUL-terminated. */
size_t log_ring_read(const struct log_ring *r, uint64_t *cursor,
                     char *out, size_t max, uint64_t *lost)
{
	uint64_t oldest = log_ring_oldest(r);
	uint64_t skipped = 0;

	if (*cursor > r->written)
		*cursor = r->written;
	if (*cursor < oldest) {
		skipped = oldest - *cursor;
		*cursor = oldest;
	}
	if (lost)
		*lost = skipped;

	uint64_t avail = r->written - *cursor;   /* <= cap */
	size_t want = avail < max ? (size_t)avail : max;
	size_t done = 0;
	while (done < want) {
		size_t pos = (size_t)(*cursor % r->cap);
		size_t n = r->cap - pos;
		if (n > want - done)
			n = want - done;
		memcpy(out + done, r->buf + pos, n);
		*cursor += n;
		done += n;
	}
	return done;
}

size_t log_ring_read_crlf(const struct log_ring *r, uint64_t *cursor,
                          char *out, size_t room, uint64_t *lost)
{
	/* Read as many log bytes as could fit with no "\n" among them, keep
	 * those that fit once each "\n" takes two, and widen them in place
	 * from the end; the cursor goes back over the rest. */
	size_t n = log_ring_read(r, cursor, out, room, lost);
	size_t keep = 0, used = 0;

	while (keep < n && used + (out[keep] == '\n' ? 2 : 1) <= room)
		used += out[keep++] == '\n' ? 2 : 1;
	*cursor -= n - keep;
	for (size_t from = keep, to = used; from > 0; ) {
		char c = out[--from];
		out[--to] = c;
		if (c == '\n')
			out[--to] = '\r';
	}
	return used;
}
