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
static bool queued;             /* lines wait for log_console_poll */
static uint64_t console_from;   /* ring position of the last hand-over */
/* How far the console has the ring: sent to COM1 by the kernel, or read
 * by the console's owner. What lies beyond is the backlog. */
static uint64_t shown;

/*
 * Sends the ring from `shown` to COM1: all of it, waiting for the line, or
 * what the UART has room for now. Returns true if bytes remain.
 */
static bool send_ring(bool wait)
{
	char out[64];
	uint64_t lost = 0, skipped;

	while (shown < ring.written) {
		size_t n, room = wait ? sizeof(out) : arch_console_tx_room();
		if (room > sizeof(out))
			room = sizeof(out);
		if (wait) {
			n = log_ring_read(&ring, &shown, out, room, &skipped);
			arch_console_write(out, n);
		} else {
			n = log_ring_read_crlf(&ring, &shown, out, room, &skipped);
			arch_console_put_raw(out, n);
		}
		lost += skipped;
		if (!n && room == 1) {
			/* A UART without a FIFO has no room for "\r\n" at
			 * once: the pair waits one byte time. */
			arch_console_write("\n", 1);
			shown++;
		} else if (!n) {
			break;
		}
	}
	if (lost)
		kprintf("bulkhead: %llu log bytes were overwritten before COM1 could send them\n",
		        (unsigned long long)lost);
	return shown < ring.written;
}

/* Everything not yet on COM1, the owner's queued output first. */
static void send_all(void)
{
	console_out_flush();
	send_ring(true);
}

static void log_write(const char *line, size_t len)
{
	log_ring_write(&ring, line, len);
	if (console_given)
		return;   /* the owner reads the ring */
	if (queued)
		log_console_poll();
	else
		send_all();
}

/* Formats one line into line[LOG_LINE_MAX]; returns its length, or -1. */
static int format_line(char *line, const char *fmt, va_list ap)
{
	int n = bh_vsnprintf(line, LOG_LINE_MAX, fmt, ap);

	if (n >= LOG_LINE_MAX) {
		/* Mark the cut so a truncated line is never mistaken for whole. */
		memcpy(line + LOG_LINE_MAX - 5, "...\n", 5);
		n = LOG_LINE_MAX - 1;
	}
	return n;
}

void kvprintf(const char *fmt, va_list ap)
{
	char line[LOG_LINE_MAX];
	int n = format_line(line, fmt, ap);

	if (n >= 0)
		log_write(line, (size_t)n);
}

void kprintf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	kvprintf(fmt, ap);
	va_end(ap);
}

bool log_vm_room(uint64_t len)
{
	return ring.written - shown + len <= LOG_VM_BACKLOG_MAX;
}

bool log_vm_printf(const char *fmt, ...)
{
	char line[LOG_LINE_MAX];
	va_list ap;

	va_start(ap, fmt);
	int n = format_line(line, fmt, ap);
	va_end(ap);
	if (n < 0 || !log_vm_room((uint64_t)n))
		return false;
	log_write(line, (size_t)n);
	return true;
}

void log_console_queue(void)
{
	queued = true;
}

bool log_console_poll(void)
{
	if (console_out_poll())
		return true;   /* the owner's bytes go out before the ring's */
	return !console_given && send_ring(false);
}

void log_console_sync(void)
{
	console_given = false;
	queued = false;
	send_all();
}

void log_console_give(void)
{
	send_all();   /* the new owner starts where COM1 stopped */
	console_given = true;
	console_from = shown = ring.written;
}

void log_console_take_back(void)
{
	console_given = false;
}

bool log_console_owned(void)
{
	return console_given;
}

void log_console_owner_read(uint64_t cursor)
{
	if (console_given && cursor > shown)
		shown = cursor < ring.written ? cursor : ring.written;
}

uint64_t log_console_from(void)
{
	return console_from;
}

const struct log_ring *log_ring(void)
{
	return &ring;
}
