/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * docs/hypercalls.md against the hypercall list (BH_HYPERCALLS,
 * include/bulkhead/hypercall.h): every call has a row in the table under
 * "## The calls" with its number, name and right; every row of every table
 * that names a call agrees with the list; the document names no call the
 * list lacks; the reserved range starts right after the last call. Run from
 * the repository root. The checker is also run on doctored copies, so a
 * checker that accepts anything fails.
 */
#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>

#include <bulkhead/hypercall.h>

#include "check.h"

#define DOC "docs/hypercalls.md"

struct call {
	unsigned nr;
	const char *name;    /* without BH_HC_ */
	const char *right;   /* BH_POLICY_RIGHT_* or "0" */
};

#define CALL(nr, NAME, handler, right) { nr, #NAME, #right },
static const struct call calls[] = { BH_HYPERCALLS(CALL) };
#undef CALL
#define NCALLS (sizeof(calls) / sizeof(calls[0]))

static char *read_doc(void)
{
	FILE *f = fopen(DOC, "r");
	if (!f)
		check_fail(__FILE__, __LINE__, "cannot open %s (run from the repository root)", DOC);
	static char buf[1 << 17];
	size_t n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = 0;
	return strdup(buf);
}

/* The policy language's word for a right: "console" for
 * BH_POLICY_RIGHT_CONSOLE, "none" for 0. */
static void right_word(const char *right, char *out, size_t n)
{
	const char *p = !strcmp(right, "0") ? "none" : right + strlen("BH_POLICY_RIGHT_");
	size_t i = 0;
	for (; p[i] && i + 1 < n; i++)
		out[i] = (char)tolower((unsigned char)p[i]);
	out[i] = 0;
}

static const struct call *find_call(const char *name, size_t len)
{
	for (size_t i = 0; i < NCALLS; i++)
		if (strlen(calls[i].name) == len && !strncmp(calls[i].name, name, len))
			return &calls[i];
	return NULL;
}

/* Cell i of a table row (0-based, between the bars), trimmed of spaces and
 * backticks, into out; false if the row has fewer cells. */
static bool cell(const char *row, unsigned i, char *out, size_t n)
{
	const char *p = row;
	for (unsigned k = 0; k <= i; k++) {
		p = strchr(p, '|');
		if (!p)
			return false;
		p++;
	}
	const char *end = strchr(p, '|');
	const char *nl = strchr(p, '\n');
	if (!end || (nl && nl < end))
		return false;
	while (p < end && (*p == ' ' || *p == '`'))
		p++;
	while (end > p && (end[-1] == ' ' || end[-1] == '`'))
		end--;
	size_t len = (size_t)(end - p) < n - 1 ? (size_t)(end - p) : n - 1;
	memcpy(out, p, len);
	out[len] = 0;
	return true;
}

/* The column whose header is one of the words, or -1. */
static int column(const char *header, const char *a, const char *b)
{
	char c[64];
	for (unsigned i = 0; cell(header, i, c, sizeof(c)); i++)
		if (!strcmp(c, a) || (b && !strcmp(c, b)))
			return (int)i;
	return -1;
}

/*
 * Checks text (a copy of the document) against the list. Returns 0, or -1
 * with the first problem in why.
 */
static int check_doc(const char *text, char *why, size_t n)
{
	bool in_calls_table[NCALLS] = { 0 };
	const char *section = "";
	const char *header = NULL;
	int nr_col = -1, name_col = -1, right_col = -1;
	bool reserved_seen = false;

	for (const char *line = text; *line; ) {
		const char *next = strchr(line, '\n');
		next = next ? next + 1 : line + strlen(line);
		if (!strncmp(line, "## ", 3))
			section = line;
		if (line[0] != '|') {
			header = NULL;
		} else if (!header) {
			header = line;
			nr_col = column(header, "nr", NULL);
			name_col = column(header, "name", "call");
			right_col = column(header, "right", NULL);
		} else if (strncmp(line, "|---", 4) && nr_col >= 0 && name_col >= 0) {
			char nr[32], name[128], right[32];
			cell(line, (unsigned)nr_col, nr, sizeof(nr));
			cell(line, (unsigned)name_col, name, sizeof(name));
			const char *hc = strstr(name, "BH_HC_");
			if (!hc) {
				unsigned first, last;
				if (sscanf(nr, "%u..%u", &first, &last) != 2 ||
				    first != BH_HC_RESERVED_FIRST || last != BH_HC_RESERVED_LAST) {
					snprintf(why, n, "row '%s' is not the reserved range %u..%u",
					         nr, BH_HC_RESERVED_FIRST, BH_HC_RESERVED_LAST);
					return -1;
				}
				reserved_seen = true;
			} else {
				hc += strlen("BH_HC_");
				size_t len = strspn(hc, "ABCDEFGHIJKLMNOPQRSTUVWXYZ_");
				const struct call *c = find_call(hc, len);
				char *end;
				if (!c) {
					snprintf(why, n, "BH_HC_%.*s is not in the list", (int)len, hc);
					return -1;
				}
				if (strtoul(nr, &end, 10) != c->nr || *end || !*nr) {
					snprintf(why, n, "BH_HC_%s is %u, not %s", c->name, c->nr, nr);
					return -1;
				}
				if (right_col >= 0) {
					char want[32];
					right_word(c->right, want, sizeof(want));
					cell(line, (unsigned)right_col, right, sizeof(right));
					if (strcmp(right, want)) {
						snprintf(why, n, "BH_HC_%s needs right '%s', not '%s'",
						         c->name, want, right);
						return -1;
					}
					if (!strncmp(section, "## The calls\n", 13))
						in_calls_table[c - calls] = true;
				}
			}
		}
		line = next;
	}
	for (size_t i = 0; i < NCALLS; i++) {
		if (!in_calls_table[i]) {
			snprintf(why, n, "BH_HC_%s has no row with its right under \"## The calls\"",
			         calls[i].name);
			return -1;
		}
	}
	if (!reserved_seen) {
		snprintf(why, n, "no row for the reserved numbers");
		return -1;
	}
	/* Prose too: every BH_HC_ name the document uses is in the list. */
	for (const char *p = strstr(text, "BH_HC_"); p; p = strstr(p + 1, "BH_HC_")) {
		const char *s = p + strlen("BH_HC_");
		size_t len = strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZ_");
		if (!find_call(s, len) && strncmp(s, "COUNT", len) && strncmp(s, "RESERVED_", 9)) {
			snprintf(why, n, "BH_HC_%.*s is not in the list", (int)len, s);
			return -1;
		}
	}
	return 0;
}

/* The document with the first `from` after `after` replaced by `to`. */
static char *doctored(const char *after, const char *from, const char *to)
{
	char *doc = read_doc();
	char *at = strstr(doc, after);
	CHECK(at != NULL);
	at = strstr(at, from);
	CHECK(at != NULL);
	char *out = malloc(strlen(doc) + strlen(to) + 1);
	memcpy(out, doc, (size_t)(at - doc));
	strcpy(out + (at - doc), to);
	strcat(out, at + strlen(from));
	free(doc);
	return out;
}

TEST(the_document_agrees_with_the_list)
{
	char why[200] = "";
	char *doc = read_doc();
	int rc = check_doc(doc, why, sizeof(why));
	free(doc);
	if (rc)
		check_fail(__FILE__, __LINE__, "%s: %s", DOC, why);
}

/* Doctored copies: in the document, after `after`, `from` becomes `to`;
 * the checker must name the problem `what`. */
static const struct {
	const char *after, *from, *to, *what;
} doctorings[] = {
	/* A wrong number, in the main table and in the control calls' own. */
	{ "## The calls", "| 10 | `BH_HC_VM_STOP`", "| 11 | `BH_HC_VM_STOP`",
	  "VM_STOP is 10, not 11" },
	{ "## Control calls", "| 13 | `BH_HC_STATS", "| 12 | `BH_HC_STATS",
	  "STATS is 13, not 12" },
	/* A wrong right. */
	{ "## The calls", "`BH_HC_SHUTDOWN` | `stop`", "`BH_HC_SHUTDOWN` | `stats`",
	  "SHUTDOWN needs right 'stop', not 'stats'" },
	{ "## The calls", "`BH_HC_NULL` | none", "`BH_HC_NULL` | `console`",
	  "NULL needs right 'none', not 'console'" },
	{ "## Control calls", "`launch`", "`stop`",
	  "VM_LAUNCH needs right 'launch', not 'stop'" },
	/* A missing row. */
	{ "## The calls", "| 4 | `BH_HC_TIME` | `time` | none | nanoseconds since boot |\n", "",
	  "BH_HC_TIME has no row" },
	/* A call the list lacks, in a table or in prose. */
	{ "## The calls", "| 23..31 | reserved",
	  "| 23 | `BH_HC_FROB` | `stats` | none | 0 |\n| 24..31 | reserved",
	  "BH_HC_FROB is not in the list" },
	{ "## Adding a call", "call", "call (see BH_HC_GONE)", "BH_HC_GONE is not in the list" },
	/* A reserved range that does not start after the last call. */
	{ "## The calls", "| 23..31 | reserved", "| 24..31 | reserved", "reserved range 23..31" },
};

TEST(each_doctored_copy_is_caught)
{
	for (size_t i = 0; i < sizeof(doctorings) / sizeof(doctorings[0]); i++) {
		char why[200] = "";
		char *doc = doctored(doctorings[i].after, doctorings[i].from, doctorings[i].to);
		int rc = check_doc(doc, why, sizeof(why));
		free(doc);
		if (rc != -1 || !strstr(why, doctorings[i].what))
			check_fail(__FILE__, __LINE__, "doctoring %zu: got \"%s\", want \"%s\"",
			           i, why, doctorings[i].what);
	}
}
