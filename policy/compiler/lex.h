/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The policy language's tokens (docs/policy.md, "Lexical structure"):
 * words, strings ("..."), the punctuation { } ; , and the arrow ->. Whitespace separates
 * tokens; '#' starts a comment that runs to the end of the line.
 */
#ifndef POLICY_LEX_H
#define POLICY_LEX_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"

enum tok_kind {
	TOK_EOF,
	TOK_WORD,     /* a run of [A-Za-z0-9_.:%-] and bytes >= 0x80, never containing "->" */
	TOK_LBRACE,
	TOK_RBRACE,
	TOK_SEMI,
	TOK_COMMA,
	TOK_ARROW,
	TOK_STRING,   /* "text": printable ASCII on one line, quotes included */
};

struct token {
	enum tok_kind kind;
	const char *text;   /* into the source text; not NUL-terminated */
	size_t len;
	struct loc at;
	bool line_start;    /* the first token on its line */
};

/*
 * Splits len bytes of text into tokens, reporting each character that
 * cannot start a token (and skipping it). Returns a malloc'd array whose
 * last token is TOK_EOF; *n counts it.
 */
struct token *lex(const char *text, size_t len, struct diag *d, size_t *n);

/* Whether t is the word w. */
bool tok_is(const struct token *t, const char *w);

/* How t reads in a message: 'word', ';', or "end of file". */
const char *tok_describe(const struct token *t, char *buf, size_t size);

#endif
