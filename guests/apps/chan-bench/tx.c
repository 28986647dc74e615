/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * bench-tx: measures and reports (chanbench.h for the phases,
 * docs/benchmarks.md for the figures).
 */
#include "chanbench.h"

static void fill(unsigned char *buf, uint32_t len, uint32_t seed)
{
	for (uint32_t j = 0; j < len; j++)
		buf[j] = (unsigned char)(j * 7 + seed + (j >> 8));
}

/* Phase 1: cycles for BENCH_MSGS memcpy()s of BENCH_MSG bytes, the
 * runtime's memcpy (the one the ring library copies with). */
static uint64_t memcpy_cycles(unsigned char *dst, const unsigned char *src)
{
	memcpy(dst, src, BENCH_MSG);   /* warm-up: page-table walks, TLB */
	uint64_t t0 = bh_tsc();
	for (uint32_t i = 0; i < BENCH_MSGS; i++)
		memcpy(dst, src, BENCH_MSG);
	uint64_t t1 = bh_tsc();
	/* Keep the copies: the compiler may not know memcpy is one. */
	asm volatile("" : : "r"(dst) : "memory");
	return t1 - t0;
}

/* Phase 2: the median ping-pong round trip, minus the median empty TSC
 * pair. Returns 0 on failure (a note printed). */
static uint64_t rtt_cycles(struct end *e, unsigned char *buf)
{
	const size_t n = BENCH_RTT_ROUNDS;
	uint64_t *s = bh_malloc(n * sizeof(*s));

	if (!s) {
		bh_printf("note: no memory for %zu samples\n", n);
		return 0;
	}
	uint64_t pair = bh_tsc_pair(s, n).median;

	fill(buf, BENCH_PING, 0);
	for (uint32_t i = 0; i < BENCH_RTT_WARMUP + n; i++) {
		uint64_t t0 = bh_tsc();
		int rc = end_send(e, buf, BENCH_PING);
		int got = rc ? rc : end_recv(e, buf, BENCH_MSG);
		uint64_t t1 = bh_tsc();
		if (got != (int)BENCH_PING) {
			bh_printf("note: ping-pong round %u: send %d, reply %d\n", i + 1, rc, got);
			return 0;
		}
		if (i >= BENCH_RTT_WARMUP)
			s[i - BENCH_RTT_WARMUP] = t1 - t0;
	}
	struct bh_sample_stats raw = bh_samples_summarise(s, n);
	bh_printf("note: ping-pong: %zu round trips of %u bytes after %u warm-up; raw cycles "
	          "min %llu median %llu max %llu; empty TSC pair %llu\n", n, BENCH_PING,
	          BENCH_RTT_WARMUP, (unsigned long long)raw.min, (unsigned long long)raw.median,
	          (unsigned long long)raw.max, (unsigned long long)pair);
	bh_free(s);
	return raw.median > pair ? raw.median - pair : 1;
}

/* What one timed stream cost: cycles from an empty ring to rx's answer,
 * this side's hypercalls, and rx's answer. */
struct stream_result {
	uint64_t cycles, notifies, waits;
	struct stream_stats rx;
};

/* Phase 3, one pass: warm-up messages rx checks in full, rx's "ready",
 * then the timed messages, stamped with their sequence number, then rx's
 * answer. Returns 0, or 1 with a note printed. */
static int stream(struct end *e, unsigned char *buf, const char *how,
                  struct stream_result *res)
{
	for (uint32_t i = 0; i < BENCH_STREAM_WARMUP; i++) {
		fill(buf, BENCH_MSG, i);
		int rc = end_send(e, buf, BENCH_MSG);
		if (rc) {
			bh_printf("note: %s: warm-up message %u: %d\n", how, i + 1, rc);
			return 1;
		}
	}
	/* rx checks those before it says it is ready, outside the clock. */
	uint64_t ready;
	int got = end_recv(e, &ready, sizeof(ready));
	if (got != (int)sizeof(ready) || ready != BENCH_STREAM_WARMUP) {
		bh_printf("note: %s: bench-rx not ready after the warm-up: %d\n", how, got);
		return 1;
	}
	fill(buf, BENCH_MSG, 1);
	uint64_t notifies0 = end_notifies(e), waits0 = end_waits(e);
	uint64_t t0 = bh_tsc();
	for (uint64_t i = 0; i < BENCH_MSGS; i++) {
		memcpy(buf, &i, sizeof(i));
		int rc = end_send(e, buf, BENCH_MSG);
		if (rc) {
			bh_printf("note: %s: message %llu: %d\n", how, (unsigned long long)i + 1, rc);
			return 1;
		}
	}
	got = end_recv(e, &res->rx, sizeof(res->rx));
	uint64_t t1 = bh_tsc();
	res->cycles = t1 - t0;
	res->notifies = end_notifies(e) - notifies0;
	res->waits = end_waits(e) - waits0;
	const struct stream_stats *rx = &res->rx;
	if (got != (int)sizeof(*rx) || rx->messages != BENCH_MSGS ||
	    rx->bytes != (uint64_t)BENCH_MSGS * BENCH_MSG || rx->bad) {
		bh_printf("note: %s: bench-rx's answer: %d bytes, %llu messages, %llu bytes, "
		          "%llu bad\n", how, got, (unsigned long long)rx->messages,
		          (unsigned long long)rx->bytes, (unsigned long long)rx->bad);
		return 1;
	}
	return 0;
}

/* The notes on one stream; lines stay under the kernel's 160-byte console
 * line. */
static void stream_notes(const char *how, const struct stream_result *r, uint64_t bytes,
                         uint64_t slice)
{
	char a[32], b[32];

	bh_printf("note: %s: %u x %u bytes in %llu cycles, %s cycles per byte\n", how,
	          BENCH_MSGS, BENCH_MSG, (unsigned long long)r->cycles,
	          decimal(a, sizeof(a), r->cycles, bytes, 2));
	bh_printf("note: %s: hypercalls: bench-tx %llu notifies, %llu waits; bench-rx %llu "
	          "notifies, %llu waits\n", how, (unsigned long long)r->notifies,
	          (unsigned long long)r->waits, (unsigned long long)r->rx.notifies,
	          (unsigned long long)r->rx.waits);
	bh_printf("note: %s: not counted: about %llu preemption-timer exits, %s per MB\n", how,
	          (unsigned long long)(r->cycles / slice),
	          decimal(b, sizeof(b), r->cycles / slice * BENCH_MB, bytes, 2));
}

int bench_tx(void)
{
	struct end e = { 0 };
	const struct bh_start_info *si = bh_start_info();
	char a[32];

	if (!si->tsc_hz) {
		bh_printf("note: the kernel gave no TSC frequency: no MB/s\n");
		return 1;
	}
	if (end_open(&e))
		return 1;
	unsigned char *buf = bh_malloc(BENCH_MSG), *dst = bh_malloc(BENCH_MSG);
	if (!buf || !dst) {
		bh_printf("note: no memory for two %u-byte buffers\n", BENCH_MSG);
		return 1;
	}
	fill(buf, BENCH_MSG, 1);
	const uint64_t bytes = (uint64_t)BENCH_MSGS * BENCH_MSG;
	const uint64_t slice = si->tsc_hz / 100;   /* the kernel's 10 ms slice */

	/* 1. memcpy, while bench-rx sleeps waiting for the first ping. */
	uint64_t copy = memcpy_cycles(dst, buf);

	/* 2. ping-pong. */
	uint64_t rtt = rtt_cycles(&e, dst);
	if (!rtt)
		return 1;

	/* 3. two streams: rx reads the messages in place, then copies them
	 * out (chanbench.h). */
	struct stream_result in_place, copied;
	if (stream(&e, buf, "in place", &in_place) || stream(&e, buf, "copy out", &copied))
		return 1;

	bh_printf("note: tsc_hz %llu; memcpy: %u x %u bytes in %llu cycles, %s MB/s; slice %llu "
	          "cycles\n", (unsigned long long)si->tsc_hz, BENCH_MSGS, BENCH_MSG,
	          (unsigned long long)copy,
	          decimal(a, sizeof(a), bytes * si->tsc_hz, copy * BENCH_MB, 2),
	          (unsigned long long)slice);
	stream_notes("in place", &in_place, bytes, slice);
	stream_notes("copy out", &copied, bytes, slice);
	uint64_t calls = in_place.notifies + in_place.waits + in_place.rx.notifies +
	                 in_place.rx.waits;
	uint64_t copy_calls = copied.notifies + copied.waits + copied.rx.notifies +
	                      copied.rx.waits;
	bh_printf("bench: channel_throughput_mbps %s\n",
	          decimal(a, sizeof(a), bytes * si->tsc_hz, in_place.cycles * BENCH_MB, 2));
	bh_printf("bench: channel_vs_memcpy_ratio %s\n",
	          decimal(a, sizeof(a), copy, in_place.cycles, 3));
	bh_printf("bench: channel_rtt_cycles %llu\n", (unsigned long long)rtt);
	bh_printf("bench: channel_exits_per_mb %s\n",
	          decimal(a, sizeof(a), calls * BENCH_MB, bytes, 2));
	bh_printf("bench: channel_copy_throughput_mbps %s\n",
	          decimal(a, sizeof(a), bytes * si->tsc_hz, copied.cycles * BENCH_MB, 2));
	bh_printf("bench: channel_copy_vs_memcpy_ratio %s\n",
	          decimal(a, sizeof(a), copy, copied.cycles, 3));
	bh_printf("bench: channel_copy_exits_per_mb %s\n",
	          decimal(a, sizeof(a), copy_calls * BENCH_MB, bytes, 2));
	return 0;
}
