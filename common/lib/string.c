/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The kernel's memory and string functions (contracts: lib/string.h, C11
 * 7.24). Plain byte loops: the kernel copies little, and the compiler may not
 * use vector registers here (-mgeneral-regs-only), so clever versions would
 * buy almost nothing.
 *
 * GCC recognises loops that copy or fill memory and replaces them with calls
 * to memcpy/memset; inside memcpy and memset that call would be to the
 * function itself, recursing forever. NO_LIBCALL switches that off.
 */
#include "lib/string.h"

#include <stdint.h>

#define NO_LIBCALL __attribute__((optimize("no-tree-loop-distribute-patterns")))

/* Word access that may alias anything (the kernel scrubs and copies guest
 * memory in bulk: 8 bytes a step instead of 1). */
typedef uint64_t __attribute__((may_alias)) word_t;
/* The same, at any address: x86 loads words from any byte. */
typedef uint64_t __attribute__((may_alias, aligned(1))) unaligned_word_t;
#define WORD sizeof(word_t)

NO_LIBCALL void *memcpy(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	/* Align the destination; the source may stay misaligned (a ring's
	 * payload sits 4 bytes past its length word). */
	while (n && ((uintptr_t)d & (WORD - 1))) {
		*d++ = *s++;
		n--;
	}
	for (; n >= WORD; n -= WORD, d += WORD, s += WORD)
		*(word_t *)(void *)d = *(const unaligned_word_t *)(const void *)s;
	while (n--)
		*d++ = *s++;
	return dst;
}

/* Copies backwards when dst lies above an overlapping src. */
NO_LIBCALL void *memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if (d == s || n == 0)
		return dst;
	if (d < s || d >= s + n) {
		while (n--)
			*d++ = *s++;
	} else {
		while (n--)
			d[n] = s[n];
	}
	return dst;
}

NO_LIBCALL void *memset(void *dst, int c, size_t n)
{
	unsigned char *d = dst;
	const word_t pattern = 0x0101010101010101ull * (unsigned char)c;

	while (n && ((uintptr_t)d & (WORD - 1))) {
		*d++ = (unsigned char)c;
		n--;
	}
	for (; n >= WORD; n -= WORD, d += WORD)
		*(word_t *)(void *)d = pattern;
	while (n--)
		*d++ = (unsigned char)c;
	return dst;
}

/* Bytes compare as unsigned char, as C11 7.24.4 requires. */
NO_LIBCALL int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;

	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x - *y;
	return 0;
}

NO_LIBCALL size_t strlen(const char *s)
{
	const char *p = s;

	while (*p)
		p++;
	return (size_t)(p - s);
}

NO_LIBCALL size_t strnlen(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n])
		n++;
	return n;
}

NO_LIBCALL int strcmp(const char *a, const char *b)
{
	const unsigned char *x = (const unsigned char *)a;
	const unsigned char *y = (const unsigned char *)b;

	while (*x && *x == *y) {
		x++;
		y++;
	}
	return *x - *y;
}

NO_LIBCALL int strncmp(const char *a, const char *b, size_t n)
{
	const unsigned char *x = (const unsigned char *)a;
	const unsigned char *y = (const unsigned char *)b;

	for (; n; n--, x++, y++) {
		if (*x != *y)
			return *x - *y;
		if (!*x)
			return 0;
	}
	return 0;
}

/* As in C, searching for '\0' finds the terminator. */
NO_LIBCALL char *strchr(const char *s, int c)
{
	char ch = (char)c;

	for (;; s++) {
		if (*s == ch)
			return (char *)s;
		if (!*s)
			return NULL;
	}
}

NO_LIBCALL void *memchr(const void *s, int c, size_t n)
{
	const unsigned char *p = s;

	for (size_t i = 0; i < n; i++)
		if (p[i] == (unsigned char)c)
			return (void *)(p + i);
	return NULL;
}
