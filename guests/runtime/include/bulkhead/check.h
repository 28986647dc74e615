/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Checks made from inside a VM, for apps that test the kernel: each check
 * prints one verdict line and is counted, and a summary line ends the run
 * and gives its exit status. Containment probes say what they are about to
 * try, and what happened if the kernel did not stop them.
 *
 * The system tests (tests/system/) read these lines on the console, so
 * their text is a contract ("NAME: " is added by the kernel):
 *
 *     NAME: PASS what was checked
 *     NAME: FAIL what was checked
 *     NAME: summary: N passed, M failed
 *     NAME: probe: what is about to be tried
 *     NAME: probe: NOT CONTAINED: what happened instead of a stop
 */
#ifndef BULKHEAD_CHECK_H
#define BULKHEAD_CHECK_H

#include <stdbool.h>

/* The checks of one run; starts as { 0 }. */
struct bh_tally {
	unsigned passed, failed;
};

/* Counts ok in *t and prints "PASS " or "FAIL ", the message and a newline.
 * Returns ok, so that a check can guard the steps that depend on it. */
bool bh_check(struct bh_tally *t, bool ok, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Prints "summary: N passed, M failed". Returns the run's exit status: 0 if
 * nothing failed and something passed, else 1 (a run that checked nothing
 * proves nothing). */
int bh_tally_summary(const struct bh_tally *t);

/* The exit status of a probe whose action the kernel did not contain. */
#define BH_PROBE_NOT_CONTAINED 1

/* Prints "probe: " and the message on a line of its own. Called just before
 * a containment probe's action: the newline sends the line at once, so the
 * console shows what was tried before the kernel's line about the stop. */
void bh_probe_say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Prints "probe: NOT CONTAINED: " and the message, for a probe still alive
 * after its action. Returns BH_PROBE_NOT_CONTAINED, the status to exit with. */
int bh_probe_not_contained(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
