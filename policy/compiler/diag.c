/* SPDX-License-Identifier: GPL-2.0-only */
#define _GNU_SOURCE   /* vasprintf */
#include "diag.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

static void add(struct diag *d, struct loc at, enum diag_level level, const char *fmt, va_list ap)
{
	char *text;

	if (vasprintf(&text, fmt, ap) < 0)
		die_oom();
	if (d->n == d->cap) {
		d->cap = d->cap ? 2 * d->cap : 16;
		d->msgs = xrealloc(d->msgs, d->cap * sizeof(*d->msgs));
	}
	d->msgs[d->n] = (struct diag_msg){ .at = at, .level = level, .seq = d->n, .text = text };
	d->n++;
	if (level == DIAG_ERROR)
		d->errors++;
	else
		d->warnings++;
}

void diag_error(struct diag *d, struct loc at, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	add(d, at, DIAG_ERROR, fmt, ap);
	va_end(ap);
}

void diag_warning(struct diag *d, struct loc at, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	add(d, at, DIAG_WARNING, fmt, ap);
	va_end(ap);
}

static int by_position(const void *a, const void *b)
{
	const struct diag_msg *x = a, *y = b;
	if (x->at.line != y->at.line)
		return x->at.line < y->at.line ? -1 : 1;
	if (x->at.col != y->at.col)
		return x->at.col < y->at.col ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Messages quote the policy's words: bytes that are not printable ASCII
 * are written as \xNN, so no policy file can drive the terminal. */
static void put_escaped(const char *s, FILE *out)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c >= 0x20 && c <= 0x7e)
			fputc(c, out);
		else
			fprintf(out, "\\x%02x", c);
	}
}

void diag_print(struct diag *d, const char *file, FILE *out)
{
	if (d->n)
		qsort(d->msgs, d->n, sizeof(*d->msgs), by_position);
	for (size_t i = 0; i < d->n; i++) {
		fprintf(out, "%s:%u:%u: %s: ", file, d->msgs[i].at.line, d->msgs[i].at.col,
		        d->msgs[i].level == DIAG_ERROR ? "error" : "warning");
		put_escaped(d->msgs[i].text, out);
		fputc('\n', out);
	}
}

void diag_free(struct diag *d)
{
	for (size_t i = 0; i < d->n; i++)
		free(d->msgs[i].text);
	free(d->msgs);
	*d = (struct diag){ 0 };
}
