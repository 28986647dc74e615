/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The compiler's stages in order (docs/style.md, rule 9):
 *     lex -> parse -> resolve -> check -> emit -> validate
 * The last stage runs the kernel's own validator (common/policy/blob.c)
 * on the blob just emitted: whatever the compiler accepts, the kernel must
 * accept too, and a difference is a compiler bug, reported as such.
 */
#ifndef POLICY_COMPILE_H
#define POLICY_COMPILE_H

#include <stddef.h>
#include <stdint.h>

#include "diag.h"

#define POLICY_TEXT_MAX (1u << 20)   /* bytes of policy text */

/*
 * Compiles len bytes of policy text. Every error and warning goes to d.
 * Returns 0 and, if blob is not NULL, the blob in *blob (malloc'd) and
 * *size; -1 if the policy has errors; -2 if the emitted blob failed the
 * kernel's validator (a compiler bug, also reported to d).
 */
int policy_compile(const char *text, size_t len, struct diag *d, uint8_t **blob, size_t *size);

#endif
