/* SPDX-License-Identifier: GPL-2.0-only */
#include "kernel/console_out.h"

#include <stdint.h>

#include "arch/console.h"
#include "lib/byte_fifo.h"

/* Polls without progress after which the UART counts as gone and the
 * queue is dropped: a transmitter that never empties must not hang the
 * kernel (one byte takes ~87 us; a poll is an I/O read). */
#define STALL_LIMIT 1000000

static uint8_t storage[CONSOLE_OUT_SIZE];
static struct byte_fifo queue = { storage, sizeof(storage), 0, 0, 0 };

/* Moves what fits now; returns how many bytes moved. */
static size_t drain_once(void)
{
	char chunk[64];
	size_t room = arch_console_tx_room();
	size_t n = byte_fifo_take(&queue, (uint8_t *)chunk,
	                          room < sizeof(chunk) ? room : sizeof(chunk));
	arch_console_put_raw(chunk, n);
	return n;
}

bool console_out_poll(void)
{
	if (!byte_fifo_len(&queue))
		return false;   /* the common case, on every scheduler pass: no I/O */
	drain_once();
	return byte_fifo_len(&queue) != 0;
}

void console_out_flush(void)
{
	for (unsigned stalled = 0; byte_fifo_len(&queue); ) {
		if (drain_once())
			stalled = 0;
		else if (++stalled == STALL_LIMIT)
			byte_fifo_init(&queue, storage, sizeof(storage));
	}
}

size_t console_out_write(const char *s, size_t len)
{
	size_t i;

	console_out_poll();
	for (i = 0; i < len; i++) {
		size_t need = s[i] == '\n' ? 2 : 1;
		if (queue.cap - byte_fifo_len(&queue) < need)
			break;   /* full: the writer comes back later, nobody spins */
		if (s[i] == '\n')
			byte_fifo_put(&queue, '\r');
		byte_fifo_put(&queue, (uint8_t)s[i]);
	}
	console_out_poll();
	return i;
}
