/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A bounded first-in first-out byte queue for input that must not be
 * reordered or silently corrupted (console keystrokes): when it is full,
 * new bytes are refused and counted, never written over old ones, so what
 * a reader gets is always a prefix-preserving subsequence of what arrived
 * and the reader can be told how much was lost.
 *
 * Pure; not internally locked (one CPU fills and drains it).
 */
#ifndef LIB_BYTE_FIFO_H
#define LIB_BYTE_FIFO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct byte_fifo {
	uint8_t *buf;
	size_t   cap;        /* bytes of buf, >= 1 */
	uint64_t head;       /* bytes ever taken out */
	uint64_t tail;       /* bytes ever put in; tail - head <= cap */
	uint64_t dropped;    /* bytes refused because the queue was full */
};

void byte_fifo_init(struct byte_fifo *f, uint8_t *buf, size_t cap);

/* Appends c; returns false (and counts it in dropped) if the queue is full. */
bool byte_fifo_put(struct byte_fifo *f, uint8_t c);

/* Moves up to max of the oldest bytes to out; returns how many. */
size_t byte_fifo_take(struct byte_fifo *f, uint8_t *out, size_t max);

/* Bytes waiting. */
size_t byte_fifo_len(const struct byte_fifo *f);

#endif
