/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The kernel's string functions against the C library's. unit.mk builds
 * common/lib/string.c with every name prefixed "k_" so both coexist.
 */
/* The renaming is for string.c only: this file compares against libc. */
#undef memcpy
#undef memmove
#undef memset
#undef memcmp
#undef memchr
#undef strlen
#undef strnlen
#undef strcmp
#undef strncmp
#undef strchr

#include "check.h"

#include <stdlib.h>

void *k_memcpy(void *dst, const void *src, size_t n);
void *k_memmove(void *dst, const void *src, size_t n);
void *k_memset(void *dst, int c, size_t n);
int k_memcmp(const void *a, const void *b, size_t n);
void *k_memchr(const void *s, int c, size_t n);

static unsigned char a[4096], b[4096], want[4096];

static void fill(unsigned seed)
{
	srand(seed);
	for (size_t i = 0; i < sizeof(a); i++) {
		a[i] = (unsigned char)rand();
		b[i] = want[i] = (unsigned char)rand();
	}
}

TEST(memcpy_every_alignment_and_length)
{
	for (size_t doff = 0; doff < 16; doff++)
		for (size_t soff = 0; soff < 16; soff++)
			for (size_t n = 0; n < 80; n += (n < 20 ? 1 : 7)) {
				fill((unsigned)(doff * 1000 + soff * 100 + n));
				memcpy(want + doff, a + soff, n);
				CHECK(k_memcpy(b + doff, a + soff, n) == b + doff);
				CHECK(memcmp(b, want, sizeof(b)) == 0);
			}
	fill(7);
	memcpy(want + 3, a + 3, 4000);
	k_memcpy(b + 3, a + 3, 4000);
	CHECK(memcmp(b, want, sizeof(b)) == 0);
}

TEST(memset_every_alignment_and_length)
{
	for (size_t off = 0; off < 16; off++)
		for (size_t n = 0; n < 100; n++) {
			fill((unsigned)(off * 100 + n));
			memset(want + off, 0xa5, n);
			CHECK(k_memset(b + off, 0xa5, n) == b + off);
			CHECK(memcmp(b, want, sizeof(b)) == 0);
		}
	fill(9);
	memset(want + 1, 0, 4090);
	k_memset(b + 1, 0x100, 4090);   /* only the low byte counts */
	CHECK(memcmp(b, want, sizeof(b)) == 0);
}

TEST(memmove_overlaps_both_ways)
{
	for (size_t n = 0; n < 64; n++)
		for (int shift = -9; shift <= 9; shift++) {
			fill((unsigned)(n * 31 + (unsigned)(shift + 9)));
			memcpy(b, want, sizeof(b));
			memmove(want + 100 + shift, want + 100, n);
			k_memmove(b + 100 + shift, b + 100, n);
			CHECK(memcmp(b, want, sizeof(b)) == 0);
		}
}

TEST(memcmp_and_memchr)
{
	fill(3);
	memcpy(b, a, sizeof(a));
	CHECK(k_memcmp(a, b, sizeof(a)) == 0);
	b[777] = (unsigned char)(a[777] + 1);
	CHECK(k_memcmp(a, b, sizeof(a)) < 0);
	CHECK(k_memcmp(a, b, 777) == 0);
	a[50] = 0x3c;
	CHECK(k_memchr(a, 0x3c, 51) == memchr(a, 0x3c, 51));
	CHECK(k_memchr(a, 0x3c, 50) == memchr(a, 0x3c, 50));
}
