/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Minimal host unit-test framework. A test file defines cases with TEST()
 * and links tests/lib/check.c, which supplies main(). Each case prints
 * "ok - FILE:NAME" or "not ok - FILE:NAME" (TAP-like) so tests/run can count
 * them; a failed CHECK prints the expression and location and ends that case.
 */
#ifndef TESTS_CHECK_H
#define TESTS_CHECK_H

#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

typedef void (*check_fn)(void);
void check_register(const char *file, const char *name, check_fn fn);
void check_fail(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4), noreturn));

#define TEST(name)                                                          \
	static void name(void);                                             \
	__attribute__((constructor)) static void check_reg_##name(void)     \
	{ check_register(__FILE__, #name, name); }                          \
	static void name(void)

#define CHECK(cond)                                                         \
	do { if (!(cond)) check_fail(__FILE__, __LINE__, "CHECK(%s)", #cond); } while (0)

#define CHECK_EQ(a, b)                                                      \
	do {                                                                \
		unsigned long long check_a_ = (unsigned long long)(a);      \
		unsigned long long check_b_ = (unsigned long long)(b);      \
		if (check_a_ != check_b_)                                   \
			check_fail(__FILE__, __LINE__,                      \
			           "CHECK_EQ(%s, %s): 0x%llx != 0x%llx",    \
			           #a, #b, check_a_, check_b_);             \
	} while (0)

#define CHECK_STR_EQ(a, b)                                                  \
	do {                                                                \
		const char *check_a_ = (a), *check_b_ = (b);                \
		if (strcmp(check_a_, check_b_) != 0)                        \
			check_fail(__FILE__, __LINE__,                      \
			           "CHECK_STR_EQ(%s, %s): \"%s\" != \"%s\"", \
			           #a, #b, check_a_, check_b_);             \
	} while (0)

#endif
