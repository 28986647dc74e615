/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * printf-style formatting into a bounded buffer, for the kernel and the
 * UEFI stage (no floating point, no locale).
 *
 * Conversions: %d %i %u %x %X %o %c %s %p %%, length modifiers hh h l ll z t j,
 * flags '-' '0' '#' ' ' '+', field width and precision (both also as '*').
 * %p prints "0x" and 16 hex digits. %s with a NULL pointer prints "(null)".
 * An unknown conversion is copied through literally so a bad format string
 * is visible in the log instead of silently eating arguments.
 */
#ifndef LIB_FORMAT_H
#define LIB_FORMAT_H

#include <stdarg.h>
#include <stddef.h>

/*
 * Formats into buf (always NUL-terminated when size > 0) and returns the
 * length the complete output would have had, like C99 vsnprintf, so callers
 * detect truncation with "ret >= size".
 */
int bh_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int bh_snprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
