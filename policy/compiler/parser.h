/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The parser's insides, shared by parse.c (token handling, blocks,
 * statements) and parse_props.c (each block's properties and values).
 */
#ifndef POLICY_PARSER_H
#define POLICY_PARSER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "lex.h"
#include "model.h"

struct parser {
	const struct token *t;
	size_t i, n;
	struct policy *pol;
	struct diag *d;
	char buf[64];          /* tok_describe's */
};

/* The current token; the one k further (or EOF); move on by one. */
const struct token *cur(struct parser *ps);
const struct token *ahead(struct parser *ps, size_t k);
void advance(struct parser *ps);

/* How t reads in a message. */
const char *desc(struct parser *ps, const struct token *t);

/* Just after the previous token: where a missing ';' or ',' belongs. */
struct loc after_prev(struct parser *ps);

/* A malloc'd copy of t's text. */
char *word_dup(const struct token *t);

/* A statement keyword at the start of a line, shaped like a statement:
 * where a parse that lost its way picks up again. */
bool statement_here(struct parser *ps);

/* A size value (like 64K, 2M, 1G), consumed; false after reporting it. */
bool size_value(struct parser *ps, uint64_t *v);

/* A property: its word, and the parser of what follows it up to (not
 * including) its ';'. Returns false after reporting a bad value. */
struct prop_def {
	const char *word;
	bool (*parse)(struct parser *ps, void *obj);
};

/* A block statement's properties, indexed by the block's *_prop enum. */
struct block_def {
	const char *what;              /* "VM", "channel", ... in messages */
	const char *expected;          /* the property words, for messages */
	const struct prop_def *props;
	unsigned nprops;
};

extern const struct block_def vm_block, channel_block, launch_block, device_block,
	monitor_block;

/* "{ property; ... }" of the block called name (NULL if it had none,
 * which was reported): each property parsed into obj and marked in props,
 * every error reported. At the '{'; ends past the '}' (or where the block
 * was found to be broken off). */
void block(struct parser *ps, const struct block_def *b, const char *name,
           struct props *props, void *obj);

#endif
