/* SPDX-License-Identifier: GPL-2.0-only */
#include "kernel/log.h"

#include <stdbool.h>

#include "arch/console.h"
#include "kernel/console_out.h"
#include "lib/format.h"
#include "lib/string.h"

static char ring_storage[LOG_RING_SIZE];
static struct log_ring ring = { ring_storage, sizeof(ring_storage), 0 };
static bool console_given;
static uint64_t console_from;   /* ring position of the last hand-over */

void log_console_give(void)
{
	console_given = true;
	console_from = ring.written;
}

bool log_console_owned(void)
{
	return console_given;
}

uint64_t log_console_from(void)
{
	return console_from;
}

void log_console_take_back(void)
{
	console_out_flush();   /* the owner's last words go out first */
	console_given = false;
}

void kvprintf(const char *fmt, va_list ap)
{
	char line[LOG_LINE_MAX];
	int n = bh_vsnprintf(line, sizeof(line), fmt, ap);
	size_t len;

	if (n < 0)
		return;
	if ((size_t)n >= sizeof(line)) {
		/* Mark the cut so a truncated line is never mistaken for whole. */
		memcpy(line + sizeof(line) - 5, "...\n", 5);
		len = sizeof(line) - 1;
	} else {
		len = (size_t)n;
	}
	log_ring_write(&ring, line, len);
	if (!console_given)
		arch_console_write(line, len);
}

void kprintf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	kvprintf(fmt, ap);
	va_end(ap);
}

const struct log_ring *log_ring(void)
{
	return &ring;
}
