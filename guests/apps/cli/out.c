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

int out_printf(const char *fmt, ...)
{
	char small[256];
	va_list ap, again;

	va_start(ap, fmt);
	va_copy(again, ap);
	int n = bh_vsnprintf(small, sizeof(small), fmt, ap);
	if (n >= 0 && (size_t)n < sizeof(small)) {
		out_write(small, (size_t)n);
	} else if (n > 0) {
		char *big = bh_malloc((size_t)n + 1);
		if (big) {
			bh_vsnprintf(big, (size_t)n + 1, fmt, again);
			out_write(big, (size_t)n);
			bh_free(big);
		} else {
			out_write(small, sizeof(small) - 1);
		}
	}
	va_end(again);
	va_end(ap);
	return n;
}
