/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The policy language's parser (docs/policy.md, "Grammar"): tokens to the
 * model (model.h), syntax only. Rules about values (ranges, alignment,
 * names that resolve) are the checks' (checks.h).
 */
#ifndef POLICY_PARSE_H
#define POLICY_PARSE_H

#include <stddef.h>

#include "diag.h"
#include "lex.h"
#include "model.h"

/*
 * Parses the n tokens t (the last is TOK_EOF) into p, which starts zeroed.
 * Reports every syntax error to d: after one it skips to the next ';', '}'
 * or statement and goes on, so one run finds them all.
 */
void parse(const struct token *t, size_t n, struct policy *p, struct diag *d);

#endif
