/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The channel benchmark (docs/benchmarks.md, "The channel figures"): two
 * VMs joined by channel "bench", both ways, events both ways. The VM's
 * name picks the role: bench-tx measures and reports, bench-rx answers.
 *
 * One run, in this order (both sides know the counts, so no message says
 * which phase comes next):
 *   1. memcpy     bench-tx alone (bench-rx sleeps in a wait): BENCH_MSGS
 *                 memcpy()s of BENCH_MSG bytes between two buffers.
 *   2. ping-pong  BENCH_RTT_WARMUP + BENCH_RTT_ROUNDS round trips of a
 *                 BENCH_PING-byte message: tx sends, rx sends it back.
 *   3. streams    twice: BENCH_STREAM_WARMUP messages of BENCH_MSG bytes
 *                 that rx checks byte for byte and answers with a "ready"
 *                 word; then BENCH_MSGS timed ones that rx checks by length
 *                 and sequence number, then rx's struct stream_stats back
 *                 to tx, which stops the clock when it arrives. In the
 *                 first pass ("in place") rx reads each message where it
 *                 lies in the ring (bh_ring_peek, bh_ring_release); in the
 *                 second ("copy out") it copies each into a buffer of its
 *                 own (bh_ring_recv). tx sends with bh_ring_send both times.
 *
 * Both sides send and receive with the ring library's bh_ring_send_wait,
 * bh_ring_recv_wait and bh_ring_peek_wait, no timeout, whose rings count
 * every hypercall the channel path makes (notifies and waits).
 */
#ifndef CHAN_BENCH_H
#define CHAN_BENCH_H

#include <bulkhead/channel.h>
#include <bulkhead/ring.h>
#include <bulkhead/role.h>
#include <bulkhead/runtime.h>
#include <bulkhead/samples.h>

#define BENCH_CHANNEL "bench"

#ifndef BENCH_MSG
#define BENCH_MSG           (64u * 1024u)
#endif
#ifndef BENCH_MSGS
#define BENCH_MSGS          128u
#endif
#ifndef BENCH_STREAM_WARMUP
#define BENCH_STREAM_WARMUP 4u
#endif
#ifndef BENCH_PING
#define BENCH_PING          64u
#endif
#ifndef BENCH_RTT_WARMUP
#define BENCH_RTT_WARMUP    100u
#endif
#ifndef BENCH_RTT_ROUNDS
#define BENCH_RTT_ROUNDS    1000u
#endif

/* A megabyte, as in MB/s: 10^6 bytes. */
#define BENCH_MB 1000000ull

/* What bench-rx tells bench-tx after the timed stream. */
struct stream_stats {
	uint64_t messages;   /* timed messages received */
	uint64_t bytes;      /* their bytes */
	uint64_t bad;        /* with a wrong length or sequence number */
	uint64_t notifies;   /* BH_HC_CHANNEL_NOTIFY calls during the stream */
	uint64_t waits;      /* BH_HC_WAIT calls during the stream */
};

/* One end: its channel and both rings. */
struct end {
	struct bh_channel ch;
	struct bh_ring tx, rx;   /* this end produces tx, consumes rx */
};

/* Opens the channel and both rings; 0 or a note printed and an error. */
int end_open(struct end *e);

/* Notifies made by both rings of this end so far. */
static inline uint64_t end_notifies(const struct end *e)
{
	return e->tx.notifies + e->rx.notifies;
}

/* Waits made by both rings of this end so far. */
static inline uint64_t end_waits(const struct end *e)
{
	return e->tx.waits + e->rx.waits;
}

/* Sending and receiving, no timeout. */
static inline int end_send(struct end *e, const void *msg, uint32_t len)
{
	return bh_ring_send_wait(&e->tx, msg, len, BH_WAIT_FOREVER);
}

static inline int end_recv(struct end *e, void *buf, uint32_t max)
{
	return bh_ring_recv_wait(&e->rx, buf, max, BH_WAIT_FOREVER);
}

/* *msg points at the message in the ring until bh_ring_release(&e->rx). */
static inline int end_peek(struct end *e, const void **msg)
{
	return bh_ring_peek_wait(&e->rx, msg, BH_WAIT_FOREVER);
}

/* value / div with digits (1..6) decimals, truncated (never rounded up
 * to an aim), into buf; returns buf. value * 10^digits must fit 64 bits. */
const char *decimal(char *buf, size_t size, uint64_t value, uint64_t div, unsigned digits);

/* The roles; main's status. */
int bench_tx(void);
int bench_rx(void);

#endif
