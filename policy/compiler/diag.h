/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Diagnostics of the policy compiler: every error and warning of a run is
 * collected, then printed sorted by position as
 *     FILE:LINE:COL: error: MESSAGE
 * so a policy's author sees all of its problems at once. Lines and columns
 * count from 1; a column counts bytes (a tab is one column), as GCC's do.
 */
#ifndef POLICY_DIAG_H
#define POLICY_DIAG_H

#include <stddef.h>
#include <stdio.h>

struct loc {
	unsigned line, col;
};

enum diag_level { DIAG_ERROR, DIAG_WARNING };

struct diag_msg {
	struct loc at;
	enum diag_level level;
	size_t seq;          /* order of report: ties at one position keep it */
	char *text;
};

struct diag {
	struct diag_msg *msgs;
	size_t n, cap;
	unsigned errors, warnings;
};

void diag_error(struct diag *d, struct loc at, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void diag_warning(struct diag *d, struct loc at, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Prints every message, sorted by position, each prefixed with file. */
void diag_print(struct diag *d, const char *file, FILE *out);

/* Frees the messages; d is empty (and reusable) afterwards. */
void diag_free(struct diag *d);

#endif
