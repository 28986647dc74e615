/* SPDX-License-Identifier: GPL-2.0-only */
/* Checks all four registers of a CPUID answer, for the CPUID view tests. */
#ifndef TESTS_CPUID_CHECK_H
#define TESTS_CPUID_CHECK_H

#include "check.h"

#define CHECK_REGS(r, a, b, c, d)                                           \
	do {                                                                \
		CHECK_EQ((r).eax, a);                                       \
		CHECK_EQ((r).ebx, b);                                       \
		CHECK_EQ((r).ecx, c);                                       \
		CHECK_EQ((r).edx, d);                                       \
	} while (0)

#endif
