/* SPDX-License-Identifier: GPL-2.0-only */
/* Boot-option lookup in the bundle's "cmdline" text. */
#include <stdlib.h>

#include <bulkhead/errno.h>

#include "check.h"
#include "kernel/cmdline.h"

/*
 * The text is copied into a heap block of exactly its length, so ASan
 * catches any read past len (the real text is not NUL-terminated).
 */
static int get(const char *text, const char *key, char *out, size_t out_size)
{
	size_t len = strlen(text);
	char *copy = malloc(len ? len : 1);
	memcpy(copy, text, len);
	int rc = cmdline_get(copy, len, key, out, out_size);
	free(copy);
	return rc;
}

TEST(key_value)
{
	char v[32];
	CHECK_EQ(get("console=serial log=debug", "console", v, sizeof(v)), 6);
	CHECK_STR_EQ(v, "serial");
	CHECK_EQ(get("console=serial log=debug", "log", v, sizeof(v)), 5);
	CHECK_STR_EQ(v, "debug");
}

TEST(absent_key_leaves_out_untouched)
{
	char v[8] = "keep";
	CHECK_EQ(get("a=1 b=2", "c", v, sizeof(v)), -BH_ENOENT);
	CHECK_STR_EQ(v, "keep");
	CHECK_EQ(get("", "a", v, sizeof(v)), -BH_ENOENT);
	CHECK_EQ(get("   \n\t ", "a", v, sizeof(v)), -BH_ENOENT);
	CHECK_STR_EQ(v, "keep");
}

TEST(last_occurrence_wins)
{
	char v[32];
	CHECK_EQ(get("mem=1 mem=22 other=x mem=333", "mem", v, sizeof(v)), 3);
	CHECK_STR_EQ(v, "333");
	/* A bare key after a value wins too, and the other way round. */
	CHECK_EQ(get("quiet=no quiet", "quiet", v, sizeof(v)), 0);
	CHECK_STR_EQ(v, "");
	CHECK_EQ(get("quiet quiet=no", "quiet", v, sizeof(v)), 2);
	CHECK_STR_EQ(v, "no");
}

TEST(bare_key_and_empty_value)
{
	char v[8] = "junk";
	CHECK_EQ(get("nosmp debug", "nosmp", v, sizeof(v)), 0);
	CHECK_STR_EQ(v, "");
	strcpy(v, "junk");
	CHECK_EQ(get("name=", "name", v, sizeof(v)), 0);
	CHECK_STR_EQ(v, "");
}

TEST(value_keeps_later_equals_signs)
{
	char v[32];
	CHECK_EQ(get("opt=a=b=c", "opt", v, sizeof(v)), 5);
	CHECK_STR_EQ(v, "a=b=c");
}

TEST(key_prefix_of_another_key)
{
	char v[32];
	const char *text = "debug.fault=3 debugger=gdb debu=1";
	CHECK_EQ(get(text, "debug", v, sizeof(v)), -BH_ENOENT);
	CHECK_EQ(get(text, "debug.fault", v, sizeof(v)), 1);
	CHECK_STR_EQ(v, "3");
	CHECK_EQ(get("debug debug.fault=7", "debug", v, sizeof(v)), 0);
	CHECK_EQ(get("debug.fault=7 debug", "debug.fault", v, sizeof(v)), 1);
	CHECK_STR_EQ(v, "7");
	/* Nor is the key a prefix match in the other direction. */
	CHECK_EQ(get("debug=1", "debug.fault", v, sizeof(v)), -BH_ENOENT);
	/* A value that looks like a key is not one. */
	CHECK_EQ(get("x=debug", "debug", v, sizeof(v)), -BH_ENOENT);
}

TEST(comment_lines)
{
	char v[32];
	const char *text =
		"# policy=wrong this whole line is a comment\n"
		"policy=right\n"
		"   # indented comment policy=wrong2\n"
		"\t#policy=wrong3\n"
		"serial=on #not-a-comment\n";
	CHECK_EQ(get(text, "policy", v, sizeof(v)), 5);
	CHECK_STR_EQ(v, "right");
	CHECK_EQ(get(text, "serial", v, sizeof(v)), 2);
	/* '#' inside a line is an ordinary character. */
	CHECK_EQ(get(text, "#not-a-comment", v, sizeof(v)), 0);
	/* A comment on the last line, with no newline, ends the text. */
	CHECK_EQ(get("a=1\n# a=2", "a", v, sizeof(v)), 1);
	CHECK_STR_EQ(v, "1");
}

TEST(whitespace_kinds_separate_words)
{
	char v[32];
	const char *text = "a=1\tb=2\r\nc=3\n\n  d=4\v e=5\f";
	CHECK_EQ(get(text, "b", v, sizeof(v)), 1);
	CHECK_STR_EQ(v, "2");
	CHECK_EQ(get(text, "c", v, sizeof(v)), 1);
	CHECK_STR_EQ(v, "3");
	CHECK_EQ(get(text, "e", v, sizeof(v)), 1);
	CHECK_STR_EQ(v, "5");
}

TEST(nul_byte_separates_words)
{
	char v[32];
	static const char text[] = { 'a', '=', '1', '\0', 'b', '=', '2' };
	CHECK_EQ(cmdline_get(text, sizeof(text), "a", v, sizeof(v)), 1);
	CHECK_STR_EQ(v, "1");
	CHECK_EQ(cmdline_get(text, sizeof(text), "b", v, sizeof(v)), 1);
	CHECK_STR_EQ(v, "2");
}

TEST(len_bounds_the_text)
{
	char v[32];
	/* Only "a=12" is inside len. */
	CHECK_EQ(cmdline_get("a=1234 b=5", 4, "a", v, sizeof(v)), 2);
	CHECK_STR_EQ(v, "12");
	CHECK_EQ(cmdline_get("a=1234 b=5", 4, "b", v, sizeof(v)), -BH_ENOENT);
	CHECK_EQ(cmdline_get("a=1", 0, "a", v, sizeof(v)), -BH_ENOENT);
}

TEST(truncation_returns_full_length)
{
	char v[4];
	memset(v, 'z', sizeof(v));
	CHECK_EQ(get("path=abcdefgh", "path", v, sizeof(v)), 8);
	CHECK_STR_EQ(v, "abc");
	char one[1] = { 'z' };
	CHECK_EQ(get("path=abcdefgh", "path", one, sizeof(one)), 8);
	CHECK_EQ(one[0], '\0');
	/* out_size 0: nothing may be written. */
	CHECK_EQ(get("path=abcdefgh", "path", one + 1, 0), 8);
}

TEST(null_out_only_tests_presence)
{
	CHECK_EQ(get("a=hello", "a", NULL, 0), 5);
	CHECK_EQ(get("a", "a", NULL, 0), 0);
	CHECK_EQ(get("a", "b", NULL, 0), -BH_ENOENT);
}

TEST(empty_key_matches_nothing)
{
	CHECK_EQ(get("=x a=1", "", NULL, 0), -BH_ENOENT);
}

/* A bare key is a presence test: what main.c's options rely on. */
TEST(bare_key_presence)
{
	CHECK_EQ(get("debug", "debug", NULL, 0), 0);
	CHECK_EQ(get("debug=", "debug", NULL, 0), 0);
	CHECK_EQ(get("", "debug", NULL, 0), -BH_ENOENT);
	CHECK_EQ(get("debug.fault", "debug", NULL, 0), -BH_ENOENT);
	CHECK_EQ(get("# debug\n", "debug", NULL, 0), -BH_ENOENT);
	/* Last wins between a bare key and a valued one too. */
	CHECK_EQ(get("debug debug=0", "debug", NULL, 0), 1);
	CHECK_EQ(get("debug=0 debug", "debug", NULL, 0), 0);
}
