/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A blob as text: what the kernel will enforce, written in the policy
 * language itself (so a dump compiles again), with comments giving the
 * header, each record's index and the source line it came from. The output
 * depends only on the blob's bytes.
 */
#ifndef POLICY_DUMP_H
#define POLICY_DUMP_H

#include <stddef.h>
#include <stdio.h>

/*
 * Validates the blob with the kernel's validator, then prints it to out.
 * Returns 0, or the validator's error with *why (nothing printed).
 * blob must be 8-byte aligned.
 */
int dump(const void *blob, size_t size, FILE *out, const char **why);

#endif
