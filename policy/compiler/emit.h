/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The compiler's last stage: a checked model to the blob
 * (include/bulkhead/policy_blob.h, docs/policy-blob.md). Deterministic: the
 * same policy text always gives the same bytes.
 */
#ifndef POLICY_EMIT_H
#define POLICY_EMIT_H

#include <stddef.h>
#include <stdint.h>

#include "model.h"

/*
 * Lays out the blob of p, a resolved model that passed every check, in a
 * malloc'd buffer (*blob, *size bytes), checksum included. It fills in
 * what the model says without judging it: the checks have done that.
 */
void emit(const struct policy *p, uint8_t **blob, size_t *size);

#endif
