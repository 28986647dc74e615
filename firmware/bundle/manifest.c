/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Boot-bundle manifest parser (contract: bundle/manifest.h). The manifest is
 * what the UEFI stage trusts to verify every other bundle file, so each line
 * is checked completely and the first problem is reported with its line.
 */
#include <stdarg.h>
#include <stdbool.h>

#include <bulkhead/errno.h>

#include "manifest.h"
#include "lib/format.h"
#include "lib/sha256.h"
#include "lib/hex.h"
#include "lib/names.h"
#include "lib/string.h"

#define HASH_DIGITS 64
#define NAME_MAX_LEN (BH_BUNDLE_NAME_MAX - 1)

static char fold(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* The boot volume is FAT, which ignores case, so "A" and "a" are one file. */
static bool same_name_ignoring_case(const char *a, const char *b)
{
	while (*a && fold(*a) == fold(*b)) {
		a++;
		b++;
	}
	return fold(*a) == fold(*b);
}

/*
 * Copies up to len bytes of a name from the file into buf for an error
 * message, with anything unprintable shown as '?' so a hostile manifest
 * cannot send control sequences to the console. Long names are cut with
 * "..." to leave room for the rest of the message.
 */
#define SHOWN_MAX 40
static const char *shown(char buf[SHOWN_MAX + 4], const char *name, size_t len)
{
	size_t n = len < SHOWN_MAX ? len : SHOWN_MAX;

	for (size_t i = 0; i < n; i++)
		buf[i] = name[i] >= 0x20 && name[i] < 0x7f ? name[i] : '?';
	if (n < len) {
		memcpy(buf + n, "...", 3);
		n += 3;
	}
	buf[n] = '\0';
	return buf;
}

__attribute__((format(printf, 4, 5)))
static int fail(struct manifest_error *err, unsigned line, int code,
                const char *fmt, ...)
{
	va_list ap;

	if (err) {
		err->line = line;
		va_start(ap, fmt);
		bh_vsnprintf(err->message, sizeof(err->message), fmt, ap);
		va_end(ap);
	}
	return code;
}

static bool has_nul(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] == '\0')
			return true;
	return false;
}

static bool is_blank(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t')
			return false;
	return true;
}

/* Checks one non-blank, non-comment line and decodes it into e. */
static int parse_line(const char *s, size_t n, unsigned line,
                      struct manifest_entry *e, struct manifest_error *err)
{
	char buf[SHOWN_MAX + 4];
	size_t hex = 0;

	while (hex < n && hex_digit_value(s[hex]) >= 0)
		hex++;
	if (hex != HASH_DIGITS)
		return fail(err, line, -BH_EINVAL, "hash is not 64 hex digits");
	if (n == HASH_DIGITS)
		return fail(err, line, -BH_EINVAL, "missing name after hash");
	/* sha256sum's binary-mode " *name" is refused here too. */
	if (n < HASH_DIGITS + 2 || s[HASH_DIGITS] != ' ' || s[HASH_DIGITS + 1] != ' ' ||
	    (n > HASH_DIGITS + 2 && s[HASH_DIGITS + 2] == ' '))
		return fail(err, line, -BH_EINVAL,
		            "expected two spaces between hash and name");

	const char *name = s + HASH_DIGITS + 2;
	size_t len = n - HASH_DIGITS - 2;
	if (len == 0)
		return fail(err, line, -BH_EINVAL, "missing name after hash");
	if (len > NAME_MAX_LEN)
		return fail(err, line, -BH_EINVAL,
		            "name '%s' is longer than %u bytes",
		            shown(buf, name, len), NAME_MAX_LEN);
	for (size_t i = 0; i < len; i++)
		if (!bh_file_name_char(name[i]))
			return fail(err, line, -BH_EINVAL,
			            "name '%s' has a character outside [A-Za-z0-9._-]",
			            shown(buf, name, len));
	if (name[0] == '.')
		return fail(err, line, -BH_EINVAL, "name '%s' starts with '.'",
		            shown(buf, name, len));

	memcpy(e->name, name, len);
	e->name[len] = '\0';
	/* Cannot fail: all 64 characters were checked above. */
	sha256_from_hex(s, e->sha256);
	return 0;
}

/*
 * Beyond the header's contract: a '\r' before a line's end is dropped so
 * manifests saved by Windows editors parse; a line of only spaces and tabs
 * counts as blank; names that differ only in case are duplicates, since the
 * FAT boot volume cannot hold both; err may be NULL; on success err->line is
 * 0 and the message empty; on any error *count is 0 so a half-read manifest
 * is never used.
 */
int manifest_parse(const char *text, size_t len, struct manifest_entry *out,
                   size_t max, size_t *count, struct manifest_error *err)
{
	size_t used = 0;
	unsigned line = 0;
	size_t pos = 0;

	*count = 0;
	if (err) {
		err->line = 0;
		err->message[0] = '\0';
	}

	while (pos < len) {
		const char *s = text + pos;
		size_t n = 0;
		while (pos + n < len && s[n] != '\n')
			n++;
		pos += n + 1;   /* past the '\n', or one past the end */
		line++;

		if (has_nul(s, n))
			return fail(err, line, -BH_EINVAL, "line has a NUL byte");
		if (n && s[n - 1] == '\r')
			n--;
		if (is_blank(s, n) || s[0] == '#')
			continue;

		struct manifest_entry e;
		int rc = parse_line(s, n, line, &e, err);
		if (rc)
			return rc;

		for (size_t i = 0; i < used; i++) {
			if (strcmp(out[i].name, e.name) == 0)
				return fail(err, line, -BH_EINVAL,
				            "name '%s' appears twice", e.name);
			if (same_name_ignoring_case(out[i].name, e.name))
				return fail(err, line, -BH_EINVAL,
				            "names '%s' and '%s' differ only in case",
				            out[i].name, e.name);
		}
		if (used == max)
			return fail(err, line, -BH_ENOSPC,
			            "more than %zu entries", max);
		out[used++] = e;
	}

	*count = used;
	return 0;
}
