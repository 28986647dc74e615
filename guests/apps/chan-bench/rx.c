/* SPDX-License-Identifier: GPL-2.0-only */
/* bench-rx: answers bench-tx's phases (chanbench.h). */
#include "chanbench.h"

/* Takes the next message: copied into buf, or (buf NULL) read in place
 * and released. Returns its length and sets *seq to its first 8 bytes, or
 * returns an error. */
static int take(struct end *e, unsigned char *buf, uint64_t *seq)
{
	if (buf) {
		int n = end_recv(e, buf, BENCH_MSG);
		if (n >= (int)sizeof(*seq))
			memcpy(seq, buf, sizeof(*seq));
		return n;
	}
	const void *msg;
	int n = end_peek(e, &msg);
	if (n < 0)
		return n;
	/* Copied out before use: the sender could still change it. */
	if (n >= (int)sizeof(*seq))
		memcpy(seq, msg, sizeof(*seq));
	int rc = bh_ring_release(&e->rx);
	return rc ? rc : n;
}

/* Phase 3, one pass (chanbench.h): the warm-up messages checked byte for
 * byte (as tx.c's fill), "ready", the timed messages checked by length and
 * sequence number, and the counts back. copy: bh_ring_recv into buf, else
 * bh_ring_peek/bh_ring_release. Returns 0 or 1 (a note printed). */
static int stream(struct end *e, unsigned char *buf, bool copy, const char *how)
{
	for (uint32_t i = 0; i < BENCH_STREAM_WARMUP; i++) {
		int n = end_recv(e, buf, BENCH_MSG);
		uint32_t j = 0;
		while (n == (int)BENCH_MSG && j < BENCH_MSG &&
		       buf[j] == (unsigned char)(j * 7 + i + (j >> 8)))
			j++;
		if (j != BENCH_MSG) {
			bh_printf("note: %s: warm-up message %u: %d bytes, first difference at %u\n",
			          how, i + 1, n, j);
			return 1;
		}
	}
	uint64_t ready = BENCH_STREAM_WARMUP;
	int rc = end_send(e, &ready, sizeof(ready));
	if (rc) {
		bh_printf("note: %s: sending ready: %d\n", how, rc);
		return 1;
	}
	struct stream_stats st = { 0 };
	uint64_t notifies0 = end_notifies(e), waits0 = end_waits(e);
	for (uint64_t i = 0; i < BENCH_MSGS; i++) {
		uint64_t seq = ~0ull;
		int n = take(e, copy ? buf : NULL, &seq);
		if (n < 0) {
			bh_printf("note: %s: message %llu: %d\n", how, (unsigned long long)i + 1, n);
			return 1;
		}
		st.messages++;
		st.bytes += (uint32_t)n;
		st.bad += n != (int)BENCH_MSG || seq != i;
	}
	st.notifies = end_notifies(e) - notifies0;
	st.waits = end_waits(e) - waits0;
	/* st is sealed before it is sent: the answer's own hypercalls are in
	 * tx's clock but not in these counts. */
	rc = end_send(e, &st, sizeof(st));
	if (rc) {
		bh_printf("note: %s: sending the stream's counts: %d\n", how, rc);
		return 1;
	}
	return 0;
}

int bench_rx(void)
{
	struct end e = { 0 };

	if (end_open(&e))
		return 1;
	unsigned char *buf = bh_malloc(BENCH_MSG);
	if (!buf) {
		bh_printf("note: no memory for a %u-byte buffer\n", BENCH_MSG);
		return 1;
	}

	/* 2. ping-pong: every message goes straight back. */
	for (uint32_t i = 0; i < BENCH_RTT_WARMUP + BENCH_RTT_ROUNDS; i++) {
		int n = end_recv(&e, buf, BENCH_MSG);
		int rc = n < 0 ? n : end_send(&e, buf, (uint32_t)n);
		if (rc) {
			bh_printf("note: ping-pong round %u: %d\n", i + 1, rc);
			return 1;
		}
	}

	/* 3. the two streams. */
	if (stream(&e, buf, false, "in place") || stream(&e, buf, true, "copy out"))
		return 1;

	/* Stay until bench-tx has stopped its clock and gone. The kernel
	 * scrubs a stopped VM's memory before it runs anything else (about
	 * 10M cycles for 2 MiB), and that must not land in tx's last stream. */
	while (!bh_channel_peer_gone(&e.ch))
		bh_channel_wait(&e.ch, BH_WAIT_FOREVER);
	return 0;
}
