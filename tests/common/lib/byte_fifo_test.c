/* SPDX-License-Identifier: GPL-2.0-only */
/* Host tests of common/lib/byte_fifo.c. */
#include "check.h"

#include "lib/byte_fifo.h"

TEST(empty_queue_gives_nothing)
{
	uint8_t buf[4], out[4];
	struct byte_fifo f;
	byte_fifo_init(&f, buf, sizeof(buf));
	CHECK_EQ(byte_fifo_len(&f), 0);
	CHECK_EQ(byte_fifo_take(&f, out, sizeof(out)), 0);
	CHECK_EQ(byte_fifo_take(&f, out, 0), 0);
}

TEST(bytes_come_out_in_order_across_the_wrap)
{
	uint8_t buf[5], out[8];
	struct byte_fifo f;
	byte_fifo_init(&f, buf, sizeof(buf));
	unsigned next_in = 0, next_out = 0;
	/* Uneven puts and takes walk the indices around the buffer many times. */
	for (int round = 0; round < 200; round++) {
		for (int i = 0; i < round % 4 + 1; i++)
			if (byte_fifo_put(&f, (uint8_t)next_in))
				next_in++;
		size_t n = byte_fifo_take(&f, out, (size_t)(round % 3 + 1));
		for (size_t i = 0; i < n; i++)
			CHECK_EQ(out[i], (uint8_t)next_out++);
		CHECK_EQ(byte_fifo_len(&f), next_in - next_out);
	}
	CHECK(next_out > 200);
}

TEST(full_queue_refuses_new_bytes_and_counts_them)
{
	uint8_t buf[3], out[8];
	struct byte_fifo f;
	byte_fifo_init(&f, buf, sizeof(buf));
	CHECK(byte_fifo_put(&f, 'a'));
	CHECK(byte_fifo_put(&f, 'b'));
	CHECK(byte_fifo_put(&f, 'c'));
	CHECK(!byte_fifo_put(&f, 'd'));
	CHECK(!byte_fifo_put(&f, 'e'));
	CHECK_EQ(f.dropped, 2);
	CHECK_EQ(byte_fifo_len(&f), 3);
	CHECK_EQ(byte_fifo_take(&f, out, 2), 2);
	CHECK(out[0] == 'a' && out[1] == 'b');
	CHECK(byte_fifo_put(&f, 'f'));
	CHECK_EQ(byte_fifo_take(&f, out, sizeof(out)), 2);
	CHECK(out[0] == 'c' && out[1] == 'f');   /* old bytes never overwritten */
	CHECK_EQ(f.dropped, 2);
}
