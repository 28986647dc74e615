/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The split-virtqueue walker over a fake guest: a flat guest memory whose
 * backing is a heap block of exactly its size, so ASan catches any access
 * the walker makes outside it. The rings are written here byte by byte at
 * the virtio 1.2 §2.7 offsets. Each malformed ring a hostile driver can
 * build gives its own error; a fuzz case corrupts valid rings at random
 * and checks that whatever comes back is either a refusal or a chain
 * whose every buffer lies in guest memory, within a bounded number of
 * guest reads.
 */
#include "check.h"
#include "test_rng.h"

#include <stdlib.h>

#include "bulkhead/errno.h"
#include "mem/flat_memory.h"
#include "virtio/virtqueue.h"

#define BASE     0x100000ull
#define MEM_SIZE 0x10000u
#define NUM      8u
#define DESC     (BASE + 0x0000)
#define AVAIL    (BASE + 0x1000)
#define USED     (BASE + 0x2000)
#define INDIRECT (BASE + 0x3000)
#define DATA     (BASE + 0x8000)

struct guest {
	uint8_t *bytes;
	struct flat_memory flat;
	struct guest_memory counted;   /* flat, counting reads */
	unsigned long reads;
	struct virtq q;
};

static struct guest g;

static int counted_check(void *ctx, uint64_t gpa, uint64_t n)
{
	(void)ctx;
	return g.flat.ops.check(&g.flat, gpa, n);
}

static int counted_read(void *ctx, uint64_t gpa, void *dst, size_t n)
{
	(void)ctx;
	g.reads++;
	return g.flat.ops.read(&g.flat, gpa, dst, n);
}

static int counted_write(void *ctx, uint64_t gpa, const void *src, size_t n)
{
	(void)ctx;
	return g.flat.ops.write(&g.flat, gpa, src, n);
}

static void put(uint64_t gpa, uint64_t v, unsigned bytes)
{
	CHECK(gpa >= BASE && gpa - BASE + bytes <= MEM_SIZE);
	for (unsigned i = 0; i < bytes; i++)
		g.bytes[gpa - BASE + i] = (uint8_t)(v >> (8 * i));
}

static uint64_t get(uint64_t gpa, unsigned bytes)
{
	uint64_t v = 0;
	for (unsigned i = 0; i < bytes; i++)
		v |= (uint64_t)g.bytes[gpa - BASE + i] << (8 * i);
	return v;
}

static void setup(void)
{
	free(g.bytes);
	g.bytes = calloc(1, MEM_SIZE);
	CHECK(flat_memory_init(&g.flat, BASE, MEM_SIZE, g.bytes) != NULL);
	g.counted = (struct guest_memory){ .check = counted_check, .read = counted_read,
	                                   .write = counted_write };
	g.reads = 0;
	CHECK_EQ(virtq_init(&g.q, &g.counted, NUM, DESC, AVAIL, USED), 0);
}

static void desc_at(uint64_t table, unsigned i, uint64_t addr, uint32_t len, uint16_t flags,
                    uint16_t next)
{
	uint64_t d = table + 16ull * i;
	put(d, addr, 8);
	put(d + 8, len, 4);
	put(d + 12, flags, 2);
	put(d + 14, next, 2);
}

static void desc(unsigned i, uint64_t addr, uint32_t len, uint16_t flags, uint16_t next)
{
	desc_at(DESC, i, addr, len, flags, next);
}

/* Makes head available in the next slot and bumps avail idx. */
static void offer(uint16_t head)
{
	uint16_t idx = (uint16_t)get(AVAIL + 2, 2);
	put(AVAIL + 4 + 2 * (idx % NUM), head, 2);
	put(AVAIL + 2, (uint16_t)(idx + 1), 2);
}

static struct virtq_buffer bufs[64];
static struct virtq_chain chain;

static int pop(void)
{
	return virtq_pop(&g.q, bufs, 64, &chain);
}

#define F_NEXT  VIRTQ_DESC_F_NEXT
#define F_WRITE VIRTQ_DESC_F_WRITE
#define F_IND   VIRTQ_DESC_F_INDIRECT

TEST(a_chain_is_taken_and_returned_through_the_used_ring)
{
	setup();
	CHECK_EQ(pop(), 0);                                  /* nothing yet */
	desc(3, DATA, 16, F_NEXT, 5);
	desc(5, DATA + 0x100, 100, F_NEXT, 0);
	desc(0, DATA + 0x200, 512, F_WRITE, 7);              /* no NEXT: 7 unused */
	offer(3);
	CHECK_EQ(pop(), 1);
	CHECK_EQ(chain.head, 3);
	CHECK_EQ(chain.nbufs, 3);
	CHECK_EQ(chain.readable_bytes, 116);
	CHECK_EQ(chain.writable_bytes, 512);
	CHECK_EQ(bufs[1].gpa, DATA + 0x100);
	CHECK(!bufs[1].writable && bufs[2].writable);
	CHECK_EQ(pop(), 0);
	CHECK_EQ(virtq_push(&g.q, 3, 42), 0);
	CHECK_EQ(get(USED + 2, 2), 1);
	CHECK_EQ(get(USED + 4, 4), 3);
	CHECK_EQ(get(USED + 8, 4), 42);
	CHECK(virtq_should_interrupt(&g.q));
	put(AVAIL, VIRTQ_AVAIL_F_NO_INTERRUPT, 2);
	CHECK(!virtq_should_interrupt(&g.q));
}

TEST(ring_indices_wrap_at_16_bits)
{
	setup();
	put(AVAIL + 2, 65534, 2);
	g.q.last_avail = 65534;
	g.q.used_idx = 65535;
	desc(1, DATA, 8, 0, 0);
	for (unsigned round = 0; round < 4; round++) {
		offer(1);
		CHECK_EQ(pop(), 1);
		CHECK_EQ(chain.head, 1);
		CHECK_EQ(virtq_push(&g.q, 1, 0), 0);
	}
	CHECK_EQ(g.q.last_avail, 2);
	CHECK_EQ(get(USED + 2, 2), 3);
	CHECK_EQ(get(USED + 4 + 8 * (65535 % NUM), 4), 1);
}

TEST(an_indirect_table_is_followed)
{
	setup();
	desc_at(INDIRECT, 0, DATA, 10, F_NEXT, 2);
	desc_at(INDIRECT, 2, DATA + 0x40, 20, F_NEXT, 1);
	desc_at(INDIRECT, 1, DATA + 0x80, 30, F_WRITE, 0);
	desc(6, INDIRECT, 3 * 16, F_IND, 0);
	offer(6);
	CHECK_EQ(pop(), 1);
	CHECK_EQ(chain.head, 6);
	CHECK_EQ(chain.nbufs, 3);
	CHECK_EQ(bufs[2].gpa, DATA + 0x80);
	CHECK_EQ(chain.readable_bytes, 30);
	CHECK_EQ(chain.writable_bytes, 30);
}

/* Offers a chain starting at head and expects pop to refuse it with e,
 * leave the slot unconsumed, and stay broken. */
static void refused(uint16_t head, enum virtq_error e)
{
	offer(head);
	uint16_t before = g.q.last_avail;
	CHECK_EQ(pop(), -(int)e);
	CHECK_EQ(g.q.last_avail, before);
	CHECK_EQ(pop(), -(int)e);
	CHECK_EQ(virtq_push(&g.q, 0, 0), -(int)e);
	CHECK(!virtq_should_interrupt(&g.q));
	CHECK(virtq_error_name(-(int)e)[0] != '\0');
}

TEST(malformed_chains_each_have_their_own_error)
{
	setup(); refused(NUM, VIRTQ_E_HEAD_RANGE);
	setup(); desc(0, DATA, 8, F_NEXT, NUM); refused(0, VIRTQ_E_NEXT_RANGE);
	setup(); desc(0, DATA, 8, F_NEXT, 0); refused(0, VIRTQ_E_LOOP);
	setup(); desc(0, DATA, 8, F_NEXT, 1); desc(1, DATA, 8, F_NEXT, 0);
	         refused(0, VIRTQ_E_LOOP);
	setup(); desc(0, BASE + MEM_SIZE - 4, 8, 0, 0); refused(0, VIRTQ_E_BUFFER_OUTSIDE);
	setup(); desc(0, BASE - 1, 1, 0, 0); refused(0, VIRTQ_E_BUFFER_OUTSIDE);
	setup(); desc(0, UINT64_MAX - 3, 16, 0, 0); refused(0, VIRTQ_E_BUFFER_OUTSIDE);
	setup(); desc(0, DATA, 8, F_WRITE | F_NEXT, 1); desc(1, DATA, 8, 0, 0);
	         refused(0, VIRTQ_E_READ_AFTER_WRITE);
	setup(); desc(0, INDIRECT, 16, F_IND | F_NEXT, 1); refused(0, VIRTQ_E_INDIRECT_NEXT);
	setup(); desc(0, INDIRECT, 16, F_IND, 0); desc_at(INDIRECT, 0, INDIRECT, 16, F_IND, 0);
	         refused(0, VIRTQ_E_INDIRECT_NESTED);
	setup(); desc(0, INDIRECT, 0, F_IND, 0); refused(0, VIRTQ_E_INDIRECT_SIZE);
	setup(); desc(0, INDIRECT, 24, F_IND, 0); refused(0, VIRTQ_E_INDIRECT_SIZE);
	setup(); desc(0, INDIRECT, 16 * (VIRTQ_MAX_SIZE + 1), F_IND, 0);
	         refused(0, VIRTQ_E_INDIRECT_SIZE);
	setup(); desc(0, BASE + MEM_SIZE - 16, 32, F_IND, 0); refused(0, VIRTQ_E_INDIRECT_OUTSIDE);
	setup(); desc(0, INDIRECT, 32, F_IND, 0); desc_at(INDIRECT, 0, DATA, 8, F_NEXT, 2);
	         refused(0, VIRTQ_E_NEXT_RANGE);
	setup(); desc(0, INDIRECT, 32, F_IND, 0); desc_at(INDIRECT, 0, DATA, 8, F_NEXT, 1);
	         desc_at(INDIRECT, 1, DATA, 8, F_NEXT, 0); refused(0, VIRTQ_E_LOOP);
}

TEST(a_driver_running_ahead_of_the_ring_is_refused)
{
	setup();
	desc(0, DATA, 8, 0, 0);
	put(AVAIL + 2, NUM + 1, 2);
	CHECK_EQ(pop(), -(int)VIRTQ_E_AVAIL_OVERRUN);
	CHECK_EQ(g.q.last_avail, 0);
}

TEST(a_chain_longer_than_the_caller_takes_is_refused)
{
	setup();
	for (unsigned i = 0; i < NUM - 1; i++)
		desc(i, DATA, 8, F_NEXT, (uint16_t)(i + 1));
	desc(NUM - 1, DATA, 8, 0, 0);
	offer(0);
	CHECK_EQ(virtq_pop(&g.q, bufs, NUM - 1, &chain), -(int)VIRTQ_E_TOO_MANY_BUFFERS);
	setup();
	for (unsigned i = 0; i < NUM - 1; i++)
		desc(i, DATA, 8, F_NEXT, (uint16_t)(i + 1));
	desc(NUM - 1, DATA, 8, 0, 0);
	offer(0);
	CHECK_EQ(virtq_pop(&g.q, bufs, NUM, &chain), 1);     /* a full-length chain is fine */
	CHECK_EQ(chain.nbufs, NUM);
}

static int everything_is_memory(void *ctx, uint64_t gpa, uint64_t n)
{
	(void)ctx;
	return gpa < (1ull << 40) && n < (1ull << 40) ? 0 : -BH_EFAULT;
}

TEST(a_chain_of_4_gib_or_more_is_refused)
{
	setup();
	/* Buffers are only checked, never touched: a guest whose check
	 * accepts large ranges lets the length rule be reached. */
	struct guest_memory big = g.counted;
	big.check = everything_is_memory;
	g.q.mem = &big;
	desc(0, 1ull << 32, 0x80000000u, F_NEXT, 1);
	desc(1, 1ull << 33, 0x80000000u, 0, 0);
	refused(0, VIRTQ_E_TOO_LONG);
}

TEST(rings_outside_memory_or_misaligned_are_refused_at_init)
{
	setup();
	struct virtq q;
	CHECK_EQ(virtq_init(&q, &g.counted, 6, DESC, AVAIL, USED), -BH_EINVAL);
	CHECK_EQ(virtq_init(&q, &g.counted, 0, DESC, AVAIL, USED), -BH_EINVAL);
	CHECK_EQ(virtq_init(&q, &g.counted, NUM, DESC + 8, AVAIL, USED), -BH_EINVAL);
	CHECK_EQ(virtq_init(&q, &g.counted, NUM, DESC, AVAIL + 1, USED), -BH_EINVAL);
	CHECK_EQ(virtq_init(&q, &g.counted, NUM, DESC, AVAIL, USED + 2), -BH_EINVAL);
	CHECK_EQ(virtq_init(&q, &g.counted, NUM, BASE + MEM_SIZE - 16, AVAIL, USED), -BH_EFAULT);
	CHECK_EQ(virtq_init(&q, &g.counted, NUM, DESC, BASE + MEM_SIZE - 20, USED), -BH_EFAULT);
	CHECK_EQ(virtq_init(&q, &g.counted, NUM, DESC, AVAIL, BASE + MEM_SIZE - 64), -BH_EFAULT);
	CHECK_EQ(virtq_init(&q, &g.counted, 8192, DESC, AVAIL, USED), -BH_EFAULT);
	CHECK_EQ(virtq_init(&q, &g.counted, NUM, UINT64_MAX - 15, AVAIL, USED), -BH_EFAULT);
}

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;
static uint64_t rnd(void)
{
	return (uint64_t)test_rng_next(&rng_state) << 32 | test_rng_next(&rng_state);
}

/* A random but plausible descriptor: addresses near or inside guest
 * memory, small lengths, any flags, next indices near the table. */
static void random_desc(uint64_t table, unsigned i, unsigned table_len)
{
	static const uint64_t addrs[] = { DATA, INDIRECT, BASE, BASE + MEM_SIZE - 8,
	                                  BASE + MEM_SIZE, 0, UINT64_MAX - 7 };
	uint64_t addr = rnd() % 4 ? addrs[rnd() % 7] + rnd() % 64 : rnd();
	uint32_t len = rnd() % 4 ? (uint32_t)(rnd() % 64) * 16 : (uint32_t)rnd();
	desc_at(table, i, addr, len, (uint16_t)(rnd() % 8), (uint16_t)(rnd() % (table_len + 2)));
}

TEST(random_corruption_never_escapes_guest_memory)
{
	unsigned popped = 0, refusals = 0;
	for (unsigned round = 0; round < 3000; round++) {
		setup();
		for (unsigned i = 0; i < NUM; i++)
			random_desc(DESC, i, NUM);
		for (unsigned i = 0; i < 16; i++)
			random_desc(INDIRECT, i, 16);
		for (unsigned i = 0; i < NUM; i++)
			put(AVAIL + 4 + 2 * i, rnd() % (NUM + 2), 2);
		put(AVAIL + 2, rnd() % 4 ? rnd() % (NUM + 1) : rnd(), 2);
		/* and a few raw byte flips anywhere in the rings */
		for (unsigned i = 0; i < 4; i++)
			g.bytes[rnd() % 0x4000] = (uint8_t)rnd();
		for (unsigned step = 0; step < NUM + 2; step++) {
			g.reads = 0;
			unsigned cap = 1 + rnd() % 64;
			int r = virtq_pop(&g.q, bufs, cap, &chain);
			CHECK(g.reads <= 2 + NUM + VIRTQ_MAX_SIZE);
			if (r < 0) {
				CHECK(r > -(int)VIRTQ_E_COUNT);
				refusals++;
				break;
			}
			if (r == 0)
				break;
			popped++;
			CHECK(chain.head < NUM && chain.nbufs <= cap);
			for (unsigned b = 0; b < chain.nbufs; b++)
				CHECK_EQ(g.flat.ops.check(&g.flat, bufs[b].gpa, bufs[b].len), 0);
			CHECK_EQ(chain.readable_bytes + chain.writable_bytes < (1ull << 32), 1);
			CHECK_EQ(virtq_push(&g.q, chain.head, (uint32_t)chain.writable_bytes), 0);
		}
	}
	/* Both outcomes happened: the generator is neither too tame nor too wild. */
	CHECK(popped > 100);
	CHECK(refusals > 100);
	free(g.bytes);
	g.bytes = NULL;
}

#define AVAIL_EVENT (USED + 4 + 8 * NUM)
#define USED_EVENT  (AVAIL + 4 + 2 * NUM)

TEST(event_indices_ask_for_the_next_notification_when_the_ring_runs_dry)
{
	setup();
	virtq_use_event_idx(&g.q);
	put(AVAIL_EVENT, 0xffff, 2);
	CHECK_EQ(pop(), 0);
	CHECK_EQ(get(AVAIL_EVENT, 2), 0);                    /* notify me at chain 0 */
	desc(0, DATA, 8, 0, 0);
	offer(0);
	offer(0);
	CHECK_EQ(pop(), 1);
	CHECK_EQ(get(AVAIL_EVENT, 2), 0);                    /* not dry: untouched */
	CHECK_EQ(pop(), 1);
	CHECK_EQ(pop(), 0);
	CHECK_EQ(get(AVAIL_EVENT, 2), 2);
}

TEST(event_indices_interrupt_only_when_used_passes_used_event)
{
	setup();
	virtq_use_event_idx(&g.q);
	desc(0, DATA, 8, 0, 0);
	put(AVAIL, VIRTQ_AVAIL_F_NO_INTERRUPT, 2);           /* ignored with event indices */
	put(USED_EVENT, 0, 2);
	CHECK_EQ(virtq_push(&g.q, 0, 0), 0);                 /* used idx 0 -> 1 */
	CHECK(virtq_should_interrupt(&g.q));
	CHECK_EQ(virtq_push(&g.q, 0, 0), 0);                 /* 1 -> 2: event 0 already told */
	CHECK(!virtq_should_interrupt(&g.q));
	put(USED_EVENT, 5, 2);
	CHECK_EQ(virtq_push(&g.q, 0, 0), 0);                 /* 2 -> 3 */
	CHECK_EQ(virtq_push(&g.q, 0, 0), 0);                 /* 3 -> 4 */
	CHECK(!virtq_should_interrupt(&g.q));
	CHECK_EQ(virtq_push(&g.q, 0, 0), 0);                 /* 4 -> 5 */
	CHECK_EQ(virtq_push(&g.q, 0, 0), 0);                 /* 5 -> 6: passes 5 */
	CHECK_EQ(virtq_push(&g.q, 0, 0), 0);                 /* 6 -> 7 */
	CHECK(virtq_should_interrupt(&g.q));
	/* across the 16-bit wrap */
	g.q.used_idx = g.q.signalled_used = 65534;
	put(USED_EVENT, 65535, 2);
	CHECK_EQ(virtq_push(&g.q, 0, 0), 0);                 /* 65534 -> 65535 */
	CHECK(!virtq_should_interrupt(&g.q));
	CHECK_EQ(virtq_push(&g.q, 0, 0), 0);                 /* 65535 -> 0 */
	CHECK(virtq_should_interrupt(&g.q));
}
