/* SPDX-License-Identifier: GPL-2.0-only */
/* The boot-bundle manifest parser: valid files and every kind of bad line. */
#include <stdlib.h>

#include <bulkhead/errno.h>

#include "bundle/manifest.h"
#include "check.h"

/* sha256("abc") and sha256(""), in the sha256sum(1) spelling. */
#define H_ABC   "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
#define H_EMPTY "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

static struct manifest_entry entries[BH_BUNDLE_MAX_FILES];
static size_t count;
static struct manifest_error err;

/*
 * Parses len bytes copied into a heap block of exactly that size, so ASan
 * catches any read past the end (the real text is not NUL-terminated).
 */
static int parse_n(const char *text, size_t len, size_t max)
{
	char *copy = malloc(len ? len : 1);
	memcpy(copy, text, len);
	memset(&err, 0x55, sizeof(err));
	count = 12345;
	int rc = manifest_parse(copy, len, entries, max, &count, &err);
	free(copy);
	return rc;
}

static int parse(const char *text)
{
	return parse_n(text, strlen(text), BH_BUNDLE_MAX_FILES);
}

/* Expects text to fail with code on line, with exactly message. */
#define CHECK_ERROR(text, code, line_no, msg)                              \
	do {                                                                \
		CHECK_EQ(parse(text), (code));                              \
		CHECK_EQ(count, 0);                                         \
		CHECK_EQ(err.line, (line_no));                              \
		CHECK_STR_EQ(err.message, (msg));                           \
	} while (0)

TEST(valid_manifest)
{
	const char *text =
		"# Bulkhead boot bundle\n"
		H_ABC "  policy.bin\n"
		"\n"
		H_EMPTY "  cmdline\n"
		"BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD"
		"  Guest_1-a.img\n";
	CHECK_EQ(parse(text), 0);
	CHECK_EQ(count, 3);
	CHECK_EQ(err.line, 0);
	CHECK_STR_EQ(err.message, "");
	CHECK_STR_EQ(entries[0].name, "policy.bin");
	CHECK_EQ(entries[0].sha256[0], 0xba);
	CHECK_EQ(entries[0].sha256[31], 0xad);
	CHECK_STR_EQ(entries[1].name, "cmdline");
	CHECK_EQ(entries[1].sha256[0], 0xe3);
	CHECK_EQ(entries[1].sha256[31], 0x55);
	CHECK_STR_EQ(entries[2].name, "Guest_1-a.img");
	CHECK_EQ(memcmp(entries[2].sha256, entries[0].sha256, 32), 0);
}

TEST(empty_manifest_is_valid)
{
	CHECK_EQ(parse(""), 0);
	CHECK_EQ(count, 0);
	CHECK_EQ(parse("# nothing here\n\n   \n\t\n"), 0);
	CHECK_EQ(count, 0);
}

TEST(missing_final_newline)
{
	CHECK_EQ(parse(H_ABC "  a\n" H_EMPTY "  b"), 0);
	CHECK_EQ(count, 2);
	CHECK_STR_EQ(entries[1].name, "b");
}

TEST(crlf_line_ends_are_accepted)
{
	CHECK_EQ(parse("# made on Windows\r\n" H_ABC "  a\r\n\r\n" H_EMPTY "  b\r"),
	         0);
	CHECK_EQ(count, 2);
	CHECK_STR_EQ(entries[0].name, "a");
	CHECK_STR_EQ(entries[1].name, "b");
	/* A '\r' anywhere but the end of a line is a bad name character. */
	CHECK_ERROR(H_ABC "  a\rb\n", -BH_EINVAL, 1,
	            "name 'a?b' has a character outside [A-Za-z0-9._-]");
}

TEST(bad_hash_character)
{
	CHECK_ERROR("# ok\n"
	            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ag  a\n",
	            -BH_EINVAL, 2, "hash is not 64 hex digits");
	CHECK_ERROR("xa7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad  a\n",
	            -BH_EINVAL, 1, "hash is not 64 hex digits");
}

TEST(short_and_long_hash)
{
	CHECK_ERROR("a7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad  a\n",
	            -BH_EINVAL, 1, "hash is not 64 hex digits");
	CHECK_ERROR(H_ABC "0  a\n", -BH_EINVAL, 1, "hash is not 64 hex digits");
	CHECK_ERROR("abc\n", -BH_EINVAL, 1, "hash is not 64 hex digits");
	/* A comment must start in the first column. */
	CHECK_ERROR(" # indented\n", -BH_EINVAL, 1, "hash is not 64 hex digits");
}

TEST(separator_must_be_two_spaces)
{
	CHECK_ERROR(H_ABC " a\n", -BH_EINVAL, 1,
	            "expected two spaces between hash and name");
	CHECK_ERROR(H_ABC "   a\n", -BH_EINVAL, 1,
	            "expected two spaces between hash and name");
	CHECK_ERROR(H_ABC "\t\ta\n", -BH_EINVAL, 1,
	            "expected two spaces between hash and name");
	/* sha256sum's binary-mode marker. */
	CHECK_ERROR(H_ABC " *a\n", -BH_EINVAL, 1,
	            "expected two spaces between hash and name");
	CHECK_ERROR(H_ABC " \n", -BH_EINVAL, 1,
	            "expected two spaces between hash and name");
}

TEST(missing_name)
{
	CHECK_ERROR(H_ABC "\n", -BH_EINVAL, 1, "missing name after hash");
	CHECK_ERROR(H_ABC, -BH_EINVAL, 1, "missing name after hash");
	CHECK_ERROR(H_ABC "  \n", -BH_EINVAL, 1, "missing name after hash");
	CHECK_ERROR(H_ABC "  \r\n", -BH_EINVAL, 1, "missing name after hash");
}

TEST(bad_name_characters)
{
	CHECK_ERROR(H_ABC "  a/b\n", -BH_EINVAL, 1,
	            "name 'a/b' has a character outside [A-Za-z0-9._-]");
	CHECK_ERROR(H_ABC "  a b\n", -BH_EINVAL, 1,
	            "name 'a b' has a character outside [A-Za-z0-9._-]");
	CHECK_ERROR(H_ABC "  trailing \n", -BH_EINVAL, 1,
	            "name 'trailing ' has a character outside [A-Za-z0-9._-]");
	CHECK_ERROR(H_ABC "  ..\\x\n", -BH_EINVAL, 1,
	            "name '..\\x' has a character outside [A-Za-z0-9._-]");
	/* Control characters are not echoed to the console. */
	CHECK_ERROR(H_ABC "  a\033[2Jb\n", -BH_EINVAL, 1,
	            "name 'a?[2Jb' has a character outside [A-Za-z0-9._-]");
	CHECK_ERROR(H_ABC "  caf\xc3\xa9\n", -BH_EINVAL, 1,
	            "name 'caf?" "?' has a character outside [A-Za-z0-9._-]");
}

TEST(name_starting_with_dot)
{
	CHECK_ERROR(H_ABC "  .hidden\n", -BH_EINVAL, 1,
	            "name '.hidden' starts with '.'");
	CHECK_ERROR(H_ABC "  ..\n", -BH_EINVAL, 1, "name '..' starts with '.'");
	CHECK_EQ(parse(H_ABC "  a.b.c\n"), 0);
}

TEST(name_length_limit)
{
	/* 47 bytes is the most BH_BUNDLE_NAME_MAX holds with its NUL. */
	const char *name47 = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTU";
	char text[200];
	CHECK_EQ(strlen(name47), BH_BUNDLE_NAME_MAX - 1);
	snprintf(text, sizeof(text), H_ABC "  %s\n", name47);
	CHECK_EQ(parse(text), 0);
	CHECK_STR_EQ(entries[0].name, name47);

	snprintf(text, sizeof(text), "\n" H_ABC "  %sV\n", name47);
	CHECK_ERROR(text, -BH_EINVAL, 2,
	            "name 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMN...' is longer than 47 bytes");
}

TEST(duplicate_names)
{
	CHECK_ERROR(H_ABC "  x\n" H_EMPTY "  y\n" H_EMPTY "  x\n", -BH_EINVAL, 3,
	            "name 'x' appears twice");
	/* The boot volume is FAT: case does not make a second file. */
	CHECK_ERROR(H_ABC "  Kernel\n" H_EMPTY "  kERNEL\n", -BH_EINVAL, 2,
	            "names 'Kernel' and 'kERNEL' differ only in case");
	/* Same hash, different names is fine. */
	CHECK_EQ(parse(H_ABC "  x\n" H_ABC "  x2\n"), 0);
}

TEST(nul_byte)
{
	static const char text[] = H_ABC "  a\n" H_EMPTY "  b\0c\n";
	CHECK_EQ(parse_n(text, sizeof(text) - 1, BH_BUNDLE_MAX_FILES), -BH_EINVAL);
	CHECK_EQ(err.line, 2);
	CHECK_STR_EQ(err.message, "line has a NUL byte");
	CHECK_EQ(count, 0);
	/* Even in a comment: the file is corrupt. */
	static const char comment[] = "# a\0b\n";
	CHECK_EQ(parse_n(comment, sizeof(comment) - 1, 4), -BH_EINVAL);
	CHECK_EQ(err.line, 1);
}

TEST(too_many_entries)
{
	const char *text = H_ABC "  a\n# c\n" H_ABC "  b\n\n" H_ABC "  c\n";
	CHECK_EQ(parse_n(text, strlen(text), 2), -BH_ENOSPC);
	CHECK_EQ(err.line, 5);
	CHECK_STR_EQ(err.message, "more than 2 entries");
	CHECK_EQ(count, 0);
	/* Exactly max is fine. */
	CHECK_EQ(parse_n(text, strlen(text), 3), 0);
	CHECK_EQ(count, 3);
	CHECK_EQ(parse_n("", 0, 0), 0);
	CHECK_EQ(parse_n(text, strlen(text), 0), -BH_ENOSPC);
	CHECK_EQ(err.line, 1);
}

TEST(full_table_of_max_files)
{
	char text[BH_BUNDLE_MAX_FILES * 80 + 1];
	size_t len = 0;
	for (unsigned i = 0; i < BH_BUNDLE_MAX_FILES; i++)
		len += (size_t)snprintf(text + len, sizeof(text) - len,
		                        H_ABC "  file%u\n", i);
	CHECK_EQ(parse_n(text, len, BH_BUNDLE_MAX_FILES), 0);
	CHECK_EQ(count, BH_BUNDLE_MAX_FILES);
	CHECK_STR_EQ(entries[BH_BUNDLE_MAX_FILES - 1].name, "file63");
}

TEST(first_bad_line_is_reported)
{
	CHECK_ERROR(H_ABC "  a\n" H_ABC "  b\n" "\n" "nonsense\n" H_ABC " c\n",
	            -BH_EINVAL, 4, "hash is not 64 hex digits");
}

TEST(null_err_is_allowed)
{
	size_t n = 7;
	CHECK_EQ(manifest_parse("x\n", 2, entries, 4, &n, NULL), -BH_EINVAL);
	CHECK_EQ(n, 0);
	CHECK_EQ(manifest_parse(H_ABC "  a", 67, entries, 4, &n, NULL), 0);
	CHECK_EQ(n, 1);
}
