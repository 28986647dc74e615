/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Stopping the whole machine, for the cases where going on could leak data
 * or privilege (docs/style.md's error ladder). Guest misbehaviour never panics.
 */
#ifndef KERNEL_PANIC_H
#define KERNEL_PANIC_H

#include <stdbool.h>

/*
 * What a panic does after printing: halt (the default, so a person can read
 * the screen) or power off (boot option panic=poweroff, so tests end).
 */
void panic_set_poweroff(bool poweroff);

/* Prints "bulkhead: PANIC: <message>" and a backtrace, then stops the machine. */
__attribute__((noreturn, format(printf, 1, 2))) void panic(const char *fmt, ...);

/* Stops the machine after the caller printed why (exception handlers). */
__attribute__((noreturn)) void panic_stop(void);

/* ASSERT catches the kernel's own bugs, never guest input. */
#define ASSERT(cond)                                                        \
	do {                                                                \
		if (!(cond))                                                \
			panic("assertion failed: %s at %s:%d", #cond,       \
			      __FILE__, __LINE__);                          \
	} while (0)

#endif
