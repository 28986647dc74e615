/* SPDX-License-Identifier: GPL-2.0-only */
#include "kernel/console_in.h"

#include "arch/console.h"
#include "kernel/log.h"
#include "lib/byte_fifo.h"

static uint8_t storage[CONSOLE_IN_SIZE];
static struct byte_fifo queue = { storage, sizeof(storage), 0, 0, 0 };
static uint64_t dropped_reported;

bool console_in_active(void)
{
	return log_console_owned();
}

void console_in_poll(void)
{
	/* Bounded: a UART that never runs dry (stuck line) cannot hold the CPU. */
	for (int i = 0, c; i < CONSOLE_IN_SIZE && (c = arch_console_getc()) >= 0; i++)
		byte_fifo_put(&queue, (uint8_t)c);
}

size_t console_in_read(char *out, size_t max)
{
	console_in_poll();
	if (queue.dropped != dropped_reported) {
		kprintf("console: %llu typed bytes were lost: the input queue was full\n",
		        (unsigned long long)(queue.dropped - dropped_reported));
		dropped_reported = queue.dropped;
	}
	return byte_fifo_take(&queue, (uint8_t *)out, max);
}
