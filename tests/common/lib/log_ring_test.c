/* SPDX-License-Identifier: GPL-2.0-only */
/* The kernel log ring: wraparound, lost-byte accounting, cursor clamping. */
#include "check.h"
#include "lib/log_ring.h"

/* Reads everything from *cursor into a NUL-terminated string. */
static const char *read_all(const struct log_ring *r, uint64_t *cursor,
                            uint64_t *lost)
{
	static char out[256];
	size_t n = log_ring_read(r, cursor, out, sizeof(out) - 1, lost);
	out[n] = '\0';
	return out;
}

static void write_str(struct log_ring *r, const char *s)
{
	log_ring_write(r, s, strlen(s));
}

TEST(empty_ring_reads_nothing)
{
	char buf[8];
	struct log_ring r;
	uint64_t cursor = 0, lost = 99;
	char out[4];

	r = (struct log_ring){ buf, sizeof(buf), 0 };
	CHECK_EQ(log_ring_oldest(&r), 0);
	CHECK_EQ(log_ring_read(&r, &cursor, out, sizeof(out), &lost), 0);
	CHECK_EQ(cursor, 0);
	CHECK_EQ(lost, 0);
}

TEST(read_in_pieces_without_wrapping)
{
	char buf[16];
	struct log_ring r;
	uint64_t cursor = 0, lost;
	char out[4];

	r = (struct log_ring){ buf, sizeof(buf), 0 };
	write_str(&r, "hello world");
	CHECK_EQ(log_ring_read(&r, &cursor, out, 4, &lost), 4);
	CHECK_EQ(memcmp(out, "hell", 4), 0);
	CHECK_EQ(cursor, 4);
	CHECK_STR_EQ(read_all(&r, &cursor, &lost), "o world");
	CHECK_EQ(cursor, 11);
	CHECK_EQ(lost, 0);
	CHECK_STR_EQ(read_all(&r, &cursor, &lost), "");
}

TEST(wraparound_keeps_the_newest_bytes)
{
	char buf[8];
	struct log_ring r;
	uint64_t cursor = 0, lost;

	r = (struct log_ring){ buf, sizeof(buf), 0 };
	write_str(&r, "abcdef");
	write_str(&r, "ghij");          /* wraps: buf holds "ijcdefgh" */
	CHECK_EQ(r.written, 10);
	CHECK_EQ(log_ring_oldest(&r), 2);
	CHECK_EQ(memcmp(buf, "ijcdefgh", 8), 0);
	CHECK_STR_EQ(read_all(&r, &cursor, &lost), "cdefghij");
	CHECK_EQ(lost, 2);
	CHECK_EQ(cursor, 10);
}

TEST(read_that_wraps_in_the_buffer)
{
	char buf[8];
	struct log_ring r;
	uint64_t cursor = 0, lost;

	r = (struct log_ring){ buf, sizeof(buf), 0 };
	write_str(&r, "012345");
	CHECK_STR_EQ(read_all(&r, &cursor, &lost), "012345");
	write_str(&r, "6789");          /* 8, 9 land at buf[0..1] */
	CHECK_STR_EQ(read_all(&r, &cursor, &lost), "6789");
	CHECK_EQ(lost, 0);
	CHECK_EQ(cursor, 10);
}

TEST(write_longer_than_the_ring)
{
	char buf[5];
	struct log_ring r;
	uint64_t cursor = 0, lost;

	r = (struct log_ring){ buf, sizeof(buf), 0 };
	write_str(&r, "xy");
	write_str(&r, "0123456789abc");
	CHECK_EQ(r.written, 15);
	CHECK_EQ(log_ring_oldest(&r), 10);
	CHECK_STR_EQ(read_all(&r, &cursor, &lost), "89abc");
	CHECK_EQ(lost, 10);
}

TEST(lost_bytes_for_a_reader_that_fell_behind)
{
	char buf[4];
	struct log_ring r;
	uint64_t cursor, lost;

	r = (struct log_ring){ buf, sizeof(buf), 0 };
	write_str(&r, "abcdefghij");    /* oldest held: byte 6 */
	cursor = 3;
	CHECK_STR_EQ(read_all(&r, &cursor, &lost), "ghij");
	CHECK_EQ(lost, 3);
	/* A reader that is current loses nothing. */
	write_str(&r, "kl");
	CHECK_STR_EQ(read_all(&r, &cursor, &lost), "kl");
	CHECK_EQ(lost, 0);
	/* lost may be NULL; the jump still happens. */
	cursor = 0;
	CHECK_STR_EQ(read_all(&r, &cursor, NULL), "ijkl");
	CHECK_EQ(cursor, 12);
}

TEST(cursor_beyond_head_is_clamped)
{
	char buf[8];
	struct log_ring r;
	uint64_t cursor = 1000, lost = 99;

	r = (struct log_ring){ buf, sizeof(buf), 0 };
	write_str(&r, "abc");
	CHECK_STR_EQ(read_all(&r, &cursor, &lost), "");
	CHECK_EQ(cursor, 3);
	CHECK_EQ(lost, 0);
	write_str(&r, "de");
	CHECK_STR_EQ(read_all(&r, &cursor, &lost), "de");
	cursor = UINT64_MAX;
	CHECK_STR_EQ(read_all(&r, &cursor, &lost), "");
	CHECK_EQ(cursor, 5);
}

TEST(capacity_one)
{
	char buf[1];
	struct log_ring r;
	uint64_t cursor = 0, lost;

	r = (struct log_ring){ buf, sizeof(buf), 0 };
	write_str(&r, "a");
	CHECK_STR_EQ(read_all(&r, &cursor, &lost), "a");
	CHECK_EQ(lost, 0);
	write_str(&r, "bcd");
	CHECK_EQ(log_ring_oldest(&r), 3);
	CHECK_STR_EQ(read_all(&r, &cursor, &lost), "d");
	CHECK_EQ(lost, 2);
	CHECK_EQ(cursor, 4);
	log_ring_write(&r, "", 0);
	CHECK_STR_EQ(read_all(&r, &cursor, &lost), "");
}

TEST(max_zero_copies_nothing_but_still_jumps)
{
	char buf[4];
	struct log_ring r;
	uint64_t cursor = 0, lost;
	char out[1];

	r = (struct log_ring){ buf, sizeof(buf), 0 };
	write_str(&r, "abcdef");
	CHECK_EQ(log_ring_read(&r, &cursor, out, 0, &lost), 0);
	CHECK_EQ(cursor, 2);
	CHECK_EQ(lost, 2);
}

/* Many small writes of every length against a reference copy of the log. */
TEST(matches_a_flat_copy_of_the_log)
{
	char buf[7], flat[4096], out[16];
	struct log_ring r;
	uint64_t cursor = 0, lost, total = 0;

	r = (struct log_ring){ buf, sizeof(buf), 0 };
	for (unsigned i = 0; total + 16 < sizeof(flat); i++) {
		char chunk[16];
		size_t n = i % 13;
		for (size_t j = 0; j < n; j++)
			chunk[j] = (char)('A' + (total + j) % 26);
		memcpy(flat + total, chunk, n);
		log_ring_write(&r, chunk, n);
		total += n;
		CHECK_EQ(r.written, total);

		/* A reader that reads a little every other round. */
		if (i % 2) {
			uint64_t before = cursor;
			size_t got = log_ring_read(&r, &cursor, out, i % 5, &lost);
			CHECK_EQ(before + lost + got, cursor);
			CHECK_EQ(memcmp(out, flat + cursor - got, got), 0);
			CHECK(cursor >= log_ring_oldest(&r));
		}
	}
}

/* The kernel's console drain: "\n" as "\r\n", within the UART's room. */
TEST(crlf_reads_widen_newlines_and_never_split_a_pair)
{
	char buf[64], out[16];
	struct log_ring r = { buf, sizeof(buf), 0 };
	uint64_t cursor = 0, lost;

	log_ring_write(&r, "ab\ncd\n\nef", 9);
	CHECK_EQ(log_ring_read_crlf(&r, &cursor, out, 3, &lost), 2);   /* "ab", then no room for "\r\n" */
	CHECK_EQ(memcmp(out, "ab", 2), 0);
	CHECK_EQ(cursor, 2);
	/* "\r\ncd" is 4 bytes; the next "\n" would need 2 more. */
	CHECK_EQ(log_ring_read_crlf(&r, &cursor, out, 5, &lost), 4);
	CHECK_EQ(memcmp(out, "\r\ncd", 4), 0);
	CHECK_EQ(cursor, 5);
	CHECK_EQ(log_ring_read_crlf(&r, &cursor, out, sizeof(out), &lost), 6);
	CHECK_EQ(memcmp(out, "\r\n\r\nef", 6), 0);
	CHECK_EQ(cursor, 9);
	CHECK_EQ(log_ring_read_crlf(&r, &cursor, out, sizeof(out), &lost), 0);
}

TEST(crlf_reads_skip_what_the_ring_overwrote)
{
	char buf[4], out[8];
	struct log_ring r = { buf, sizeof(buf), 0 };
	uint64_t cursor = 0, lost;

	log_ring_write(&r, "123456\n", 7);
	CHECK_EQ(log_ring_read_crlf(&r, &cursor, out, sizeof(out), &lost), 5);
	CHECK_EQ(lost, 3);
	CHECK_EQ(memcmp(out, "456\r\n", 5), 0);
}
