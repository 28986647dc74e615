/* SPDX-License-Identifier: GPL-2.0-only */
#include "compile.h"

#include <stdlib.h>

#include "checks.h"
#include "emit.h"
#include "lex.h"
#include "model.h"
#include "parse.h"
#include "policy/blob.h"

int policy_compile(const char *text, size_t len, struct diag *d, uint8_t **blob, size_t *size)
{
	struct policy p = { 0 };
	size_t ntokens;
	int rc = -1;

	if (len > POLICY_TEXT_MAX) {
		diag_error(d, (struct loc){ 1, 1 }, "the policy is larger than 1 MiB");
		return -1;
	}
	struct token *t = lex(text, len, d, &ntokens);
	parse(t, ntokens, &p, d);
	resolve(&p);
	run_checks(&p, d);
	if (d->errors == 0) {
		uint8_t *b;
		size_t n;
		const char *why;
		emit(&p, &b, &n);
		if (policy_blob_validate(b, n, &why)) {
			diag_error(d, (struct loc){ 1, 1 }, "internal error: the kernel's validator "
			           "rejects the compiled blob: %s (a compiler bug)", why);
			free(b);
			rc = -2;
		} else {
			rc = 0;
			if (blob) {
				*blob = b;
				*size = n;
			} else {
				free(b);
			}
		}
	}
	policy_free(&p);
	free(t);
	return rc;
}
