/* SPDX-License-Identifier: GPL-2.0-only */
/* Host tests of the one name rule (common/lib/names.c) and hex digits. */
#include "check.h"

#include "lib/hex.h"
#include "lib/names.h"

TEST(names_of_the_allowed_characters_are_valid)
{
	CHECK(bh_name_valid("a"));
	CHECK(bh_name_valid("hello"));
	CHECK(bh_name_valid("echo-server_2"));
	CHECK(bh_name_valid("0"));
	CHECK(bh_name_valid("abcdefghijklmnopqrstuvwxyz01234")); /* 31 */
}

TEST(empty_long_and_odd_names_are_refused)
{
	CHECK(!bh_name_valid(""));
	CHECK(!bh_name_valid("abcdefghijklmnopqrstuvwxyz012345")); /* 32 */
	CHECK(!bh_name_valid("Hello"));
	CHECK(!bh_name_valid("a b"));
	CHECK(!bh_name_valid("a.b"));
	CHECK(!bh_name_valid("a/b"));
	CHECK(!bh_name_valid("a\n"));
	CHECK(!bh_name_valid("\xc3\xa9"));
}

TEST(an_unterminated_full_buffer_is_refused_without_overread)
{
	char buf[BH_NAME_MAX];
	memset(buf, 'a', sizeof(buf));  /* ASan catches a read past the end */
	CHECK(!bh_name_valid(buf));
}

TEST(name_chars_are_exactly_the_rule)
{
	unsigned n = 0;
	for (int c = 1; c < 256; c++)
		n += bh_name_char((char)c);
	CHECK_EQ(n, 26 + 10 + 2);
}

TEST(hex_digits_in_either_case)
{
	CHECK_EQ(hex_digit_value('0'), 0);
	CHECK_EQ(hex_digit_value('9'), 9);
	CHECK_EQ(hex_digit_value('a'), 10);
	CHECK_EQ(hex_digit_value('F'), 15);
	CHECK_EQ(hex_digit_value('g'), -1);
	CHECK_EQ(hex_digit_value('/'), -1);
	CHECK_EQ(hex_digit_value(':'), -1);
	CHECK_EQ(hex_digit_value('@'), -1);
	CHECK_EQ(hex_digit_value('\0'), -1);
}

TEST(file_names_follow_the_bundle_rule)
{
	CHECK(bh_file_name_valid("hello.elf"));
	CHECK(bh_file_name_valid("policy.bin"));
	CHECK(bh_file_name_valid("A-b_c.1"));
	CHECK(bh_file_name_valid("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTU")); /* 47 */
	CHECK(!bh_file_name_valid("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUV")); /* 48 */
	CHECK(!bh_file_name_valid(""));
	CHECK(!bh_file_name_valid(".hidden"));
	CHECK(!bh_file_name_valid("a/b.elf"));
	CHECK(!bh_file_name_valid("a b.elf"));
	CHECK(!bh_file_name_valid("a\\b"));
	CHECK(bh_file_name_char('.') && bh_file_name_char('Z') && !bh_file_name_char(':'));
}
