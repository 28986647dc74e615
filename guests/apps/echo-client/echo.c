/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The echo roles (client.h): requests over channel "echo" to echo-server,
 * every reply checked byte for byte.
 *
 * Up to ECHO_WINDOW requests are in flight at once, so the rings hold
 * several messages, wrap, and fill. While requests are in flight the
 * client never blocks sending: when the request ring is full it takes a
 * reply instead, so the two VMs cannot each wait for the other to make
 * room. It waits for room only with nothing in flight, when the server
 * has no reply to block on.
 */
#include "client.h"

#define CHANNEL "echo"

/* Sizes tried first, where an off-by-one in record layout, alignment or
 * wrapping would show; those above the largest message are skipped. */
static const uint32_t edge_sizes[] = {
	1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 127, 128, 129,
	255, 256, 257, 1000, 1023, 1024, 1025, 4095, 4096, 4097, 8191, 8192, 8193,
};

struct echo {
	struct bh_channel ch;
	struct bh_ring requests, replies;
	uint32_t max;              /* largest message both ways */
	unsigned char *out, *in;   /* max bytes each */
	uint32_t *sizes;           /* of each request */
	uint32_t count;            /* requests planned */
	uint64_t bytes;            /* verified so far, one way */
};

static uint64_t xorshift(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* The edge sizes, the largest messages, then pseudo-random sizes spread
 * evenly over powers of two (so small and large ones both come often);
 * the same every run. */
static void plan_sizes(struct echo *e)
{
	const uint32_t max = e->max;
	const uint32_t tail[] = { max / 2, max / 2 + 1, max - 9, max - 8, max - 7, max - 1, max };
	uint64_t seed = 0x243f6a8885a308d3ull;
	uint32_t n = 0;

	for (size_t i = 0; i < sizeof(edge_sizes) / sizeof(edge_sizes[0]) && n < e->count; i++)
		if (edge_sizes[i] <= max)
			e->sizes[n++] = edge_sizes[i];
	for (size_t i = 0; i < sizeof(tail) / sizeof(tail[0]) && n < e->count; i++)
		e->sizes[n++] = tail[i];
	while (n < e->count) {
		uint64_t r = xorshift(&seed);
		uint32_t span = 1u << (1 + r % 16);
		if (span > max)
			span = max;
		e->sizes[n++] = 1 + (uint32_t)((r >> 8) % span);
	}
}

static int echo_open(struct echo *e, uint32_t count)
{
	int rc = bh_channel_open(CHANNEL, &e->ch);

	if (rc) {
		bh_printf("FAIL cannot open channel %s: error %d\n", CHANNEL, rc);
		return rc;
	}
	rc = bh_ring_init_producer(&e->requests, &e->ch);
	if (!rc)
		rc = bh_ring_init_consumer(&e->replies, &e->ch);
	if (rc) {
		bh_printf("FAIL channel %s: no ring pair (error %d): flags %#x, %llu bytes\n",
		          CHANNEL, rc, e->ch.flags, (unsigned long long)e->ch.size);
		return rc;
	}
	e->max = bh_ring_max_msg(&e->requests);
	if (bh_ring_max_msg(&e->replies) < e->max)
		e->max = bh_ring_max_msg(&e->replies);
	e->count = count;
	e->out = bh_malloc(e->max);
	e->in = bh_malloc(e->max);
	e->sizes = bh_malloc(count * sizeof(*e->sizes));
	if (!e->out || !e->in || !e->sizes) {
		bh_printf("FAIL no memory for two %u-byte messages\n", e->max);
		return -BH_ENOMEM;
	}
	plan_sizes(e);
	bh_printf("channel %s: end %u, %llu KiB, messages up to %u bytes\n", CHANNEL,
	          e->ch.end, (unsigned long long)(e->ch.size >> 10), e->max);
	return 0;
}

static void fill(unsigned char *buf, uint32_t request, uint32_t len)
{
	for (uint32_t j = 0; j < len; j++)
		buf[j] = echo_pattern(request, j);
}

/* Takes reply i and checks it against request i. Returns 0 or prints a
 * FAIL line and returns 1. */
static int take_reply(struct echo *e, uint32_t i)
{
	int got = bh_ring_recv_wait(&e->replies, e->in, e->max, ECHO_REPLY_TIMEOUT_NS);

	if (got < 0) {
		bh_printf("FAIL reply %u: error %d%s\n", i + 1, got,
		          got == -BH_EPIPE ? " (the server is gone)" :
		          got == -BH_ETIMEDOUT ? " (no reply in time)" : "");
		return 1;
	}
	if ((uint32_t)got != e->sizes[i]) {
		bh_printf("FAIL reply %u is %d bytes, its request %u\n", i + 1, got, e->sizes[i]);
		return 1;
	}
	for (uint32_t j = 0; j < (uint32_t)got; j++) {
		if (e->in[j] != echo_pattern(i, j)) {
			bh_printf("FAIL reply %u byte %u is 0x%02x, sent 0x%02x (%u bytes)\n",
			          i + 1, j, e->in[j], echo_pattern(i, j), e->sizes[i]);
			return 1;
		}
	}
	e->bytes += (uint32_t)got;
	return 0;
}

/* Requests [0, e->count), each reply verified. Returns 0 or 1 (FAIL printed). */
static int round_trips(struct echo *e)
{
	uint32_t sent = 0, done = 0;
	bool filled = false;

	while (done < e->count) {
		if (sent < e->count && sent - done < ECHO_WINDOW) {
			if (!filled)
				fill(e->out, sent, e->sizes[sent]);
			filled = true;
			int rc = bh_ring_send(&e->requests, e->out, e->sizes[sent]);
			if (rc == 0) {
				sent++;
				filled = false;
				continue;
			}
			if (rc != -BH_ENOSPC) {
				bh_printf("FAIL request %u (%u bytes): error %d\n", sent + 1,
				          e->sizes[sent], rc);
				return 1;
			}
			if (sent == done) {
				/* Nothing in flight, yet no room: the record did
				 * not fit before the end of the ring, and a wrap
				 * marker went out that the server must read past
				 * first. It has no reply to block on, so waiting
				 * for room is safe here. */
				rc = bh_ring_send_wait(&e->requests, e->out, e->sizes[sent],
				                       ECHO_REPLY_TIMEOUT_NS);
				if (rc) {
					bh_printf("FAIL request %u (%u bytes): error %d with nothing "
					          "in flight\n", sent + 1, e->sizes[sent], rc);
					return 1;
				}
				sent++;
				filled = false;
				continue;
			}
		}
		if (take_reply(e, done))
			return 1;
		done++;
	}
	return 0;
}

int echo_client(void)
{
	struct echo e = { 0 };

	if (echo_open(&e, ECHO_ROUND_TRIPS) || round_trips(&e))
		return 1;
	bh_printf("echo: %u round trips verified (%llu bytes each way, %llu notifies "
	          "sent, %u to %u bytes)\n", e.count, (unsigned long long)e.bytes,
	          (unsigned long long)(e.requests.notifies + e.replies.notifies), 1u, e.max);
	return 0;
}

/* Requests of CRASH_LEN bytes are queued until the ring is full. Returns
 * how many, or -1 (FAIL printed). */
#define CRASH_ROUND_TRIPS 16u
#define CRASH_LEN         3000u
#define CRASH_PAUSE_NS    (50ull * BH_NS_PER_MS)

static int queue_until_full(struct echo *e, uint32_t first)
{
	int queued = 0;

	for (;;) {
		fill(e->out, first + (uint32_t)queued, CRASH_LEN);
		int rc = bh_ring_send(&e->requests, e->out, CRASH_LEN);
		if (rc == -BH_ENOSPC)
			return queued;
		if (rc) {
			bh_printf("FAIL request %d: error %d\n", (int)first + queued + 1, rc);
			return -1;
		}
		queued++;
	}
}

int echo_crasher(void)
{
	struct echo e = { 0 };

	if (echo_open(&e, CRASH_ROUND_TRIPS) || round_trips(&e))
		return 1;
	bh_printf("echo: %u round trips verified\n", e.count);

	/* Fill the request ring, let the server answer until the reply ring
	 * is full (it then waits for room, or for more requests), fill the
	 * request ring again, and stop without reading a reply: the server
	 * has work in hand both ways when this VM goes. */
	int first = queue_until_full(&e, e.count);
	if (first < 0)
		return 1;
	bh_sleep_ns(CRASH_PAUSE_NS);
	int second = queue_until_full(&e, e.count + (uint32_t)first);
	if (second < 0)
		return 1;
	bh_probe_say("stopping mid-stream with %d requests of %u bytes sent and no reply "
	             "read: ud2", first + second, CRASH_LEN);
	/* No IDT: #UD becomes a triple fault, and the kernel stops this VM. */
	asm volatile("ud2");
	return bh_probe_not_contained("ud2 returned");
}
