/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Kernel log lines to the console (contract: cli.h). Once the control VM
 * owns the console, the kernel writes its log and every other VM's output
 * ("NAME: text") only to its log ring; the CLI reads the ring with its own
 * cursor (BH_HC_LOG_READ) and shows whole lines above the prompt.
 */
#include <bulkhead/runtime.h>

#include "cli.h"

#define CHUNK 1024

static uint64_t cursor;
static bool disabled;       /* no "log" right: nothing to forward */

/* Shows a skip the ring forced on a reader that fell behind. */
static void report_lost(uint64_t lost)
{
	if (lost)
		out_printf("[log: %llu older bytes were overwritten before they "
		           "could be shown]\n", (unsigned long long)lost);
}

/* Shows whole lines; while attached, one by one (attach.c). */
static void show(const char *text, size_t len)
{
	if (!attach_active()) {
		out_write(text, len);
		return;
	}
	while (len) {
		const char *nl = memchr(text, '\n', len);
		size_t n = nl ? (size_t)(nl - text) + 1 : len;
		attach_show_line(text, n);
		text += n;
		len -= n;
	}
}

void logfwd_init(void)
{
	char none[1];

	/* Start where COM1 stopped: the kernel's hand-over position. A
	 * zero-length read turns the special cursor into a real one. */
	cursor = BH_LOG_CURSOR_CONSOLE;
	if (bh_log_read(&cursor, none, 0) < 0)
		disabled = true;
}

bool logfwd_forward(void)
{
	char chunk[CHUNK];
	bool shown = false;

	while (!disabled) {
		uint64_t before = cursor;
		int64_t n = bh_log_read(&cursor, chunk, sizeof(chunk));
		if (n <= 0)
			break;
		uint64_t from = cursor - (uint64_t)n;
		/* Whole lines only: the rest is read again next time, unless a
		 * line fills the whole chunk. */
		size_t end = (size_t)n;
		while (end && chunk[end - 1] != '\n')
			end--;
		if (end == 0 && (size_t)n == sizeof(chunk))
			end = (size_t)n;
		cursor = from + end;
		if (end || from != before) {
			editor_hide();
			report_lost(from - before);
			show(chunk, end);
			shown = true;
		}
		if (end < (size_t)n || (size_t)n < sizeof(chunk))
			break;
	}
	return shown;
}

void logfwd_dump(void)
{
	char chunk[CHUNK];

	if (disabled) {
		out_str("log: this VM may not read the kernel log (it lacks the "
		        "\"log\" right)\n");
		return;
	}
	uint64_t at = 0;
	int64_t n = bh_log_read(&at, chunk, sizeof(chunk));
	if (n < 0) {
		cli_error("log", n);
		return;
	}
	uint64_t oldest = at - (uint64_t)n;
	if (oldest)
		out_printf("[log: the first %llu bytes have been overwritten; "
		           "this is what the ring kept]\n", (unsigned long long)oldest);
	while (n > 0) {
		out_write(chunk, (size_t)n);
		n = bh_log_read(&at, chunk, sizeof(chunk));
	}
	cursor = at;
	out_flush();
}
