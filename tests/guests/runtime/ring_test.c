/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Host tests of the rings (common/lib/channel_ring.c, with the runtime's
 * guests/runtime/ring.c): producer and consumer share one buffer in one
 * process. Byte-for-byte delivery of random-size messages,
 * wrap-around, full and empty, the region split of a channel, how many
 * notifications event suppression lets through, lost-wakeup freedom under
 * random interleavings with sleeping sides, the overwriting one-way ring,
 * and a hostile peer (bad indices, garbage lengths, random scribbles):
 * -BH_EIO, never an access outside the buffer (ASan watches).
 */
#include "check.h"

#include <stdlib.h>
#include <sys/mman.h>

#include <bulkhead/channel.h>
#include <bulkhead/errno.h>
#include <bulkhead/ring.h>

/* ---- Fixture -------------------------------------------------------------- */

static uint64_t rng_state;

static uint64_t rnd(void)
{
	uint64_t x = rng_state;   /* xorshift64* */
	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	rng_state = x;
	return x * 0x2545f4914f6cdd1dull;
}

static uint32_t rnd_below(uint32_t n)
{
	return (uint32_t)(rnd() % n);
}

/* A message length: mostly small, sometimes anything up to max. */
static uint32_t rnd_len(uint32_t max)
{
	switch (rnd_below(4)) {
	case 0:  return rnd_below(max + 1);
	case 1:  return rnd_below(9);
	default: return rnd_below((max < 200 ? max : 200) + 1);
	}
}

static uint8_t pattern(uint64_t seq, uint32_t i)
{
	return (uint8_t)(seq * 131 + i * 7 + (i >> 8) + 1);
}

static void fill(uint8_t *buf, uint64_t seq, uint32_t len)
{
	for (uint32_t i = 0; i < len; i++)
		buf[i] = pattern(seq, i);
	if (len >= 8)
		memcpy(buf, &seq, 8);
}

static bool matches(const uint8_t *buf, uint64_t seq, uint32_t len)
{
	for (uint32_t i = len >= 8 ? 8 : 0; i < len; i++)
		if (buf[i] != pattern(seq, i))
			return false;
	return len < 8 || memcmp(buf, &seq, 8) == 0;
}

/* What a notify callback sees: a counter and a "peer is awake" flag. */
struct bell {
	unsigned int rings;
	bool woke;
	int result;
};

static int ring_bell(void *ctx)
{
	struct bell *b = ctx;

	b->rings++;
	b->woke = true;
	return b->result;
}

struct pair {
	uint8_t *mem;
	uint64_t size;
	struct bh_ring p, c;
	struct bell to_consumer, to_producer;
};

static void pair_setup(struct pair *f, uint64_t size, enum bh_ring_mode mode)
{
	memset(f, 0, sizeof(*f));
	f->size = size;
	void *mem = NULL;   /* exact size: ASan watches the bounds */
	CHECK_EQ(posix_memalign(&mem, 64, size), 0);
	f->mem = mem;
	memset(f->mem, 0, size);
	CHECK_EQ(bh_ring_init(&f->p, f->mem, size, BH_RING_PRODUCER, mode,
	                      ring_bell, &f->to_consumer), 0);
	CHECK_EQ(bh_ring_init(&f->c, f->mem, size, BH_RING_CONSUMER, mode,
	                      ring_bell, &f->to_producer), 0);
}

static void pair_teardown(struct pair *f)
{
	free(f->mem);
}

static struct bh_ring_hdr *hdr(struct pair *f)
{
	return (struct bh_ring_hdr *)f->mem;
}

static uint8_t *data(struct pair *f)
{
	return f->mem + BH_RING_HDR_SIZE;
}

/* Sends message seq of len, expecting 0. */
static void send_ok(struct bh_ring *r, uint64_t seq, uint32_t len)
{
	uint8_t *buf = malloc(len + 1);
	CHECK(buf != NULL);
	fill(buf, seq, len);
	CHECK_EQ(bh_ring_send(r, buf, len), 0);
	free(buf);
}

/* Receives a message, expecting it to be seq of len. */
static void recv_ok(struct bh_ring *r, uint64_t seq, uint32_t len)
{
	uint8_t *buf = malloc(len + 1);
	CHECK(buf != NULL);
	CHECK_EQ(bh_ring_recv(r, buf, len), len);
	CHECK(matches(buf, seq, len));
	free(buf);
}

/* ---- Basics --------------------------------------------------------------- */

TEST(init_checks)
{
	struct bh_ring r;
	uint8_t *mem = aligned_alloc(64, 4096);

	CHECK(mem != NULL);
	CHECK_EQ(bh_ring_init(&r, mem, BH_RING_MIN_SIZE - 1, BH_RING_PRODUCER,
	                      BH_RING_FLOW, NULL, NULL), -BH_EINVAL);
	CHECK_EQ(bh_ring_init(&r, mem + 4, 1024, BH_RING_PRODUCER,
	                      BH_RING_FLOW, NULL, NULL), -BH_EINVAL);
	CHECK_EQ(bh_ring_init(&r, NULL, 1024, BH_RING_PRODUCER,
	                      BH_RING_FLOW, NULL, NULL), -BH_EINVAL);
	CHECK_EQ(bh_ring_init(&r, mem, 1024, (enum bh_ring_role)7,
	                      BH_RING_FLOW, NULL, NULL), -BH_EINVAL);
	/* An overwriting ring needs room for two records of at least 8. */
	CHECK_EQ(bh_ring_init(&r, mem, BH_RING_MIN_SIZE, BH_RING_PRODUCER,
	                      BH_RING_OVERWRITE, NULL, NULL), -BH_EINVAL);

	CHECK_EQ(bh_ring_init(&r, mem, BH_RING_MIN_SIZE, BH_RING_CONSUMER,
	                      BH_RING_FLOW, NULL, NULL), 0);
	CHECK_EQ(bh_ring_max_msg(&r), 4);
	CHECK_EQ(bh_ring_init(&r, mem, 4096, BH_RING_PRODUCER, BH_RING_FLOW,
	                      NULL, NULL), 0);
	CHECK_EQ(r.cap, 4096 - 256);
	CHECK_EQ(bh_ring_max_msg(&r), 4096 - 256 - 4);
	CHECK_EQ(bh_ring_init(&r, mem, 4096, BH_RING_PRODUCER,
	                      BH_RING_OVERWRITE, NULL, NULL), 0);
	CHECK_EQ(bh_ring_max_msg(&r), (4096 - 256) / 2 - 4);
	/* Odd sizes: the data area is trimmed to 8 bytes. */
	CHECK_EQ(bh_ring_init(&r, mem, 1000, BH_RING_PRODUCER, BH_RING_FLOW,
	                      NULL, NULL), 0);
	CHECK_EQ(r.cap, 744);
	free(mem);
}

TEST(send_recv_basic)
{
	struct pair f;
	uint8_t buf[64];

	pair_setup(&f, 4096, BH_RING_FLOW);
	CHECK_EQ(bh_ring_recv(&f.c, buf, sizeof(buf)), -BH_ENODATA);
	CHECK_EQ(bh_ring_next_len(&f.c), -BH_ENODATA);

	send_ok(&f.p, 1, 5);
	send_ok(&f.p, 2, 0);
	send_ok(&f.p, 3, 8);
	/* Records: 4-byte length + payload, padded to 8. */
	CHECK_EQ(hdr(&f)->head, 16 + 8 + 16);
	CHECK_EQ(*(uint32_t *)data(&f), 5);
	CHECK_EQ(*(uint32_t *)(data(&f) + 16), 0);
	CHECK_EQ(*(uint32_t *)(data(&f) + 24), 8);

	CHECK_EQ(bh_ring_next_len(&f.c), 5);
	recv_ok(&f.c, 1, 5);
	CHECK_EQ(hdr(&f)->tail, 16);
	CHECK_EQ(bh_ring_next_len(&f.c), 0);
	CHECK_EQ(bh_ring_recv(&f.c, NULL, 0), 0);   /* empty message, no buffer */
	/* Too small a buffer leaves the message queued. */
	CHECK_EQ(bh_ring_recv(&f.c, buf, 7), -BH_E2BIG);
	CHECK_EQ(bh_ring_next_len(&f.c), 8);
	recv_ok(&f.c, 3, 8);
	CHECK_EQ(bh_ring_recv(&f.c, buf, sizeof(buf)), -BH_ENODATA);
	CHECK_EQ(hdr(&f)->tail, hdr(&f)->head);

	/* Wrong roles, too-long messages. */
	CHECK_EQ(bh_ring_send(&f.c, buf, 1), -BH_EINVAL);
	CHECK_EQ(bh_ring_recv(&f.p, buf, 1), -BH_EINVAL);
	CHECK_EQ(bh_ring_send(&f.p, buf, bh_ring_max_msg(&f.p) + 1), -BH_E2BIG);
	CHECK(!f.p.broken && !f.c.broken);
	pair_teardown(&f);
}

TEST(full_and_empty)
{
	struct pair f;
	uint8_t buf[64];

	pair_setup(&f, 1024, BH_RING_FLOW);   /* cap 768: 48 records of 16 */
	uint64_t n = 0;
	while (bh_ring_send(&f.p, buf, 12) == 0)
		n++;
	CHECK_EQ(n, 768 / 16);
	CHECK_EQ(bh_ring_send(&f.p, buf, 0), -BH_ENOSPC);
	CHECK_EQ(hdr(&f)->head - hdr(&f)->tail, 768);

	/* One freed record makes room for exactly one more. */
	CHECK_EQ(bh_ring_recv(&f.c, buf, sizeof(buf)), 12);
	CHECK_EQ(bh_ring_send(&f.p, buf, 13), -BH_ENOSPC);   /* needs 24 */
	CHECK_EQ(bh_ring_send(&f.p, buf, 12), 0);   /* wraps exactly */
	CHECK_EQ(bh_ring_send(&f.p, buf, 0), -BH_ENOSPC);
	for (uint64_t i = 0; i < n; i++)
		CHECK_EQ(bh_ring_recv(&f.c, buf, sizeof(buf)), 12);
	CHECK_EQ(bh_ring_recv(&f.c, buf, sizeof(buf)), -BH_ENODATA);
	pair_teardown(&f);
}

TEST(wrap_marker)
{
	struct pair f;

	pair_setup(&f, 1024, BH_RING_FLOW);   /* cap 768 */
	/* Leave 760 bytes free but only 8 before the end. */
	send_ok(&f.p, 1, 756);   /* one 760-byte record */
	recv_ok(&f.c, 1, 756);
	/* 20 bytes don't fit in the last 8: marker there, record at 0. */
	send_ok(&f.p, 2, 20);
	CHECK_EQ(*(uint32_t *)(data(&f) + 760), BH_RING_WRAP);
	CHECK_EQ(*(uint32_t *)data(&f), 20);
	CHECK_EQ(hdr(&f)->head, 760 + 8 + 24);
	recv_ok(&f.c, 2, 20);
	CHECK_EQ(hdr(&f)->tail, 792);
	pair_teardown(&f);
}

TEST(max_message_any_offset)
{
	struct pair f;

	pair_setup(&f, 2048, BH_RING_FLOW);
	uint32_t max = bh_ring_max_msg(&f.p);
	CHECK_EQ(max, 2048 - 256 - 4);
	send_ok(&f.p, 1, 100);
	/* The largest message needs the whole data area, from offset 0: the
	 * marker goes out alone and the send waits for it to be read. */
	uint8_t *buf = malloc(max);
	CHECK(buf != NULL);
	fill(buf, 2, max);
	CHECK_EQ(bh_ring_send(&f.p, buf, max), -BH_ENOSPC);
	CHECK_EQ(bh_ring_arm(&f.p, max), -BH_ENOSPC);
	recv_ok(&f.c, 1, 100);
	CHECK_EQ(bh_ring_send(&f.p, buf, max), -BH_ENOSPC);   /* marker unread */
	CHECK_EQ(bh_ring_recv(&f.c, buf, 0), -BH_ENODATA);    /* reads past it */
	CHECK_EQ(bh_ring_arm(&f.p, max), 0);
	CHECK_EQ(bh_ring_send(&f.p, buf, max), 0);
	CHECK_EQ(hdr(&f)->head % f.p.cap, 0);
	recv_ok(&f.c, 2, max);
	/* And again from offset 0: no marker needed. */
	CHECK_EQ(bh_ring_send(&f.p, buf, max), 0);
	recv_ok(&f.c, 2, max);
	free(buf);
	pair_teardown(&f);
}

/* The runtime's record of channels whose memory may be unmapped
 * (guests/runtime/channel.c keeps it in the guest; here the test does). */
uint32_t rt_closed_handles;

/* ---- The region split of a channel ---------------------------------------- */

TEST(channel_split)
{
	uint8_t *mem = aligned_alloc(4096, 8192);
	CHECK(mem != NULL);
	memset(mem, 0, 8192);
	struct bell bell = {0};
	struct bh_channel e0 = { .base = mem, .size = 8192, .handle = 3, .end = 0,
		.flags = BH_CHANNEL_READ | BH_CHANNEL_WRITE | BH_CHANNEL_BOTH |
		         BH_CHANNEL_SIGNAL | BH_CHANNEL_EVENTS };
	struct bh_channel e1 = e0;
	e1.end = 1;
	e1.flags &= ~BH_CHANNEL_SIGNAL;
	struct bh_ring p0, c0, p1, c1;

	CHECK_EQ(bh_ring_init_channel(&p0, &e0, BH_RING_PRODUCER, ring_bell, &bell), 0);
	CHECK_EQ(bh_ring_init_channel(&c0, &e0, BH_RING_CONSUMER, ring_bell, &bell), 0);
	CHECK_EQ(bh_ring_init_channel(&p1, &e1, BH_RING_PRODUCER, ring_bell, &bell), 0);
	CHECK_EQ(bh_ring_init_channel(&c1, &e1, BH_RING_CONSUMER, ring_bell, &bell), 0);
	CHECK((uint8_t *)p0.hdr == mem && (uint8_t *)c1.hdr == mem);
	CHECK((uint8_t *)p1.hdr == mem + 4096 && (uint8_t *)c0.hdr == mem + 4096);
	CHECK(p0.mode == BH_RING_FLOW && p0.cap == 4096 - 256);
	CHECK(p0.ch == &e0 && c1.ch == &e1);
	CHECK(p0.notify != NULL && p1.notify == NULL);   /* end 1 can't signal */

	send_ok(&p0, 10, 33);
	send_ok(&p1, 11, 44);
	recv_ok(&c1, 10, 33);
	recv_ok(&c0, 11, 44);
	CHECK_EQ(bh_ring_recv(&c0, NULL, 0), -BH_ENODATA);

	/* One-way: the writer produces, the reader consumes, nothing else. */
	struct bh_channel w = { .base = mem, .size = 8192, .end = 0,
		.flags = BH_CHANNEL_READ | BH_CHANNEL_WRITE | BH_CHANNEL_SIGNAL };
	struct bh_channel rd = { .base = mem, .size = 8192, .end = 1,
		.flags = BH_CHANNEL_READ | BH_CHANNEL_EVENTS };
	CHECK_EQ(bh_ring_init_channel(&p0, &w, BH_RING_CONSUMER, NULL, NULL), -BH_EPERM);
	CHECK_EQ(bh_ring_init_channel(&p0, &rd, BH_RING_PRODUCER, NULL, NULL), -BH_EPERM);
	CHECK_EQ(bh_ring_init_channel(&p0, &w, BH_RING_PRODUCER, ring_bell, &bell), 0);
	CHECK_EQ(bh_ring_init_channel(&c0, &rd, BH_RING_CONSUMER, ring_bell, &bell), 0);
	CHECK(p0.mode == BH_RING_OVERWRITE && p0.cap == 8192 - 256);
	CHECK((uint8_t *)p0.hdr == mem && (uint8_t *)c0.hdr == mem);

	/* A both-ways flag without write rights is refused, as is a bad end. */
	struct bh_channel bad = e0;
	bad.flags &= ~BH_CHANNEL_WRITE;
	CHECK_EQ(bh_ring_init_channel(&p0, &bad, BH_RING_CONSUMER, NULL, NULL), -BH_EPERM);
	bad = e0;
	bad.end = 2;
	CHECK_EQ(bh_ring_init_channel(&p0, &bad, BH_RING_CONSUMER, NULL, NULL), -BH_EINVAL);
	free(mem);
}

/* ---- Event suppression ------------------------------------------------------ */

TEST(notify_suppression)
{
	struct pair f;
	uint8_t buf[128] = {0};

	pair_setup(&f, 4096, BH_RING_FLOW);
	/* Fresh ring: the consumer may be asleep without having armed, so the
	 * first message rings; the rest of the burst does not. */
	for (int i = 0; i < 10; i++)
		CHECK_EQ(bh_ring_send(&f.p, buf, 16), 0);
	CHECK_EQ(f.to_consumer.rings, 1);

	/* An awake consumer (not armed) is never rung. */
	for (int i = 0; i < 10; i++)
		CHECK_EQ(bh_ring_recv(&f.c, buf, sizeof(buf)), 16);
	for (int i = 0; i < 10; i++)
		CHECK_EQ(bh_ring_send(&f.p, buf, 16), 0);
	CHECK_EQ(f.to_consumer.rings, 1);
	/* The producer never waited: the consumer never rang. */
	CHECK_EQ(f.to_producer.rings, 0);

	/* Consumer drains and goes to sleep: the next burst rings once. */
	while (bh_ring_recv(&f.c, buf, sizeof(buf)) > 0)
		;
	CHECK_EQ(bh_ring_arm(&f.c, 0), -BH_ENODATA);
	for (int i = 0; i < 20; i++)
		CHECK_EQ(bh_ring_send(&f.p, buf, 16), 0);
	CHECK_EQ(f.to_consumer.rings, 2);

	/* A batch of posts and one kick: one ring at most. */
	while (bh_ring_recv(&f.c, buf, sizeof(buf)) > 0)
		;
	CHECK_EQ(bh_ring_arm(&f.c, 0), -BH_ENODATA);
	for (int i = 0; i < 5; i++)
		CHECK_EQ(bh_ring_post(&f.p, buf, 16), 0);
	CHECK_EQ(f.to_consumer.rings, 2);
	CHECK_EQ(bh_ring_kick(&f.p), 0);
	CHECK_EQ(bh_ring_kick(&f.p), 0);
	CHECK_EQ(f.to_consumer.rings, 3);

	/* Arm finds data already there: don't sleep. */
	CHECK_EQ(bh_ring_arm(&f.c, 0), 0);
	while (bh_ring_recv(&f.c, buf, sizeof(buf)) > 0)
		;

	pair_teardown(&f);

	/* A full ring (120 records of 32 bytes, head back at offset 0); the
	 * producer sleeps for room for one 96-byte record. The consumer rings
	 * exactly once, when its tail has freed enough, however many messages
	 * that takes. */
	pair_setup(&f, 4096, BH_RING_FLOW);
	for (int i = 0; i < 120; i++)
		CHECK_EQ(bh_ring_send(&f.p, buf, 28), 0);
	CHECK_EQ(bh_ring_send(&f.p, buf, 0), -BH_ENOSPC);
	CHECK_EQ(bh_ring_arm(&f.p, 92), -BH_ENOSPC);
	CHECK_EQ(f.to_consumer.rings, 1);
	CHECK_EQ(bh_ring_recv(&f.c, buf, sizeof(buf)), 28);
	CHECK_EQ(bh_ring_recv(&f.c, buf, sizeof(buf)), 28);
	CHECK_EQ(f.to_producer.rings, 0);   /* 64 bytes free: not yet */
	CHECK_EQ(bh_ring_recv(&f.c, buf, sizeof(buf)), 28);
	CHECK_EQ(f.to_producer.rings, 1);   /* 96: room */
	while (bh_ring_recv(&f.c, buf, sizeof(buf)) > 0)
		;
	CHECK_EQ(f.to_producer.rings, 1);
	CHECK_EQ(f.to_consumer.rings, 1);
	CHECK_EQ(bh_ring_send(&f.p, buf, 92), 0);
	pair_teardown(&f);
}

/* The cost of a bulk transfer: notifications per message when the consumer
 * keeps up, and when each side sleeps as soon as it can't go on. */
TEST(notify_counts_bulk)
{
	struct pair f;
	uint8_t buf[512] = {0};

	pair_setup(&f, 65536 / 2, BH_RING_FLOW);
	/* Lock step, consumer never sleeps: only the very first message. */
	for (int i = 0; i < 10000; i++) {
		CHECK_EQ(bh_ring_send(&f.p, buf, 500), 0);
		CHECK_EQ(bh_ring_recv(&f.c, buf, sizeof(buf)), 500);
	}
	CHECK_EQ(f.to_consumer.rings, 1);
	CHECK_EQ(f.to_producer.rings, 0);

	/* Producer bursts until full, then sleeps; consumer drains until
	 * empty, then sleeps: each round costs one ring each way. */
	unsigned int c0 = f.to_consumer.rings, p0 = f.to_producer.rings;
	CHECK_EQ(bh_ring_arm(&f.c, 0), -BH_ENODATA);
	for (int round = 0; round < 100; round++) {
		while (bh_ring_send(&f.p, buf, 500) == 0)
			;
		CHECK_EQ(bh_ring_arm(&f.p, 500), -BH_ENOSPC);
		while (bh_ring_recv(&f.c, buf, sizeof(buf)) == 500)
			;
		CHECK_EQ(bh_ring_arm(&f.c, 0), -BH_ENODATA);
	}
	CHECK_EQ(f.to_producer.rings - p0, 100);
	CHECK_EQ(f.to_consumer.rings - c0, 100);
	pair_teardown(&f);
}

/* ---- Random interleavings ------------------------------------------------- */

/*
 * Producer and consumer take turns at random. A side that can't go on arms
 * and, unless arm says otherwise, sleeps until the other rings it. If both
 * ever sleep with work left, a wake-up was lost. Every message is checked
 * byte for byte, in order.
 */
static void random_flow(uint64_t seed, uint64_t size, uint64_t messages)
{
	struct pair f;
	rng_state = seed;
	pair_setup(&f, size, BH_RING_FLOW);
	uint32_t max = bh_ring_max_msg(&f.p);
	uint8_t *out = malloc(max), *in = malloc(max);
	CHECK(out && in);

	uint64_t sent = 0, got = 0, waits = 0, wraps = 0;
	bool p_asleep = false, c_asleep = false, pending = false;
	uint32_t len = rnd_len(max);
	fill(out, sent, len);

	while (got < messages) {
		if (f.to_producer.woke) {
			p_asleep = false;
			f.to_producer.woke = false;
		}
		if (f.to_consumer.woke) {
			c_asleep = false;
			f.to_consumer.woke = false;
		}
		bool p_done = sent == messages;
		if ((p_asleep || p_done) && c_asleep)
			check_fail(__FILE__, __LINE__, "lost wake-up at seed %llu, "
			           "sent %llu got %llu", (unsigned long long)seed,
			           (unsigned long long)sent, (unsigned long long)got);

		if (!p_asleep && !p_done && (c_asleep || rnd_below(2))) {
			uint64_t before = f.p.pos;
			/* Sometimes batch: post now, kick later; sometimes
			 * build the message in place. */
			bool batch = rnd_below(4) == 0;
			int ret;
			if (!batch && rnd_below(3) == 0) {
				void *room;
				ret = bh_ring_reserve(&f.p, len + rnd_below(9), &room);
				if (ret == -BH_E2BIG)
					ret = bh_ring_reserve(&f.p, len, &room);
				if (ret == 0) {
					memcpy(room, out, len);
					ret = bh_ring_commit(&f.p, len);
				}
			} else {
				ret = batch ? bh_ring_post(&f.p, out, len)
				            : bh_ring_send(&f.p, out, len);
			}
			if (ret == 0) {
				pending = batch;
				if (f.p.pos - before > ((len + 11) & ~7u))
					wraps++;
				if (++sent < messages) {
					len = rnd_len(max);
					fill(out, sent, len);
				} else if (pending) {
					CHECK_EQ(bh_ring_kick(&f.p), 0);
				}
				continue;
			}
			CHECK_EQ(ret, -BH_ENOSPC);
			/* Only when there truly is no room (for up to 8 more
			 * bytes, if a reservation asked for more). */
			uint64_t used = before - f.p.peer;
			uint64_t off = before % f.p.cap;
			uint64_t rec = (len + 8 + 11) & ~7u;
			uint64_t waste = rec > f.p.cap - off ? f.p.cap - off : 0;
			CHECK(used + waste + rec > f.p.cap);
			ret = bh_ring_arm(&f.p, len);
			if (ret == -BH_ENOSPC) {
				p_asleep = true;
				waits++;
			} else {
				CHECK_EQ(ret, 0);
			}
		} else if (!c_asleep) {
			int n;
			const void *at = NULL;
			if (rnd_below(3) == 0) {
				n = bh_ring_peek(&f.c, &at);
				if (n >= 0) {
					memcpy(in, at, (uint32_t)n);
					CHECK_EQ(bh_ring_release(&f.c), 0);
				}
			} else {
				n = bh_ring_recv(&f.c, in, max);
			}
			if (n >= 0) {
				CHECK(got < sent);
				if (!matches(in, got, (uint32_t)n))
					check_fail(__FILE__, __LINE__, "message %llu "
					           "corrupt (seed %llu)",
					           (unsigned long long)got,
					           (unsigned long long)seed);
				got++;
				continue;
			}
			CHECK_EQ(n, -BH_ENODATA);
			n = bh_ring_arm(&f.c, 0);
			if (n == -BH_ENODATA) {
				c_asleep = true;
				waits++;
			} else {
				CHECK_EQ(n, 0);
			}
		}
	}
	CHECK_EQ(bh_ring_recv(&f.c, in, max), -BH_ENODATA);
	CHECK(!f.p.broken && !f.c.broken);
	CHECK(wraps > 0);
	/* Suppression: a notification per sleep at most, plus the first. */
	CHECK(f.to_consumer.rings + f.to_producer.rings <= waits + 1);
	free(out);
	free(in);
	pair_teardown(&f);
}

TEST(random_flow_small_ring)
{
	for (uint64_t seed = 1; seed <= 40; seed++)
		random_flow(seed, 512, 3000);
}

TEST(random_flow_medium_ring)
{
	for (uint64_t seed = 100; seed <= 110; seed++)
		random_flow(seed, 8192, 20000);
}

TEST(positions_far_from_zero)
{
	/* Indices are free-running 64-bit counts: start both ends near the
	 * top of the range and cross it. */
	struct pair f;
	uint8_t buf[300];

	rng_state = 7;
	pair_setup(&f, 1024, BH_RING_FLOW);
	uint64_t start = UINT64_MAX - 4096 - 7;   /* 8-aligned */
	start &= ~7ull;
	start -= start % f.p.cap;   /* same offset as a fresh ring: 0 */
	hdr(&f)->head = hdr(&f)->tail = start;
	f.p.pos = f.p.kicked = f.p.peer = start;
	f.c.pos = f.c.peer = start;
	for (uint64_t seq = 0; seq < 2000; seq++) {
		uint32_t len = rnd_below(sizeof(buf));
		send_ok(&f.p, seq, len);
		recv_ok(&f.c, seq, len);
	}
	CHECK(hdr(&f)->head < start);   /* wrapped through 2^64 */
	pair_teardown(&f);
}

/* ---- Zero copy ------------------------------------------------------------ */

TEST(zero_copy)
{
	struct pair f;
	void *room;
	const void *msg, *again;
	uint8_t ref[200];

	pair_setup(&f, 1024, BH_RING_FLOW);   /* cap 768 */
	CHECK_EQ(bh_ring_commit(&f.p, 0), -BH_EINVAL);     /* nothing reserved */
	CHECK_EQ(bh_ring_release(&f.c), -BH_EINVAL);       /* nothing peeked */
	CHECK_EQ(bh_ring_peek(&f.c, &msg), -BH_ENODATA);
	CHECK_EQ(bh_ring_reserve(&f.c, 8, &room), -BH_EINVAL);
	CHECK_EQ(bh_ring_peek(&f.p, &msg), -BH_EINVAL);
	CHECK_EQ(bh_ring_reserve(&f.p, 800, &room), -BH_E2BIG);

	/* Reserve 100, fill 60, commit 60: a 64-byte record. */
	CHECK_EQ(bh_ring_reserve(&f.p, 100, &room), 0);
	CHECK((uint8_t *)room == data(&f) + 4);
	CHECK_EQ(hdr(&f)->head, 0);   /* nothing published yet */
	fill(room, 1, 60);
	CHECK_EQ(bh_ring_commit(&f.p, 101), -BH_EINVAL);
	CHECK_EQ(bh_ring_commit(&f.p, 60), 0);
	CHECK_EQ(hdr(&f)->head, 64);
	CHECK_EQ(f.to_consumer.rings, 1);
	CHECK_EQ(bh_ring_commit(&f.p, 60), -BH_EINVAL);   /* once only */

	CHECK_EQ(bh_ring_peek(&f.c, &msg), 60);
	CHECK_EQ(bh_ring_peek(&f.c, &again), 60);
	CHECK(msg == again && (const uint8_t *)msg == data(&f) + 4);
	CHECK(matches(msg, 1, 60));
	CHECK_EQ(hdr(&f)->tail, 0);   /* still held */
	CHECK_EQ(bh_ring_release(&f.c), 0);
	CHECK_EQ(hdr(&f)->tail, 64);
	CHECK_EQ(bh_ring_release(&f.c), -BH_EINVAL);
	CHECK_EQ(bh_ring_peek(&f.c, &msg), -BH_ENODATA);

	/* A reservation past the end: marker now, payload at the start. */
	send_ok(&f.p, 2, 600);   /* record at 64..672 */
	recv_ok(&f.c, 2, 600);
	CHECK_EQ(bh_ring_reserve(&f.p, 150, &room), 0);
	CHECK((uint8_t *)room == data(&f) + 4);
	fill(ref, 3, 150);
	memcpy(room, ref, 150);
	CHECK_EQ(bh_ring_commit(&f.p, 150), 0);
	CHECK_EQ(*(uint32_t *)(data(&f) + 672), BH_RING_WRAP);
	CHECK_EQ(bh_ring_peek(&f.c, &msg), 150);
	CHECK(memcmp(msg, ref, 150) == 0);
	CHECK_EQ(bh_ring_release(&f.c), 0);

	/* A post drops an open reservation; a recv drops a peek. */
	CHECK_EQ(bh_ring_reserve(&f.p, 10, &room), 0);
	send_ok(&f.p, 4, 10);
	CHECK_EQ(bh_ring_commit(&f.p, 10), -BH_EINVAL);
	CHECK_EQ(bh_ring_peek(&f.c, &msg), 10);
	recv_ok(&f.c, 4, 10);
	CHECK_EQ(bh_ring_release(&f.c), -BH_EINVAL);

	/* A held message keeps its room: the producer can't reuse it. */
	while (bh_ring_send(&f.p, ref, 100) == 0)
		;
	CHECK_EQ(bh_ring_peek(&f.c, &msg), 100);
	CHECK_EQ(bh_ring_send(&f.p, ref, 100), -BH_ENOSPC);
	CHECK_EQ(bh_ring_release(&f.c), 0);
	CHECK_EQ(bh_ring_send(&f.p, ref, 100), 0);
	pair_teardown(&f);

	/* Overwriting ring: a message lapped while held is reported. */
	pair_setup(&f, 1024, BH_RING_OVERWRITE);
	CHECK_EQ(bh_ring_reserve(&f.p, 40, &room), 0);
	fill(room, 9, 40);
	CHECK_EQ(bh_ring_commit(&f.p, 40), 0);
	CHECK_EQ(bh_ring_peek(&f.c, &msg), 40);
	CHECK(matches(msg, 9, 40));
	CHECK_EQ(bh_ring_release(&f.c), 0);
	send_ok(&f.p, 10, 40);
	CHECK_EQ(bh_ring_peek(&f.c, &msg), 40);
	for (int i = 0; i < 20; i++)
		send_ok(&f.p, 11, 40);
	CHECK_EQ(bh_ring_release(&f.c), -BH_ERANGE);
	CHECK(!f.c.broken);
	CHECK_EQ(bh_ring_peek(&f.c, &msg), -BH_ENODATA);   /* resumed at head */
	pair_teardown(&f);
}

/* ---- One-way (overwriting) ring -------------------------------------------- */

TEST(overwrite_keeping_up_loses_nothing)
{
	struct pair f;
	rng_state = 99;
	pair_setup(&f, 2048, BH_RING_OVERWRITE);
	uint32_t max = bh_ring_max_msg(&f.p);
	uint8_t *buf = malloc(max);
	CHECK(buf != NULL);

	for (uint64_t seq = 0; seq < 5000; seq++) {
		uint32_t len = 8 + rnd_below(max - 7);
		fill(buf, seq, len);
		CHECK_EQ(bh_ring_send(&f.p, buf, len), 0);
		if (rnd_below(3) == 0)
			continue;   /* reader a step behind now and then */
		int n;
		while ((n = bh_ring_recv(&f.c, buf, max)) >= 0) {
			uint64_t s;
			memcpy(&s, buf, 8);
			CHECK(matches(buf, s, (uint32_t)n));
		}
		CHECK(n == -BH_ENODATA || n == -BH_ERANGE);
	}
	/* Every send notifies: the reader can't say it is awake. */
	CHECK_EQ(f.to_consumer.rings, 5000);
	CHECK_EQ(f.to_producer.rings, 0);
	CHECK(!f.c.broken);
	free(buf);
	pair_teardown(&f);
}

TEST(overwrite_lapped_reader)
{
	struct pair f;
	rng_state = 5;
	pair_setup(&f, 1024, BH_RING_OVERWRITE);
	uint32_t max = bh_ring_max_msg(&f.p);
	uint8_t *buf = malloc(max);
	CHECK(buf != NULL);

	/* The reader reads in lock step: nothing lost. */
	for (uint64_t seq = 0; seq < 100; seq++) {
		uint32_t len = 8 + rnd_below(max - 7);
		fill(buf, seq, len);
		CHECK_EQ(bh_ring_send(&f.p, buf, len), 0);
		CHECK_EQ(bh_ring_recv(&f.c, buf, max), len);
		CHECK(matches(buf, seq, len));
	}
	/* Then falls far behind: one -BH_ERANGE, then only new messages,
	 * in order. */
	uint64_t seq = 100;
	for (; seq < 200; seq++) {
		fill(buf, seq, 40);
		CHECK_EQ(bh_ring_send(&f.p, buf, 40), 0);
	}
	CHECK_EQ(bh_ring_recv(&f.c, buf, max), -BH_ERANGE);
	CHECK_EQ(bh_ring_recv(&f.c, buf, max), -BH_ENODATA);
	for (uint64_t s = seq; s < seq + 3; s++) {
		fill(buf, s, 40);
		CHECK_EQ(bh_ring_send(&f.p, buf, 40), 0);
	}
	for (uint64_t s = seq; s < seq + 3; s++) {
		CHECK_EQ(bh_ring_recv(&f.c, buf, max), 40);
		CHECK(matches(buf, s, 40));
	}

	/* Overwritten while being read: the reader measured a message, the
	 * writer then wrote over it; the copy is refused as lost. */
	seq += 3;
	fill(buf, seq, 40);
	CHECK_EQ(bh_ring_send(&f.p, buf, 40), 0);
	CHECK_EQ(bh_ring_next_len(&f.c), 40);
	for (int i = 0; i < 20; i++)
		CHECK_EQ(bh_ring_send(&f.p, buf, 40), 0);
	CHECK_EQ(bh_ring_recv(&f.c, buf, max), -BH_ERANGE);
	/* A write in progress over the record (reserve claimed, head not yet
	 * moved) is caught by the reserve check. */
	CHECK_EQ(bh_ring_send(&f.p, buf, 40), 0);
	hdr(&f)->reserve = hdr(&f)->head + f.p.cap;
	CHECK_EQ(bh_ring_recv(&f.c, buf, max), -BH_ERANGE);
	CHECK(!f.c.broken);
	free(buf);
	pair_teardown(&f);
}

/* ---- A hostile peer ---------------------------------------------------------- */

TEST(hostile_consumer_index)
{
	struct pair f;
	uint8_t buf[32] = {0};

	pair_setup(&f, 1024, BH_RING_FLOW);
	send_ok(&f.p, 1, 10);
	/* Tail beyond head: claims more room than exists. */
	hdr(&f)->tail = hdr(&f)->head + 8;
	CHECK_EQ(bh_ring_send(&f.p, buf, 10), -BH_EIO);
	CHECK(f.p.broken);
	hdr(&f)->tail = 0;   /* sticky, even once the peer "fixes" it */
	CHECK_EQ(bh_ring_send(&f.p, buf, 10), -BH_EIO);
	CHECK_EQ(bh_ring_kick(&f.p), -BH_EIO);
	CHECK_EQ(bh_ring_arm(&f.p, 10), -BH_EIO);
	pair_teardown(&f);

	/* Far beyond (would make head - tail wrap), unaligned, backwards. */
	uint64_t bad[] = { UINT64_MAX - 7, 4, 0 };
	for (unsigned int i = 0; i < 3; i++) {
		pair_setup(&f, 1024, BH_RING_FLOW);
		send_ok(&f.p, 1, 10);
		send_ok(&f.p, 2, 10);
		recv_ok(&f.c, 1, 10);
		send_ok(&f.p, 3, 10);   /* producer saw tail 16 */
		hdr(&f)->tail = bad[i];
		CHECK_EQ(bh_ring_send(&f.p, buf, 10), -BH_EIO);
		pair_teardown(&f);
	}
}

TEST(hostile_producer_index)
{
	struct pair f;
	uint8_t buf[32];

	/* After three 16-byte records and one read (tail 16, head seen 48),
	 * head becomes: beyond tail + cap, unaligned, behind what was seen
	 * (though a whole record past the tail), behind the tail, wrapped. */
	for (unsigned int i = 0; i < 5; i++) {
		pair_setup(&f, 1024, BH_RING_FLOW);
		send_ok(&f.p, 1, 10);
		send_ok(&f.p, 2, 10);
		send_ok(&f.p, 3, 10);
		recv_ok(&f.c, 1, 10);
		uint64_t heads[] = { 16 + f.c.cap + 8, 36, 32, 8, UINT64_MAX - 7 };
		hdr(&f)->head = heads[i];
		CHECK_EQ(bh_ring_recv(&f.c, buf, sizeof(buf)), -BH_EIO);
		CHECK(f.c.broken);
		CHECK_EQ(bh_ring_recv(&f.c, buf, sizeof(buf)), -BH_EIO);
		CHECK_EQ(bh_ring_arm(&f.c, 0), -BH_EIO);
		pair_teardown(&f);
	}
	/* The edge: exactly a full ring's worth is still sane. */
	pair_setup(&f, 1024, BH_RING_FLOW);
	send_ok(&f.p, 1, 10);
	hdr(&f)->head = f.c.cap;
	CHECK_EQ(bh_ring_recv(&f.c, buf, sizeof(buf)), 10);
	pair_teardown(&f);
}

TEST(hostile_lengths)
{
	struct pair f;
	uint8_t buf[1024];
	/* The length word of a record, made: too long for the ring; longer
	 * than what is published; running past the end of the data area
	 * (with enough published after the wrap); a wrap marker at offset 0,
	 * with little or a whole ring published; a wrap marker skipping
	 * unpublished bytes. */
	struct { bool at_end; uint64_t head_add; uint32_t word; } cases[] = {
		{ false, 0, 0x7fffffff },
		{ false, 0, 12 },
		{ true,  40, 20 },
		{ false, 0, BH_RING_WRAP },
		{ false, 760, BH_RING_WRAP },
		{ true,  0, BH_RING_WRAP },
	};
	for (unsigned int i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		pair_setup(&f, 1024, BH_RING_FLOW);   /* cap 768 */
		uint64_t off = 0;
		if (cases[i].at_end) {   /* the next record at offset 752 */
			send_ok(&f.p, 1, 748);
			recv_ok(&f.c, 1, 748);
			off = 752;
		}
		send_ok(&f.p, 2, 4);   /* one 8-byte record at off */
		CHECK_EQ(hdr(&f)->head % f.c.cap, off + 8);
		hdr(&f)->head += cases[i].head_add;
		*(uint32_t *)(data(&f) + off) = cases[i].word;
		CHECK_EQ(bh_ring_next_len(&f.c), -BH_EIO);
		CHECK(f.c.broken);
		CHECK_EQ(bh_ring_recv(&f.c, buf, sizeof(buf)), -BH_EIO);
		pair_teardown(&f);
	}
}

/*
 * A peer scribbling at random over the whole shared memory between steps:
 * whatever the results, they are from the contract's list and nothing
 * outside the buffer is touched.
 */
TEST(hostile_random_scribbles)
{
	for (uint64_t seed = 1; seed <= 300; seed++) {
		struct pair f;
		enum bh_ring_mode mode = seed & 1 ? BH_RING_FLOW : BH_RING_OVERWRITE;
		rng_state = seed * 7919;
		pair_setup(&f, 256 + 8 * (8 + rnd_below(200)), mode);
		uint32_t max = bh_ring_max_msg(&f.p);
		uint8_t *buf = malloc(max);
		CHECK(buf != NULL);
		memset(buf, 0x5a, max);

		for (int step = 0; step < 400; step++) {
			uint32_t r = rnd_below(10);
			if (r < 3) {
				int ret = bh_ring_send(&f.p, buf, rnd_len(max));
				CHECK(ret == 0 || ret == -BH_ENOSPC || ret == -BH_EIO);
			} else if (r < 6) {
				int ret = bh_ring_recv(&f.c, buf, rnd_len(max));
				CHECK(ret >= 0 || ret == -BH_ENODATA || ret == -BH_E2BIG ||
				      ret == -BH_EIO || ret == -BH_ERANGE);
				CHECK(ret <= (int)max);
			} else if (r < 7) {
				int ret = bh_ring_arm(rnd_below(2) ? &f.p : &f.c,
				                      rnd_len(max));
				CHECK(ret == 0 || ret == -BH_ENOSPC ||
				      ret == -BH_ENODATA || ret == -BH_EIO);
			} else {
				/* Scribble: a header word, or a data word, with a
				 * value near the real ones or anything at all. */
				uint64_t v = rnd();
				if (rnd_below(2))
					v = (v % (3 * f.p.cap)) & ~(rnd_below(2) ? 7ull : 0);
				if (rnd_below(2)) {
					uint64_t *w = (uint64_t *)f.mem + 8 * rnd_below(4) +
					              rnd_below(2);
					*w = hdr(&f)->head + (v & 0xff) - 0x80;
					if (rnd_below(3) == 0)
						*w = v;
				} else {
					uint64_t off = rnd_below((uint32_t)(f.p.cap / 4)) * 4;
					*(uint32_t *)(data(&f) + off) =
						rnd_below(2) ? (uint32_t)v : BH_RING_WRAP;
				}
			}
		}
		free(buf);
		pair_teardown(&f);
	}
}

/* ---- A channel whose memory the kernel took away --------------------------- */

/* Once the runtime records channel 3 as closed, no ring call touches its
 * memory: here it is made unreadable, so a touch crashes the test. Other
 * channels' rings are not affected, and a reopened channel works again. */
TEST(closed_channel_rings_touch_nothing)
{
	uint8_t *mem = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(mem != MAP_FAILED);
	struct bh_channel e0 = { .base = mem, .size = 8192, .handle = 3, .end = 0,
		.flags = BH_CHANNEL_READ | BH_CHANNEL_WRITE | BH_CHANNEL_BOTH };
	struct bh_channel e1 = e0;
	e1.end = 1;
	struct bh_ring p0, c1;
	char buf[16];
	const void *msg;
	void *room;

	rt_closed_handles = 0;
	CHECK_EQ(bh_ring_init_channel(&p0, &e0, BH_RING_PRODUCER, NULL, NULL), 0);
	CHECK_EQ(bh_ring_init_channel(&c1, &e1, BH_RING_CONSUMER, NULL, NULL), 0);
	CHECK_EQ(bh_ring_send(&p0, "left", 4), 0);

	rt_closed_handles = 1u << 2;   /* another channel: no effect */
	CHECK_EQ(bh_ring_peek(&c1, &msg), 4);
	CHECK_EQ(bh_ring_release(&c1), 0);
	CHECK_EQ(bh_ring_send(&p0, "more", 4), 0);

	rt_closed_handles = 1u << 3;
	CHECK_EQ(mprotect(mem, 8192, PROT_NONE), 0);
	CHECK_EQ(bh_ring_recv(&c1, buf, sizeof buf), -BH_EPIPE);
	CHECK_EQ(bh_ring_peek(&c1, &msg), -BH_EPIPE);
	CHECK_EQ(bh_ring_next_len(&c1), -BH_EPIPE);
	CHECK_EQ(bh_ring_release(&c1), -BH_EPIPE);
	CHECK_EQ(bh_ring_arm(&c1, 0), -BH_EPIPE);
	CHECK_EQ(bh_ring_send(&p0, "x", 1), -BH_EPIPE);
	CHECK_EQ(bh_ring_post(&p0, "x", 1), -BH_EPIPE);
	CHECK_EQ(bh_ring_reserve(&p0, 1, &room), -BH_EPIPE);
	CHECK_EQ(bh_ring_commit(&p0, 1), -BH_EPIPE);
	CHECK_EQ(bh_ring_kick(&p0), -BH_EPIPE);
	CHECK_EQ(bh_ring_arm(&p0, 1), -BH_EPIPE);

	/* Reopened up: the kernel mapped it back, zeroed; new rings work. */
	rt_closed_handles = 0;
	CHECK_EQ(mprotect(mem, 8192, PROT_READ | PROT_WRITE), 0);
	memset(mem, 0, 8192);
	CHECK_EQ(bh_ring_init_channel(&p0, &e0, BH_RING_PRODUCER, NULL, NULL), 0);
	CHECK_EQ(bh_ring_init_channel(&c1, &e1, BH_RING_CONSUMER, NULL, NULL), 0);
	CHECK_EQ(bh_ring_send(&p0, "again", 5), 0);
	CHECK_EQ(bh_ring_recv(&c1, buf, sizeof buf), 5);
	munmap(mem, 8192);
}
