/* SPDX-License-Identifier: GPL-2.0-only */
/* Event-log entries: the SHA-1 header entry and crypto-agile entries. */
#include <stdlib.h>
#include <string.h>

#include <bulkhead/errno.h>

#include "check.h"
#include "tpm/tcg2_event_log.h"

static uint8_t buf[256];
static size_t len;

static void put(const void *p, size_t n) { memcpy(buf + len, p, n); len += n; }
static void put32(uint32_t v) { uint8_t b[4] = { v, v >> 8, v >> 16, v >> 24 }; put(b, 4); }
static void put16(uint32_t v) { uint8_t b[2] = { v, v >> 8 }; put(b, 2); }
static void fill(uint8_t byte, size_t n) { memset(buf + len, byte, n); len += n; }

/* PCR 12, EV_IPL, SHA-1 and SHA-256 digests, event data "policy.bin". */
static void event2(void)
{
	memset(buf, 0, sizeof(buf));
	len = 0;
	put32(12);
	put32(0xd);
	put32(2);
	put16(0x0004);
	fill(0x11, 20);
	put16(0x000b);
	fill(0x22, 32);
	put32(10);
	put("policy.bin", 10);
}

/* Parses a heap copy of exactly n bytes, so ASan sees any overread. */
static long parse(size_t n, struct tcg2_event *ev, char *data)
{
	uint8_t *copy = malloc(n ? n : 1);
	memcpy(copy, buf, n);
	long r = tcg2_event2_parse(copy, n, ev);
	if (r >= 0) {
		CHECK(ev->sha256 == NULL || (ev->sha256 >= copy && ev->sha256 + 32 <= copy + n));
		if (ev->sha256)
			CHECK_EQ(ev->sha256[0], 0x22);
		memcpy(data, ev->data, ev->data_size);
		data[ev->data_size] = 0;
	}
	free(copy);
	return r;
}

TEST(crypto_agile_entry)
{
	struct tcg2_event ev;
	char data[64];
	event2();
	CHECK_EQ(parse(len, &ev, data), (long)len);
	CHECK_EQ(ev.pcr, 12);
	CHECK_EQ(ev.type, 0xd);
	CHECK_STR_EQ(data, "policy.bin");
	CHECK_EQ(ev.data_size, 10);
	/* Trailing bytes of the next entry are not part of this one. */
	fill(0x99, 8);
	CHECK_EQ(parse(len, &ev, data), (long)len - 8);
}

TEST(entry_without_sha256)
{
	struct tcg2_event ev;
	char data[64];
	len = 0;
	put32(0);
	put32(1);
	put32(1);
	put16(0x000c);         /* SHA-384 only */
	fill(0x33, 48);
	put32(0);
	CHECK_EQ(parse(len, &ev, data), (long)len);
	CHECK(ev.sha256 == NULL);
	CHECK_EQ(ev.data_size, 0);
}

TEST(truncated_or_unknown)
{
	struct tcg2_event ev;
	char data[64];
	event2();
	for (size_t n = 0; n < len; n++)
		CHECK_EQ(parse(n, &ev, data), -BH_EINVAL);
	event2();
	buf[12] = 0x99;        /* an algorithm of unknown digest size */
	CHECK_EQ(parse(len, &ev, data), -BH_EINVAL);
	event2();
	buf[8] = 0xff;         /* more digests than there are bytes */
	CHECK_EQ(parse(len, &ev, data), -BH_EINVAL);
}

TEST(header_entry)
{
	len = 0;
	put32(0);
	put32(3);              /* EV_NO_ACTION */
	fill(0, 20);
	put32(5);
	put("Spec\0", 5);
	CHECK_EQ(tcg2_log_header_size(buf, len), (long)len);
	CHECK_EQ(tcg2_log_header_size(buf, len - 1), -BH_EINVAL);
	CHECK_EQ(tcg2_log_header_size(buf, 10), -BH_EINVAL);
}
