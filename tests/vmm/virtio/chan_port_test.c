/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Host tests of vmm/virtio/chan_port.c: a monitor's channel end against a
 * peer that uses the runtime's ring calls directly (as a native VM does),
 * over one fake channel region in host memory. Which rings each kind of
 * channel gives, both directions, full and empty with their wake-ups, and
 * a peer that scribbles on the ring header: -BH_EIO for that direction
 * only, never an access outside the region (ASan watches); a peer that
 * goes and one launched anew on the zeroed region (chan_port_restart).
 */
#include "check.h"

#include <stdlib.h>
#include <sys/mman.h>

#include "bulkhead/errno.h"
#include "bulkhead/hypercall.h"
#include "virtio/chan_port.h"

#define SIZE 8192u
#define BOTH_WAYS (BH_CHANNEL_READ | BH_CHANNEL_WRITE | BH_CHANNEL_BOTH | \
                   BH_CHANNEL_SIGNAL | BH_CHANNEL_EVENTS)

/* How often each side rang the other's doorbell. */
static unsigned port_bells, peer_bells;

static int ring_port_bell(void *ctx)
{
	(void)ctx;
	port_bells++;
	return 0;
}

static int ring_peer_bell(void *ctx)
{
	(void)ctx;
	peer_bells++;
	return 0;
}

static uint8_t *region(void)
{
	uint8_t *mem = aligned_alloc(64, SIZE);
	CHECK(mem != NULL);
	memset(mem, 0, SIZE);
	port_bells = peer_bells = 0;
	return mem;
}

/* The monitor is end 1; the peer, end 0, uses the runtime's rings. */
struct pair {
	uint8_t *mem;
	struct chan_port port;
	struct bh_ring peer_out, peer_in;
};

static void pair_up_in(struct pair *p, uint8_t *mem)
{
	p->mem = mem;
	CHECK_EQ(chan_port_init(&p->port, p->mem, SIZE, 1, BOTH_WAYS, ring_port_bell, NULL), 0);
	CHECK_EQ(bh_ring_init_channel_memory(&p->peer_out, p->mem, SIZE, 0, BOTH_WAYS,
	                                     BH_RING_PRODUCER, ring_peer_bell, NULL), 0);
	CHECK_EQ(bh_ring_init_channel_memory(&p->peer_in, p->mem, SIZE, 0, BOTH_WAYS,
	                                     BH_RING_CONSUMER, ring_peer_bell, NULL), 0);
}

static void pair_up(struct pair *p)
{
	pair_up_in(p, region());
}

TEST(a_both_ways_channel_carries_messages_each_way_in_the_runtime_format)
{
	struct pair p;
	pair_up(&p);
	CHECK(p.port.can_send && p.port.can_receive);
	CHECK_EQ(chan_port_max_send(&p.port), SIZE / 2 - 256 - 4);
	CHECK_EQ(chan_port_max_receive(&p.port), SIZE / 2 - 256 - 4);

	CHECK_EQ(chan_port_send(&p.port, "to peer", 7), 0);
	char buf[64];
	CHECK_EQ(bh_ring_recv(&p.peer_in, buf, sizeof buf), 7);
	CHECK(memcmp(buf, "to peer", 7) == 0);

	CHECK_EQ(bh_ring_send(&p.peer_out, "to monitor", 10), 0);
	const void *msg;
	CHECK_EQ(chan_port_peek(&p.port, &msg), 10);
	CHECK(memcmp(msg, "to monitor", 10) == 0);
	CHECK_EQ(chan_port_peek(&p.port, &msg), 10);      /* still there */
	CHECK_EQ(chan_port_release(&p.port), 0);
	CHECK_EQ(chan_port_peek(&p.port, &msg), -BH_ENODATA);
	CHECK_EQ(chan_port_release(&p.port), -BH_EINVAL);  /* nothing peeked */

	void *room;
	CHECK_EQ(chan_port_reserve(&p.port, 5, &room), 0);
	memcpy(room, "zero!", 5);
	CHECK_EQ(chan_port_commit(&p.port, 4), 0);
	CHECK_EQ(bh_ring_recv(&p.peer_in, buf, sizeof buf), 4);
	CHECK(memcmp(buf, "zero", 4) == 0);

	CHECK_EQ(bh_ring_send(&p.peer_out, "abc", 3), 0);
	CHECK_EQ(chan_port_receive(&p.port, buf, 2), -BH_E2BIG);
	CHECK_EQ(chan_port_receive(&p.port, buf, 3), 3);
	CHECK_EQ(chan_port_send(&p.port, buf, chan_port_max_send(&p.port) + 1), -BH_E2BIG);
	free(p.mem);
}

TEST(a_full_channel_refuses_and_the_peer_wakes_the_port_once_room_is_free)
{
	struct pair p;
	pair_up(&p);
	static uint8_t big[1000];
	int sent = 0;
	while (chan_port_send(&p.port, big, sizeof big) == 0)
		sent++;
	CHECK_EQ(sent, 3);   /* 3 records of 1008 bytes in 3840 */
	CHECK_EQ(chan_port_send(&p.port, big, sizeof big), -BH_ENOSPC);
	CHECK_EQ(chan_port_wait_room(&p.port, sizeof big), -BH_ENOSPC);
	CHECK_EQ(port_bells, 1);   /* the first message into a fresh ring */
	/* The peer reads one: exactly the room asked for, so it rings. */
	CHECK_EQ(bh_ring_recv(&p.peer_in, big, sizeof big), 1000);
	CHECK_EQ(peer_bells, 1);
	CHECK_EQ(chan_port_wait_room(&p.port, sizeof big), 0);
	CHECK_EQ(chan_port_send(&p.port, big, sizeof big), 0);

	/* Empty inbound: asking for data arms the peer's next message. */
	CHECK_EQ(chan_port_wait_data(&p.port), -BH_ENODATA);
	unsigned before = peer_bells;
	CHECK_EQ(bh_ring_send(&p.peer_out, "x", 1), 0);
	CHECK_EQ(peer_bells, before + 1);
	CHECK_EQ(chan_port_wait_data(&p.port), 0);
	free(p.mem);
}

TEST(a_one_way_channel_gives_the_writer_only_a_sender_and_the_reader_only_a_receiver)
{
	uint8_t *mem = region();
	struct chan_port writer, reader;
	CHECK_EQ(chan_port_init(&writer, mem, SIZE, 0,
	                        BH_CHANNEL_READ | BH_CHANNEL_WRITE | BH_CHANNEL_SIGNAL,
	                        ring_port_bell, NULL), 0);
	CHECK_EQ(chan_port_init(&reader, mem, SIZE, 1, BH_CHANNEL_READ | BH_CHANNEL_EVENTS,
	                        ring_peer_bell, NULL), 0);
	CHECK(writer.can_send && !writer.can_receive);
	CHECK(!reader.can_send && reader.can_receive);
	CHECK_EQ(chan_port_max_receive(&writer), 0);
	CHECK_EQ(chan_port_max_send(&reader), 0);

	const void *msg;
	char buf[8];
	void *room;
	CHECK_EQ(chan_port_peek(&writer, &msg), -BH_EPERM);
	CHECK_EQ(chan_port_receive(&writer, buf, sizeof buf), -BH_EPERM);
	CHECK_EQ(chan_port_wait_data(&writer), -BH_EPERM);
	CHECK_EQ(chan_port_release(&writer), -BH_EPERM);
	CHECK_EQ(chan_port_send(&reader, "no", 2), -BH_EPERM);
	CHECK_EQ(chan_port_reserve(&reader, 2, &room), -BH_EPERM);
	CHECK_EQ(chan_port_commit(&reader, 2), -BH_EPERM);
	CHECK_EQ(chan_port_wait_room(&reader, 2), -BH_EPERM);

	/* The writer never waits: it overwrites, and a lapped reader is told. */
	static const uint8_t text[128];
	for (int i = 0; i < 20; i++)
		CHECK_EQ(chan_port_send(&writer, text, 32 * (i % 4 + 1)), 0);
	CHECK_EQ(chan_port_send(&writer, "last", 4), 0);
	CHECK_EQ(chan_port_peek(&reader, &msg), 32);   /* the ring still holds all 20 */
	CHECK_EQ(chan_port_release(&reader), 0);
	for (int i = 0; i < 300; i++)
		CHECK_EQ(chan_port_send(&writer, text, 32), 0);
	CHECK_EQ(chan_port_peek(&reader, &msg), -BH_ERANGE);
	CHECK(chan_port_peek(&reader, &msg) == -BH_ENODATA);
	free(mem);
}

TEST(bad_set_ups_are_refused)
{
	uint8_t *mem = region();
	struct chan_port p;
	CHECK_EQ(chan_port_init(&p, NULL, SIZE, 0, BOTH_WAYS, NULL, NULL), -BH_EINVAL);
	CHECK_EQ(chan_port_init(&p, mem, SIZE, 2, BOTH_WAYS, NULL, NULL), -BH_EINVAL);
	CHECK_EQ(chan_port_init(&p, mem, 256, 0, BOTH_WAYS, NULL, NULL), -BH_EINVAL);
	CHECK_EQ(chan_port_init(&p, mem, SIZE, 0, BOTH_WAYS & ~BH_CHANNEL_WRITE, NULL, NULL),
	         -BH_EINVAL);
	CHECK(!p.can_send && !p.can_receive);
	/* Without SIGNAL the port never rings, even when the peer waits. */
	CHECK_EQ(chan_port_init(&p, mem, SIZE, 1, BOTH_WAYS & ~BH_CHANNEL_SIGNAL,
	                        ring_port_bell, NULL), 0);
	CHECK_EQ(chan_port_send(&p, "x", 1), 0);
	CHECK_EQ(port_bells, 0);
	free(mem);
}

TEST(a_peer_that_breaks_its_ring_stops_that_direction_only)
{
	struct pair p;
	pair_up(&p);
	CHECK_EQ(bh_ring_send(&p.peer_out, "fine", 4), 0);
	const void *msg;
	CHECK_EQ(chan_port_peek(&p.port, &msg), 4);
	CHECK_EQ(chan_port_release(&p.port), 0);

	/* The peer's head runs more than the data area ahead. */
	volatile struct bh_ring_hdr *in_hdr = (volatile struct bh_ring_hdr *)p.mem;
	in_hdr->head += 1u << 20;
	CHECK_EQ(chan_port_peek(&p.port, &msg), -BH_EIO);
	CHECK_EQ(chan_port_wait_data(&p.port), -BH_EIO);   /* for good */

	/* The other direction is untouched. */
	CHECK_EQ(chan_port_send(&p.port, "still", 5), 0);
	char buf[8];
	CHECK_EQ(bh_ring_recv(&p.peer_in, buf, sizeof buf), 5);

	/* And then the peer's tail on ours: behind what it was, misaligned. */
	volatile struct bh_ring_hdr *out_hdr = (volatile struct bh_ring_hdr *)(p.mem + SIZE / 2);
	out_hdr->tail = 3;
	CHECK_EQ(chan_port_send(&p.port, "x", 1), -BH_EIO);
	CHECK_EQ(chan_port_wait_room(&p.port, 1), -BH_EIO);

	/* A garbage length word under a valid head. */
	struct pair q;
	pair_up(&q);
	CHECK_EQ(bh_ring_send(&q.peer_out, "12345678", 8), 0);
	*(volatile uint32_t *)(q.mem + 256) = 0x7fffffff;
	CHECK_EQ(chan_port_peek(&q.port, &msg), -BH_EIO);
	free(p.mem);
	free(q.mem);
}

static int ring_gone(void *ctx)
{
	(void)ctx;
	return -BH_EPIPE;
}

TEST(a_peer_gone_refuses_sending_and_leaves_what_it_sent)
{
	struct pair p;
	pair_up(&p);
	CHECK_EQ(bh_ring_send(&p.peer_out, "last words", 10), 0);
	chan_port_peer_gone(&p.port);
	CHECK_EQ(chan_port_send(&p.port, "x", 1), -BH_EPIPE);
	void *room;
	CHECK_EQ(chan_port_reserve(&p.port, 1, &room), -BH_EPIPE);
	CHECK_EQ(chan_port_wait_room(&p.port, 1), -BH_EPIPE);
	char buf[16];
	CHECK_EQ(chan_port_receive(&p.port, buf, sizeof buf), 10);

	/* A notification that finds the peer gone: that message is out, the
	 * next is refused. */
	struct chan_port q;
	CHECK_EQ(chan_port_init(&q, p.mem, SIZE, 1, BOTH_WAYS, ring_gone, NULL), 0);
	q.out.pos = q.out.kicked = p.port.out.pos;   /* carry on where p left */
	q.out.peer = p.port.out.peer;
	CHECK_EQ(bh_ring_arm(&p.peer_in, 0), -BH_ENODATA);   /* the peer sleeps */
	CHECK_EQ(chan_port_send(&q, "y", 1), -BH_EPIPE);
	CHECK(q.peer_gone);
	CHECK_EQ(bh_ring_recv(&p.peer_in, buf, sizeof buf), 1);
	CHECK_EQ(chan_port_send(&q, "z", 1), -BH_EPIPE);
	CHECK_EQ(bh_ring_recv(&p.peer_in, buf, sizeof buf), -BH_ENODATA);
	free(p.mem);
}

/* The peer stops with messages in flight both ways and a new one is
 * launched: the kernel zeroes the region, the port restarts, and both
 * directions carry messages again from position 0. */
TEST(a_restarted_port_talks_to_a_peer_launched_anew)
{
	struct pair p;
	pair_up(&p);
	char buf[16];
	CHECK_EQ(chan_port_send(&p.port, "to the old", 10), 0);
	CHECK_EQ(bh_ring_send(&p.peer_out, "from the old", 12), 0);
	const void *msg;
	CHECK_EQ(chan_port_peek(&p.port, &msg), 12);   /* held across the restart */
	chan_port_peer_gone(&p.port);
	CHECK_EQ(chan_port_send(&p.port, "x", 1), -BH_EPIPE);

	memset(p.mem, 0, SIZE);                         /* the new peer comes up */
	CHECK_EQ(bh_ring_init_channel_memory(&p.peer_out, p.mem, SIZE, 0, BOTH_WAYS,
	                                     BH_RING_PRODUCER, ring_peer_bell, NULL), 0);
	CHECK_EQ(bh_ring_init_channel_memory(&p.peer_in, p.mem, SIZE, 0, BOTH_WAYS,
	                                     BH_RING_CONSUMER, ring_peer_bell, NULL), 0);
	chan_port_restart(&p.port);
	CHECK(!p.port.peer_gone);
	CHECK(p.port.can_send && p.port.can_receive);
	CHECK_EQ(chan_port_release(&p.port), -BH_EINVAL);   /* the old peek is forgotten */
	CHECK_EQ(chan_port_receive(&p.port, buf, sizeof buf), -BH_ENODATA);
	CHECK_EQ(chan_port_send(&p.port, "to the new", 10), 0);
	CHECK_EQ(bh_ring_recv(&p.peer_in, buf, sizeof buf), 10);
	CHECK(memcmp(buf, "to the new", 10) == 0);
	CHECK_EQ(bh_ring_send(&p.peer_out, "from the new", 12), 0);
	CHECK_EQ(chan_port_receive(&p.port, buf, sizeof buf), 12);
	CHECK(memcmp(buf, "from the new", 12) == 0);
	free(p.mem);
}

/* Closed: the kernel has unmapped the memory. Here it is made unreadable,
 * so any touch of it by a port call crashes the test. */
TEST(a_closed_port_touches_no_memory_until_it_restarts)
{
	struct pair p;
	uint8_t *mem = mmap(NULL, SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(mem != MAP_FAILED);
	pair_up_in(&p, mem);
	char buf[16];
	const void *msg;
	void *room;
	CHECK_EQ(bh_ring_send(&p.peer_out, "unread", 6), 0);
	chan_port_close(&p.port);
	CHECK_EQ(mprotect(mem, SIZE, PROT_NONE), 0);
	CHECK(p.port.peer_gone);
	CHECK_EQ(chan_port_receive(&p.port, buf, sizeof buf), -BH_ENODATA);
	CHECK_EQ(chan_port_peek(&p.port, &msg), -BH_ENODATA);
	CHECK_EQ(chan_port_release(&p.port), -BH_ENODATA);
	CHECK_EQ(chan_port_wait_data(&p.port), -BH_EPIPE);
	CHECK_EQ(chan_port_send(&p.port, "x", 1), -BH_EPIPE);
	CHECK_EQ(chan_port_reserve(&p.port, 1, &room), -BH_EPIPE);
	CHECK_EQ(chan_port_commit(&p.port, 1), -BH_EPIPE);
	CHECK_EQ(chan_port_wait_room(&p.port, 1), -BH_EPIPE);

	/* Mapped again, zeroed, with a new peer: the port starts over. */
	CHECK_EQ(mprotect(mem, SIZE, PROT_READ | PROT_WRITE), 0);
	memset(mem, 0, SIZE);
	CHECK_EQ(bh_ring_init_channel_memory(&p.peer_out, mem, SIZE, 0, BOTH_WAYS,
	                                     BH_RING_PRODUCER, ring_peer_bell, NULL), 0);
	CHECK_EQ(bh_ring_init_channel_memory(&p.peer_in, mem, SIZE, 0, BOTH_WAYS,
	                                     BH_RING_CONSUMER, ring_peer_bell, NULL), 0);
	chan_port_restart(&p.port);
	CHECK(!p.port.closed && !p.port.peer_gone);
	CHECK_EQ(chan_port_send(&p.port, "again", 5), 0);
	CHECK_EQ(bh_ring_recv(&p.peer_in, buf, sizeof buf), 5);
	munmap(mem, SIZE);
}
