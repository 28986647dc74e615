/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Line-buffered console output (contracts: bulkhead/runtime.h). One
 * BH_HC_CONSOLE_WRITE per line keeps exits few and lets the kernel put the
 * VM's name in front of whole lines.
 */
#include <bulkhead/runtime.h>

/* A line longer than this goes out in pieces. */
#define LINE_BUF 512

static char line[LINE_BUF];
static size_t line_len;

void bh_flush(void)
{
	if (line_len) {
		bh_console_write(line, line_len);
		line_len = 0;
	}
}

static void put(char c)
{
	line[line_len++] = c;
	if (c == '\n' || line_len == sizeof(line))
		bh_flush();
}

static void put_n(const char *s, size_t n)
{
	while (n--)
		put(*s++);
}

int bh_putchar(int c)
{
	put((char)c);
	return (unsigned char)c;
}

int bh_puts(const char *s)
{
	size_t n = strlen(s);

	put_n(s, n);
	put('\n');
	return n >= INT32_MAX ? INT32_MAX : (int)n + 1;
}

static void emit_line(void *ctx, const char *s, size_t n)
{
	(void)ctx;
	put_n(s, n);
}

int bh_vprintf(const char *fmt, va_list ap)
{
	return bh_vformat(emit_line, NULL, fmt, ap);
}

int bh_printf(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = bh_vprintf(fmt, ap);
	va_end(ap);
	return n;
}

void bh_panic(const char *fmt, ...)
{
	va_list ap;

	/* Finish a half-written line so the panic starts on its own. */
	if (line_len)
		put('\n');
	put_n("panic: ", 7);
	va_start(ap, fmt);
	bh_vprintf(fmt, ap);
	va_end(ap);
	put('\n');
	bh_exit(BH_EXIT_PANIC);
}
