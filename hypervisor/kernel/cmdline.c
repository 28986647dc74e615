/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Boot-option lookup (contract: kernel/cmdline.h). The text comes from the
 * boot volume and is scanned in place on every lookup: there are few
 * options, and keeping no parsed copy means nothing to size or free.
 */
#include <stdbool.h>

#include <bulkhead/errno.h>

#include "kernel/cmdline.h"
#include "lib/string.h"

/* NUL separates words too, so a value never holds one and the length
 * cmdline_get returns always matches what strlen sees in the copy. */
static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
	       c == '\v' || c == '\f' || c == '\0';
}

struct cmdline_value {
	const char *text;     /* NULL for a bare key */
	size_t      len;
};

/* Length of the key part of a word: up to its first '=' or its end. */
static size_t key_length(const char *word, size_t wlen)
{
	size_t n = 0;

	while (n < wlen && word[n] != '=')
		n++;
	return n;
}

/*
 * Finds the last word whose key (the part before the first '=') is exactly
 * key, so "debug" never matches "debug.fault=1". A '#' that is the first
 * non-blank character of a line comments out the rest of that line; a '#'
 * elsewhere is an ordinary character. An empty key matches nothing.
 */
static bool cmdline_find(const char *text, size_t len, const char *key,
                         struct cmdline_value *val)
{
	size_t klen = strlen(key);
	bool found = false;
	bool line_start = true;
	size_t i = 0;

	while (i < len) {
		if (is_space(text[i])) {
			if (text[i] == '\n')
				line_start = true;
			i++;
			continue;
		}
		if (line_start && text[i] == '#') {
			while (i < len && text[i] != '\n')
				i++;
			continue;
		}
		line_start = false;

		const char *word = text + i;
		while (i < len && !is_space(text[i]))
			i++;
		size_t wlen = (size_t)(text + i - word);
		size_t wklen = key_length(word, wlen);

		if (klen && wklen == klen && memcmp(word, key, klen) == 0) {
			found = true;
			val->text = wklen < wlen ? word + wklen + 1 : NULL;
			val->len = wklen < wlen ? wlen - wklen - 1 : 0;
		}
	}
	return found;
}

/* "key=" has an empty value: it returns 0 and stores "", like a bare key. */
int cmdline_get(const char *text, size_t len, const char *key,
                char *out, size_t out_size)
{
	struct cmdline_value val;

	if (!cmdline_find(text, len, key, &val))
		return -BH_ENOENT;
	if (out && out_size) {
		size_t n = val.len < out_size - 1 ? val.len : out_size - 1;
		if (n)
			memcpy(out, val.text, n);
		out[n] = '\0';
	}
	return (int)val.len;
}
