/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A host stand-in for the runtime's console and start-info page, for tests
 * of runtime modules that print (fake_console.c): bh_printf and bh_vprintf
 * append to a buffer the test reads back, and bh_start_info returns a page
 * whose name the test sets.
 */
#ifndef TESTS_FAKE_CONSOLE_H
#define TESTS_FAKE_CONSOLE_H

/* Everything printed since the last fake_console_reset, NUL-terminated. */
const char *fake_console_output(void);

/* Empties the output and sets the VM name (at most BH_GUEST_NAME_MAX - 1
 * bytes) on the start-info page. */
void fake_console_reset(const char *name);

#endif
