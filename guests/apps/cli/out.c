/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Buffered console output (contract: cli.h). The CLI writes everything
 * through here, never through bh_printf, so that echo, command output and
 * forwarded log lines reach the console in the order they were made.
 */
#include <bulkhead/runtime.h>

#include "cli.h"

/* One write a typical command needs; BH_CONSOLE_WRITE_MAX at most. */
#define OUT_BUF 2048
_Static_assert(OUT_BUF <= BH_CONSOLE_WRITE_MAX, "one buffer, one call");

static char buf[OUT_BUF];
static size_t len;

void out_flush(void)
{
	if (len) {
		bh_console_write(buf, len);
		len = 0;
	}
}

void out_write(const char *s, size_t n)
{
	while (n) {
		if (len == sizeof(buf))
			out_flush();
		size_t k = sizeof(buf) - len;
		if (k > n)
			k = n;
		memcpy(buf + len, s, k);
		len += k;
		s += k;
		n -= k;
	}
}

void out_str(const char *s)
{
	out_write(s, strlen(s));
}

static void emit_out(void *ctx, const char *s, size_t n)
{
	(void)ctx;
	out_write(s, n);
}

int out_printf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	int n = bh_vformat(emit_out, NULL, fmt, ap);
	va_end(ap);
	return n;
}
