/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * bh_snprintf against the host C library's snprintf, which is the reference
 * for everything lib/format.h does not define differently (%p, bad formats).
 */
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "check.h"
#include "lib/format.h"

/* Calls bh_vsnprintf with a format the compiler does not check, for the
 * malformed formats the -Wformat warnings would otherwise refuse. */
static int unchecked(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = bh_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

static int libc_unchecked(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

/* Formats with both and fails the case, showing the format, if they differ
 * in text or return value. SAME_RAW is for legal formats that -Wformat
 * warns about (redundant flags, ""). */
#define SAME(fmt, ...)                                                      \
	SAME_WITH(bh_snprintf, snprintf, fmt, ##__VA_ARGS__)
#define SAME_RAW(fmt, ...)                                                  \
	SAME_WITH(unchecked, libc_unchecked, fmt, ##__VA_ARGS__)
#define SAME_WITH(mine_fn, libc_fn, fmt, ...)                               \
	do {                                                                \
		char mine_[256], libc_[256];                                \
		int rm_ = mine_fn(mine_, sizeof(mine_), fmt, ##__VA_ARGS__); \
		int rl_ = libc_fn(libc_, sizeof(libc_), fmt, ##__VA_ARGS__); \
		if (rm_ != rl_ || strcmp(mine_, libc_) != 0)                \
			check_fail(__FILE__, __LINE__,                      \
			           "format \"%s\": got \"%s\" (%d), libc \"%s\" (%d)", \
			           fmt, mine_, rm_, libc_, rl_);            \
	} while (0)

TEST(plain_text_and_percent)
{
	SAME_RAW("");
	SAME("hello, world");
	SAME("100%%");
	SAME("%%%%");
	SAME("a%%b%%c");
}

TEST(signed_decimal)
{
	SAME("%d", 0);
	SAME("%d", 42);
	SAME("%d", -42);
	SAME("%i", 7);
	SAME("%d", INT_MAX);
	SAME("%d", INT_MIN);
	SAME("%ld", LONG_MIN);
	SAME("%lld", LLONG_MAX);
	SAME("%lld", LLONG_MIN);
	SAME("%jd", INTMAX_MIN);
	SAME("%td", (ptrdiff_t)-5);
	SAME("%zd", (ptrdiff_t)123456789);
	SAME("%hd", 70000);           /* truncates to short */
	SAME("%hd", -32768);
	SAME("%hhd", 200);            /* truncates to signed char */
	SAME("%hhd", -1);
}

TEST(unsigned_bases)
{
	SAME("%u", 0u);
	SAME("%u", UINT_MAX);
	SAME("%lu", ULONG_MAX);
	SAME("%llu", ULLONG_MAX);
	SAME("%zu", SIZE_MAX);
	SAME("%ju", UINTMAX_MAX);
	SAME("%x", 0xdeadbeefu);
	SAME("%X", 0xdeadbeefu);
	SAME("%lx", 0x0123456789abcdefUL);
	SAME("%llX", 0xfedcba9876543210ULL);
	SAME("%o", 8u);
	SAME("%lo", ULONG_MAX);
	SAME("%hx", 0x12345u);
	SAME("%hhx", 0x1ffu);
	SAME("%hhu", 256u);
	SAME("%u", -1);
}

TEST(width_and_flags)
{
	SAME("[%5d]", 42);
	SAME("[%-5d]", 42);
	SAME("[%05d]", 42);
	SAME("[%05d]", -42);
	SAME_RAW("[%-05d]", -42);          /* '-' beats '0' */
	SAME("[%+d]", 42);
	SAME("[%+d]", -42);
	SAME("[%+d]", 0);
	SAME("[% d]", 42);
	SAME("[% d]", -42);
	SAME_RAW("[%+ d]", 42);           /* '+' beats ' ' */
	SAME("[% 5d]", 42);
	SAME("[%+05d]", 42);
	SAME("[%1d]", 12345);         /* width narrower than the number */
	SAME("[%08x]", 0xbeefu);
	SAME("[%-8x]", 0xbeefu);
	SAME("[%#x]", 0xbeefu);
	SAME("[%#X]", 0xbeefu);
	SAME("[%#x]", 0u);            /* no prefix for zero */
	SAME("[%#010x]", 0xbeefu);
	SAME("[%#-10x]", 0xbeefu);
	SAME("[%#10x]", 0xbeefu);
	SAME("[%#o]", 8u);
	SAME("[%#o]", 0u);
	SAME("[%#08o]", 8u);
	SAME("[%#5o]", 0u);
	SAME("[%20llu]", ULLONG_MAX);
}

TEST(precision)
{
	SAME("[%.5d]", 42);
	SAME("[%.5d]", -42);
	SAME("[%8.5d]", -42);
	SAME("[%-8.5d]", 42);
	SAME_RAW("[%08.5d]", 42);         /* a precision disables '0' */
	SAME("[%.0d]", 0);            /* no digits at all */
	SAME("[%5.0d]", 0);
	SAME("[%+.0d]", 0);
	SAME("[%.0x]", 0u);
	SAME("[%#.0x]", 0u);
	SAME("[%#.0o]", 0u);          /* '#' keeps one zero */
	SAME("[%#.3o]", 8u);          /* precision already gives a zero */
	SAME("[%#.8x]", 0xabcu);
	SAME("[%.1d]", 0);
	SAME("[%.d]", 5);             /* "." alone means precision 0 */
	SAME("[%.3s]", "abcdef");
	SAME("[%.0s]", "abc");
	SAME("[%.10s]", "abc");
	SAME("[%8.3s]", "abcdef");
	SAME("[%-8.3s]", "abcdef");
}

TEST(star_width_and_precision)
{
	SAME("[%*d]", 6, 42);
	SAME("[%*d]", -6, 42);         /* negative width means '-' */
	SAME("[%-*d]", 6, 42);
	SAME("[%.*d]", 4, 42);
	SAME("[%.*d]", -1, 42);        /* negative precision is ignored */
	SAME("[%*.*d]", 8, 4, -42);
	SAME("[%0*d]", 6, -42);
	SAME("[%.*s]", 2, "abcdef");
	SAME("[%*s]", 5, "ab");
	SAME("[%*s]", -5, "ab");
}

TEST(chars_and_strings)
{
	SAME("%c", 'x');
	SAME("[%3c]", 'x');
	SAME("[%-3c]", 'x');
	SAME("%c%c%c", 'a', 'b', 'c');
	SAME("%s", "");
	SAME("%s", "hello");
	SAME("[%10s]", "hello");
	SAME("[%-10s]", "hello");
	SAME("[%2s]", "hello");
	SAME("%s and %s", "this", "that");
	SAME("%s=%d (%#x)", "irq", 33, 33u);
}

TEST(char_zero_is_output)
{
	char buf[8];
	memset(buf, 'z', sizeof(buf));
	CHECK_EQ(bh_snprintf(buf, sizeof(buf), "a%cb", 0), 3);
	CHECK_EQ(buf[0], 'a');
	CHECK_EQ(buf[1], 0);
	CHECK_EQ(buf[2], 'b');
	CHECK_EQ(buf[3], 0);
}

TEST(null_string)
{
	char buf[32];
	/* unchecked(): GCC rightly warns about passing NULL for %s. */
	CHECK_EQ(unchecked(buf, sizeof(buf), "%s", NULL), 6);
	CHECK_STR_EQ(buf, "(null)");
	CHECK_EQ(unchecked(buf, sizeof(buf), "[%8s]", NULL), 10);
	CHECK_STR_EQ(buf, "[  (null)]");
}

TEST(pointer_is_0x_and_16_digits)
{
	char buf[64];
	CHECK_EQ(bh_snprintf(buf, sizeof(buf), "%p", (void *)0x1234), 18);
	CHECK_STR_EQ(buf, "0x0000000000001234");
	CHECK_EQ(bh_snprintf(buf, sizeof(buf), "%p", (void *)0), 18);
	CHECK_STR_EQ(buf, "0x0000000000000000");
	bh_snprintf(buf, sizeof(buf), "%p", (void *)0xffffffff80001000ull);
	CHECK_STR_EQ(buf, "0xffffffff80001000");
	bh_snprintf(buf, sizeof(buf), "[%20p]", (void *)0xabc);
	CHECK_STR_EQ(buf, "[  0x0000000000000abc]");
	bh_snprintf(buf, sizeof(buf), "[%-20p]", (void *)0xabc);
	CHECK_STR_EQ(buf, "[0x0000000000000abc  ]");
}

TEST(unknown_conversion_is_copied)
{
	char buf[64];
	CHECK_EQ(unchecked(buf, sizeof(buf), "a%yb"), 4);
	CHECK_STR_EQ(buf, "a%yb");
	CHECK_EQ(unchecked(buf, sizeof(buf), "%-08.3qZ"), 8);
	CHECK_STR_EQ(buf, "%-08.3qZ");
	/* Nothing is consumed, so the following conversion still gets its
	 * own argument. */
	CHECK_EQ(unchecked(buf, sizeof(buf), "%y %d", 5), 4);
	CHECK_STR_EQ(buf, "%y 5");
	/* A trailing lone '%' or half a spec is shown too. */
	CHECK_EQ(unchecked(buf, sizeof(buf), "50%"), 3);
	CHECK_STR_EQ(buf, "50%");
	CHECK_EQ(unchecked(buf, sizeof(buf), "x%-5"), 4);
	CHECK_STR_EQ(buf, "x%-5");
}

TEST(percent_n_never_writes)
{
	char buf[64];
	int target = 1234;
	CHECK_EQ(unchecked(buf, sizeof(buf), "ab%n", &target), 4);
	CHECK_STR_EQ(buf, "ab%n");
	CHECK_EQ(target, 1234);
}

/* Checks that output is cut at size-1, NUL-terminated, that nothing past
 * size is touched, and that the return is the untruncated length. */
static void check_truncation(size_t size)
{
	char mine[32], libc[32];
	memset(mine, '#', sizeof(mine));
	memset(libc, '#', sizeof(libc));
	int rm = bh_snprintf(mine, size, "%s-%05d-%x", "abc", 42, 0xffu);
	int rl = snprintf(libc, size, "%s-%05d-%x", "abc", 42, 0xffu);
	CHECK_EQ(rm, rl);
	CHECK_EQ(memcmp(mine, libc, sizeof(mine)), 0);
	for (size_t i = size; i < sizeof(mine); i++)
		CHECK_EQ(mine[i], '#');
}

TEST(truncation)
{
	for (size_t size = 0; size <= 16; size++)
		check_truncation(size);
	char buf[4];
	CHECK_EQ(bh_snprintf(buf, sizeof(buf), "%d", 123456), 6);
	CHECK_STR_EQ(buf, "123");
	CHECK_EQ(bh_snprintf(buf, sizeof(buf), "[%10s]", "x"), 12);
	CHECK_STR_EQ(buf, "[  ");
}

TEST(size_zero_allows_null_buffer)
{
	CHECK_EQ(bh_snprintf(NULL, 0, "%d and %s", 1234, "more"), 13);
	CHECK_EQ(unchecked(NULL, 0, ""), 0);
}

TEST(huge_width_is_clamped)
{
	char buf[8];
	/* Clamped to 4096 rather than spinning for a billion pad bytes. */
	CHECK_EQ(unchecked(buf, sizeof(buf), "%999999999d", 1), 4096);
	CHECK_STR_EQ(buf, "       ");
	CHECK_EQ(unchecked(buf, sizeof(buf), "%*d", INT_MIN, 1), 4096);
	CHECK_STR_EQ(buf, "1      ");
}
