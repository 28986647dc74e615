/* SPDX-License-Identifier: GPL-2.0-only */
#include "lex.h"

#include <stdio.h>
#include <string.h>

#include "util.h"

/* Bytes >= 0x80 belong to words, so a name in UTF-8 is one (invalid) word
 * with one error, not a cascade; messages escape them. */
static bool is_word_char(char c)
{
	return (unsigned char)c >= 0x80 || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '.' || c == ':' || c == '%' || c == '-';
}

static bool starts_token_or_space(char c)
{
	return c && (is_word_char(c) || strchr("{};,# \t\r\n", c) != NULL);
}

/* A string from its opening '"' at *i through its closing '"', which
 * must be on the same line; *i ends past it. Only printable ASCII may come
 * between the quotes (one report for the first other byte), and there are
 * no escapes: a string cannot hold '"'. */
static void string_token(const char *text, size_t len, size_t *i, struct loc at,
                         struct diag *d)
{
	size_t j = *i + 1;
	bool reported = false;

	for (; j < len && text[j] != '"' && text[j] != '\n'; j++) {
		unsigned char c = (unsigned char)text[j];
		if ((c < 0x20 || c > 0x7e) && !reported) {
			diag_error(d, (struct loc){ at.line, at.col + (unsigned)(j - *i) },
			           "byte 0x%02x in a string: a string holds printable ASCII only", c);
			reported = true;
		}
	}
	if (j < len && text[j] == '"') {
		*i = j + 1;
		return;
	}
	diag_error(d, at, "this string is not closed by a '\"' on its line");
	*i = j;
}

struct token *lex(const char *text, size_t len, struct diag *d, size_t *n)
{
	struct token *t = NULL;
	size_t nt = 0, cap = 0, i = 0;
	struct loc at = { 1, 1 };
	unsigned last_line = 0;

	while (i < len) {
		char c = text[i];
		if (c == '\n') {
			i++;
			at.line++;
			at.col = 1;
			continue;
		}
		if (c == ' ' || c == '\t' || c == '\r') {
			i++;
			at.col++;
			continue;
		}
		if (c == '#') {
			while (i < len && text[i] != '\n') {
				i++;
				at.col++;
			}
			continue;
		}
		size_t start = i;
		enum tok_kind kind;
		if (c == '-' && i + 1 < len && text[i + 1] == '>') {
			kind = TOK_ARROW;
			i += 2;
		} else if (is_word_char(c)) {
			kind = TOK_WORD;
			while (i < len && is_word_char(text[i]) &&
			       !(text[i] == '-' && i + 1 < len && text[i + 1] == '>'))
				i++;
		} else if (c == '"') {
			kind = TOK_STRING;
			string_token(text, len, &i, at, d);
		} else if (c == '{' || c == '}' || c == ';' || c == ',') {
			kind = c == '{' ? TOK_LBRACE : c == '}' ? TOK_RBRACE : c == ';' ? TOK_SEMI : TOK_COMMA;
			i++;
		} else {
			/* One report for a run of such bytes (a UTF-8 character,
			 * say), not one per byte. */
			if (c >= 0x21 && c <= 0x7e)
				diag_error(d, at, "unexpected character '%c'", c);
			else
				diag_error(d, at, "unexpected byte 0x%02x", (unsigned char)c);
			do {
				i++;
				at.col++;
			} while (i < len && !starts_token_or_space(text[i]));
			continue;
		}
		struct token *tok = VEC_PUSH(t, nt, cap);
		*tok = (struct token){ .kind = kind, .text = text + start, .len = i - start,
		                       .at = at, .line_start = at.line != last_line };
		last_line = at.line;
		at.col += (unsigned)(i - start);
	}
	struct token *eof = VEC_PUSH(t, nt, cap);
	*eof = (struct token){ .kind = TOK_EOF, .text = text + len, .at = at, .line_start = true };
	*n = nt;
	return t;
}

bool tok_is(const struct token *t, const char *w)
{
	return t->kind == TOK_WORD && t->len == strlen(w) && memcmp(t->text, w, t->len) == 0;
}

const char *tok_describe(const struct token *t, char *buf, size_t size)
{
	switch (t->kind) {
	case TOK_EOF:    return "end of file";
	case TOK_LBRACE: return "'{'";
	case TOK_RBRACE: return "'}'";
	case TOK_SEMI:   return "';'";
	case TOK_COMMA:  return "','";
	case TOK_ARROW:  return "'->'";
	case TOK_STRING:
		if (t->len > 40)
			snprintf(buf, size, "the string %.37s...", t->text);
		else
			snprintf(buf, size, "the string %.*s", (int)t->len, t->text);
		return buf;
	case TOK_WORD:   break;
	}
	if (t->len > 40)
		snprintf(buf, size, "'%.37s...'", t->text);
	else
		snprintf(buf, size, "'%.*s'", (int)t->len, t->text);
	return buf;
}
