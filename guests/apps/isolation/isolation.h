/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The isolation-test app (tests/system/test_isolation.py), after Muen's
 * isolation-test subject: one image, one probe per VM, chosen by the VM's
 * own name, one source file per isolation area.
 *
 * A containment probe says what it is about to do ("probe: ...") and does
 * it. The kernel must stop the VM there and log why. A probe that is still
 * alive afterwards says "probe: NOT CONTAINED ..." and exits with status 1.
 * Probes whose right outcome is a returned error (hypercalls, the allowed
 * MSR reads) print one "PASS ..." or "FAIL ..." line per check and a
 * summary line, and exit 0 only if every check passed.
 */
#ifndef ISOLATION_H
#define ISOLATION_H

#include <bulkhead/runtime.h>

/* Exit status of a probe whose action was not contained. */
#define PROBE_NOT_CONTAINED 1
/* Exit status when the VM's name names no probe. */
#define PROBE_UNKNOWN       2

/* The probe areas: each runs the probe called name (the VM's name) and
 * returns the exit status, or PROBE_UNKNOWN if it has no such probe. */
int memory_probe(const char *name);      /* mem-TARGET-ACCESS */
int ioport_probe(const char *name);      /* io-... */
int msr_probe(const char *name);         /* msr-... */
int insn_probe(const char *name);        /* insn-... */
int hypercall_probe(const char *name);   /* hc-... */

/* Prints "probe: " and the message on a line of its own, before the
 * probe's action, so the console shows what was tried before the kernel's
 * containment line. */
void probe_say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Prints "probe: NOT CONTAINED: " and the message; returns
 * PROBE_NOT_CONTAINED for the probe to exit with. */
int probe_not_contained(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Checks with a verdict each: "PASS what" or "FAIL what", counted. */
struct tally {
	unsigned passed, failed;
};

/* Counts ok in t and prints "PASS " or "FAIL " and the message. Returns ok. */
bool check(struct tally *t, bool ok, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Prints "summary: N passed, M failed" and returns the exit status: 0 if
 * nothing failed (and something was checked), else 1. */
int tally_summary(const struct tally *t);

#endif
