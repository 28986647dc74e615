/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * bh_vsnprintf (contract: lib/format.h). Output goes through one bounded
 * sink that keeps counting after the buffer is full, which gives the C99
 * return value for free.
 */
#include <stdbool.h>
#include <stdint.h>

#include "lib/format.h"
#include "lib/string.h"

/*
 * Widths and precisions are clamped so a hostile or mistyped "%999999999d"
 * cannot spin the kernel for seconds; no real log line comes near this.
 */
#define FIELD_MAX 4096

struct sink {
	char  *buf;
	size_t size;
	size_t len;   /* bytes the full output has so far */
};

struct spec {
	bool left, zero, alt, space, plus;
	int  width;
	int  prec;    /* -1: none given */
	char len;     /* 0, 'H' (hh), 'h', 'l' (l, ll, z, t, j) */
};

static void put(struct sink *s, char c)
{
	if (s->size && s->len < s->size - 1)
		s->buf[s->len] = c;
	s->len++;
}

static void put_n(struct sink *s, char c, int n)
{
	while (n-- > 0)
		put(s, c);
}

static void put_str(struct sink *s, const char *str, size_t n)
{
	while (n--)
		put(s, *str++);
}

/* Parses a decimal field at *p, clamped to FIELD_MAX. */
static int parse_field(const char **p)
{
	int v = 0;

	while (**p >= '0' && **p <= '9') {
		v = v * 10 + (**p - '0');
		if (v > FIELD_MAX)
			v = FIELD_MAX;
		(*p)++;
	}
	return v;
}

static int clamp_field(int v)
{
	return v > FIELD_MAX ? FIELD_MAX : v;
}

/* Pads str (n bytes) with spaces to the field width. */
static void put_padded(struct sink *s, const struct spec *sp,
                       const char *str, size_t n)
{
	int pad = sp->width > (int)n ? sp->width - (int)n : 0;

	if (!sp->left)
		put_n(s, ' ', pad);
	put_str(s, str, n);
	if (sp->left)
		put_n(s, ' ', pad);
}

/*
 * Lays out [pad][sign][prefix][zeros][digits][pad] following C11 7.21.6.1:
 * a precision sets the minimum digit count and disables the '0' flag; '#'
 * with 'o' forces a leading zero digit; a zero value with precision 0 prints
 * no digits.
 */
static void put_number(struct sink *s, const struct spec *sp, uint64_t v,
                       bool negative, unsigned base, bool upper,
                       const char *prefix)
{
	const char *digit_set = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char digits[24];   /* 22 octal digits hold 64 bits */
	int nd = 0;
	char sign = 0;

	while (v) {
		digits[nd++] = digit_set[v % base];
		v /= base;
	}
	if (nd == 0 && sp->prec != 0)
		digits[nd++] = '0';

	if (negative)
		sign = '-';
	else if (sp->plus)
		sign = '+';
	else if (sp->space)
		sign = ' ';

	int nprefix = (int)strlen(prefix);
	int zeros = sp->prec > nd ? sp->prec - nd : 0;
	if (base == 8 && sp->alt && zeros == 0 && (nd == 0 || digits[nd - 1] != '0'))
		zeros = 1;
	int body = (sign != 0) + nprefix + zeros + nd;
	if (sp->zero && !sp->left && sp->prec < 0 && sp->width > body) {
		zeros += sp->width - body;
		body = sp->width;
	}
	int pad = sp->width > body ? sp->width - body : 0;

	if (!sp->left)
		put_n(s, ' ', pad);
	if (sign)
		put(s, sign);
	put_str(s, prefix, (size_t)nprefix);
	put_n(s, '0', zeros);
	while (nd)
		put(s, digits[--nd]);
	if (sp->left)
		put_n(s, ' ', pad);
}

/*
 * The contract is in lib/format.h. Beyond it: an unknown conversion
 * (including %n, which must never write through a format argument) is copied
 * through from its '%', widths and precisions above FIELD_MAX are clamped,
 * and the 'l' modifier on %c and %s is ignored (no wide characters).
 */
int bh_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct sink s = { .buf = buf, .size = size, .len = 0 };

	while (*fmt) {
		if (*fmt != '%') {
			put(&s, *fmt++);
			continue;
		}
		const char *start = fmt++;
		struct spec sp = { .prec = -1 };

		for (;; fmt++) {
			if (*fmt == '-')
				sp.left = true;
			else if (*fmt == '0')
				sp.zero = true;
			else if (*fmt == '#')
				sp.alt = true;
			else if (*fmt == ' ')
				sp.space = true;
			else if (*fmt == '+')
				sp.plus = true;
			else
				break;
		}

		if (*fmt == '*') {
			int w = va_arg(ap, int);
			fmt++;
			if (w < 0) {
				sp.left = true;
				/* Compare first: -INT_MIN overflows. */
				w = w < -FIELD_MAX ? FIELD_MAX : -w;
			}
			sp.width = clamp_field(w);
		} else {
			sp.width = parse_field(&fmt);
		}

		if (*fmt == '.') {
			fmt++;
			if (*fmt == '*') {
				int p = va_arg(ap, int);
				fmt++;
				sp.prec = p < 0 ? -1 : clamp_field(p);
			} else {
				sp.prec = parse_field(&fmt);
			}
		}

		if (*fmt == 'h') {
			fmt++;
			sp.len = 'h';
			if (*fmt == 'h') {
				fmt++;
				sp.len = 'H';
			}
		} else if (*fmt == 'l') {
			fmt++;
			sp.len = 'l';
			if (*fmt == 'l')
				fmt++;
		} else if (*fmt == 'z' || *fmt == 't' || *fmt == 'j') {
			/* size_t, ptrdiff_t and intmax_t are all 64-bit here. */
			fmt++;
			sp.len = 'l';
		}

		char conv = *fmt;
		if (conv)
			fmt++;

		switch (conv) {
		case 'd':
		case 'i': {
			int64_t v;
			if (sp.len == 'l')
				v = va_arg(ap, int64_t);
			else if (sp.len == 'h')
				v = (short)va_arg(ap, int);
			else if (sp.len == 'H')
				v = (signed char)va_arg(ap, int);
			else
				v = va_arg(ap, int);
			/* Negate in unsigned arithmetic: -INT64_MIN overflows. */
			uint64_t mag = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
			put_number(&s, &sp, mag, v < 0, 10, false, "");
			break;
		}
		case 'u':
		case 'x':
		case 'X':
		case 'o': {
			uint64_t v;
			if (sp.len == 'l')
				v = va_arg(ap, uint64_t);
			else if (sp.len == 'h')
				v = (unsigned short)va_arg(ap, unsigned int);
			else if (sp.len == 'H')
				v = (unsigned char)va_arg(ap, unsigned int);
			else
				v = va_arg(ap, unsigned int);
			/* '+' and ' ' apply to signed conversions only. */
			sp.plus = sp.space = false;
			unsigned base = conv == 'u' ? 10 : conv == 'o' ? 8 : 16;
			const char *prefix = "";
			if (sp.alt && v && conv == 'x')
				prefix = "0x";
			else if (sp.alt && v && conv == 'X')
				prefix = "0X";
			put_number(&s, &sp, v, false, base, conv == 'X', prefix);
			break;
		}
		case 'p': {
			uintptr_t v = (uintptr_t)va_arg(ap, void *);
			sp.plus = sp.space = sp.alt = false;
			sp.prec = 16;
			put_number(&s, &sp, v, false, 16, false, "0x");
			break;
		}
		case 'c': {
			char c = (char)va_arg(ap, int);
			put_padded(&s, &sp, &c, 1);
			break;
		}
		case 's': {
			const char *str = va_arg(ap, const char *);
			if (!str)
				str = "(null)";
			size_t n = sp.prec >= 0 ? strnlen(str, (size_t)sp.prec)
			                        : strlen(str);
			put_padded(&s, &sp, str, n);
			break;
		}
		case '%':
			put(&s, '%');
			break;
		default:
			put_str(&s, start, (size_t)(fmt - start));
			break;
		}
	}

	if (size)
		buf[s.len < size ? s.len : size - 1] = '\0';
	return s.len > INT32_MAX ? INT32_MAX : (int)s.len;
}

int bh_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = bh_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
