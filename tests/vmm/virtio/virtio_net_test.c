/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Two virtio-net devices back to back over one fake channel in host
 * memory, each with its own fake guest and driver (fake_driver.h), and the
 * monitor's part played by monitor_turn: when a side's port rang the other
 * side's doorbell, poll that side's device. Frames both ways, a full
 * channel (nothing dropped, transmission resumes on the peer's
 * notification), receive buffers too small, oversize and malformed
 * frames, the configuration space, hostile values in the channel's
 * memory and in the guests' rings, and a peer launched anew after its
 * predecessor went (the link goes down and comes back).
 */
#include "check.h"

#include <stdlib.h>

#include "bulkhead/errno.h"
#include "bulkhead/hypercall.h"
#include "fake_driver.h"
#include "virtio/net.h"

#define BOTH_WAYS (BH_CHANNEL_READ | BH_CHANNEL_WRITE | BH_CHANNEL_BOTH | \
                   BH_CHANNEL_SIGNAL | BH_CHANNEL_EVENTS)
#define ALL_FEATURES (VIRTIO_NET_F_MAC | VIRTIO_NET_F_STATUS | VIRTIO_NET_F_MTU | \
                      VIRTIO_RING_F_EVENT_IDX | VIRTIO_RING_F_INDIRECT_DESC)
#define RX_BUF (VIRTIO_NET_HDR_LEN + VIRTIO_NET_FRAME_MAX)
#define RXQ CHAN_DEVICE_RXQ
#define TXQ CHAN_DEVICE_TXQ
/* A queue's rings in fake_driver.c's layout end before this offset. */
#define USED_RING_END (512u + 4u + 8u * FAKE_NUM + 2u)

struct side {
	struct fake_driver drv;
	struct chan_port port;
	struct chan_device dev;
	uint8_t mac[6];
	bool event;          /* the peer rang: the monitor has to poll this side */
	unsigned bells;
};

static struct side A, B;
static uint8_t *channel;
static uint64_t channel_size;

static int ring_doorbell(void *ctx)
{
	struct side *s = ctx;
	s->event = true;
	s->bells++;
	return 0;
}

/* What the monitor does on channel events: poll until nobody rang. */
static void monitor_turn(void)
{
	for (int rounds = 0; A.event || B.event; rounds++) {
		CHECK(rounds < 1000);
		if (A.event) {
			A.event = false;
			chan_device_poll(&A.dev);
		}
		if (B.event) {
			B.event = false;
			chan_device_poll(&B.dev);
		}
	}
}

static void side_up(struct side *s, struct side *peer, uint32_t end, const char *name,
                    uint64_t want)
{
	fake_driver_free(&s->drv);
	fake_driver_init(&s->drv);
	s->event = false;
	s->bells = 0;
	CHECK_EQ(chan_port_init(&s->port, channel, channel_size, end, BOTH_WAYS,
	                        ring_doorbell, peer), 0);
	virtio_net_mac_from_seed(name, strlen(name), 0, s->mac);
	CHECK_EQ(virtio_net_init(&s->dev, s->drv.mem, &s->port, s->mac), 0);
	CHECK_EQ(fake_driver_start(&s->drv, &s->dev.mmio, want), VIRTIO_ID_NET);
}

static void link_up(uint64_t size, uint64_t want)
{
	free(channel);
	channel = aligned_alloc(4096, size);
	CHECK(channel != NULL);
	memset(channel, 0, size);
	channel_size = size;
	side_up(&A, &B, 0, "alpha", want);
	side_up(&B, &A, 1, "beta", want);
}

/* A frame from s of len bytes whose payload says seq. */
static void make_frame(uint8_t *frame, uint32_t len, const struct side *from, uint32_t seq)
{
	memset(frame, 0xff, 6);                    /* broadcast */
	memcpy(frame + 6, from->mac, 6);
	frame[12] = 0x88;                          /* a local experimental EtherType */
	frame[13] = 0xb5;
	for (uint32_t i = 14; i < len; i++)
		frame[i] = (uint8_t)(seq * 7 + i);
}

/* Queues one frame on s's transmit queue behind a zero header. */
static int post_frame(struct side *s, const uint8_t *frame, uint32_t len, bool split)
{
	static uint8_t chain[VIRTIO_NET_HDR_LEN + 4096];
	CHECK(len + VIRTIO_NET_HDR_LEN <= sizeof chain);
	memset(chain, 0, VIRTIO_NET_HDR_LEN);
	memcpy(chain + VIRTIO_NET_HDR_LEN, frame, len);
	return fake_post(&s->drv, TXQ, chain, VIRTIO_NET_HDR_LEN + len, 0, split);
}

static void send_frame(struct side *s, const uint8_t *frame, uint32_t len)
{
	CHECK(post_frame(s, frame, len, len % 2) >= 0);
	fake_kick(&s->drv, TXQ);
	monitor_turn();
}

static void post_rx(struct side *s, unsigned n, uint32_t size)
{
	for (unsigned i = 0; i < n; i++)
		CHECK(fake_post(&s->drv, RXQ, NULL, 0, size, i % 2) >= 0);
	fake_kick(&s->drv, RXQ);
	monitor_turn();
}

/* Takes s's next received frame: checks the header and returns the
 * frame's length, or -1 if none. */
static int take_frame(struct side *s, uint8_t *frame)
{
	unsigned slot;
	uint32_t len;
	if (!fake_used(&s->drv, RXQ, &slot, &len))
		return -1;
	CHECK(len >= VIRTIO_NET_HDR_LEN);
	const uint8_t *data = fake_slot_data(&s->drv, RXQ, slot);
	for (unsigned i = 0; i < VIRTIO_NET_HDR_LEN; i++)
		CHECK_EQ(data[i], i == 10 ? 1 : 0);    /* num_buffers = 1, the rest 0 */
	memcpy(frame, data + VIRTIO_NET_HDR_LEN, len - VIRTIO_NET_HDR_LEN);
	return (int)(len - VIRTIO_NET_HDR_LEN);
}

/* Gives back s's finished transmit chains; returns how many. */
static unsigned reap_tx(struct side *s)
{
	unsigned slot, n = 0;
	uint32_t len;
	while (fake_used(&s->drv, TXQ, &slot, &len)) {
		CHECK_EQ(len, 0);
		n++;
	}
	return n;
}

static void expect_frame(struct side *to, const struct side *from, uint32_t len, uint32_t seq)
{
	uint8_t want[VIRTIO_NET_FRAME_MAX], got[RX_BUF];
	make_frame(want, len, from, seq);
	CHECK_EQ(take_frame(to, got), len);
	CHECK(memcmp(got, want, len) == 0);
}

static void one_way(struct side *from, struct side *to)
{
	static const uint32_t lens[] = { 14, 60, 1514, VIRTIO_NET_FRAME_MAX, 301 };
	uint8_t frame[VIRTIO_NET_FRAME_MAX];
	post_rx(to, 5, RX_BUF);
	for (uint32_t i = 0; i < 5; i++) {
		make_frame(frame, lens[i], from, i);
		send_frame(from, frame, lens[i]);
	}
	for (uint32_t i = 0; i < 5; i++)
		expect_frame(to, from, lens[i], i);
	CHECK_EQ(reap_tx(from), 5);
	CHECK(fake_interrupt(&to->drv) & VIRTIO_MMIO_INT_VRING);
	CHECK_EQ(from->dev.stats.tx_messages, 5);
	CHECK_EQ(to->dev.stats.rx_messages, 5);
	CHECK_EQ(from->dev.stats.tx_dropped + to->dev.stats.rx_dropped, 0);
}

TEST(frames_cross_the_channel_both_ways)
{
	link_up(16384, ALL_FEATURES);
	CHECK(A.dev.txq.event_idx && B.dev.rxq.event_idx);
	one_way(&A, &B);
	one_way(&B, &A);
	uint8_t frame[RX_BUF];
	CHECK_EQ(take_frame(&A, frame), -1);
	CHECK_EQ(take_frame(&B, frame), -1);
}

TEST(frames_cross_without_event_indices_too)
{
	link_up(16384, VIRTIO_NET_F_MAC);
	CHECK(!A.dev.txq.event_idx);
	one_way(&A, &B);
	one_way(&B, &A);
}

/* Frames of 1500 bytes: two fit in each 8 KiB channel's 4 KiB half. */
/* The peer's VM stops (its monitor dies with it) and is launched anew:
 * while it is gone what the guest sends is dropped, not held, and the
 * link is down; once the kernel has zeroed the region and the monitor
 * restarted the port, frames cross both ways again. */
TEST(a_peer_launched_anew_gets_frames_again)
{
	uint8_t frame[VIRTIO_NET_FRAME_MAX];
	link_up(16384, ALL_FEATURES);
	one_way(&A, &B);
	one_way(&B, &A);

	chan_port_peer_gone(&A.port);          /* BH_EVENT_CHANNEL_GONE */
	virtio_net_set_link(&A.dev, false);
	CHECK(fake_interrupt(&A.drv) & VIRTIO_MMIO_INT_CONFIG);
	make_frame(frame, 60, &A, 99);
	send_frame(&A, frame, 60);
	CHECK_EQ(A.dev.stats.tx_dropped, 1);
	CHECK_EQ(reap_tx(&A), 1);              /* given back, not held */

	memset(channel, 0, channel_size);      /* the kernel, as B comes up */
	side_up(&B, &A, 1, "beta", ALL_FEATURES);
	chan_port_restart(&A.port);            /* BH_CHANNEL_UP, generation 2 */
	CHECK(!A.port.peer_gone);
	virtio_net_set_link(&A.dev, true);
	chan_device_channel_restarted(&A.dev);
	CHECK_EQ(A.dev.config[VIRTIO_NET_CONFIG_STATUS], VIRTIO_NET_S_LINK_UP);

	uint64_t sent = A.dev.stats.tx_messages, got = A.dev.stats.rx_messages;
	post_rx(&B, 1, RX_BUF);
	make_frame(frame, 100, &A, 7);
	send_frame(&A, frame, 100);
	expect_frame(&B, &A, 100, 7);
	CHECK_EQ(A.dev.stats.tx_messages, sent + 1);
	post_rx(&A, 1, RX_BUF);
	make_frame(frame, 80, &B, 8);
	send_frame(&B, frame, 80);
	expect_frame(&A, &B, 80, 8);
	CHECK_EQ(A.dev.stats.rx_messages, got + 1);
	CHECK_EQ(A.dev.port_error, 0);
}

TEST(a_full_channel_holds_frames_back_and_resumes_when_the_peer_reads)
{
	enum { FRAMES = 40, LEN = 1500 };
	link_up(8192, ALL_FEATURES);
	uint8_t frame[RX_BUF];

	/* B has no receive buffers: A's frames wait in the channel and then
	 * on A's transmit queue, none dropped. */
	uint32_t posted = 0, received = 0, reaped = 0;
	while (posted < FAKE_SLOTS) {
		make_frame(frame, LEN, &A, posted);
		CHECK(post_frame(&A, frame, LEN, false) >= 0);
		posted++;
	}
	fake_kick(&A.drv, TXQ);
	monitor_turn();
	reaped += reap_tx(&A);
	CHECK_EQ(reaped, 2);
	CHECK_EQ(A.dev.stats.tx_messages, 2);
	CHECK(A.dev.stats.tx_waits >= 1);
	CHECK(A.dev.tx.held);

	/* Now B reads; every read that frees room wakes A again. */
	for (int round = 0; received < FRAMES; round++) {
		CHECK(round < 4 * FRAMES);
		unsigned free_rx = 0;
		for (unsigned s = 0; s < FAKE_SLOTS; s++)
			free_rx += !B.drv.q[RXQ].in_flight[s];
		if (free_rx)
			post_rx(&B, free_rx, RX_BUF);
		int n;
		while ((n = take_frame(&B, frame)) >= 0) {
			uint8_t want[LEN];
			make_frame(want, LEN, &A, received);
			CHECK_EQ(n, LEN);
			CHECK(memcmp(frame, want, LEN) == 0);
			received++;
		}
		reaped += reap_tx(&A);
		while (posted < FRAMES && posted - reaped < FAKE_SLOTS) {
			make_frame(frame, LEN, &A, posted);
			CHECK(post_frame(&A, frame, LEN, posted % 3 == 0) >= 0);
			posted++;
		}
		fake_kick(&A.drv, TXQ);
		monitor_turn();
	}
	CHECK_EQ(reap_tx(&A) + reaped, FRAMES);
	CHECK_EQ(A.dev.stats.tx_dropped + B.dev.stats.rx_dropped, 0);
	CHECK_EQ(B.dev.stats.rx_messages, FRAMES);
	CHECK(A.bells >= 1);   /* B's reads woke A's device through the monitor */
	/* A posted far more chains than it notified: with event indices a
	 * queue the device is still working through needs no notification. */
	CHECK(A.drv.notifies < FRAMES / 2);
}

/* With event indices the device interrupts only when the used index
 * passes the driver's used_event, which the driver publishes after
 * draining the used ring (virtqueue_enable_cb). */
TEST(event_indices_suppress_interrupts_until_the_driver_drains)
{
	link_up(16384, ALL_FEATURES);
	uint8_t frame[RX_BUF];
	post_rx(&B, 4, RX_BUF);
	make_frame(frame, 60, &A, 0);
	send_frame(&A, frame, 60);
	CHECK_EQ(fake_interrupt(&B.drv), VIRTIO_MMIO_INT_VRING);
	CHECK_EQ(fake_interrupt(&A.drv), VIRTIO_MMIO_INT_VRING);   /* transmit done */
	make_frame(frame, 61, &A, 1);
	send_frame(&A, frame, 61);
	CHECK_EQ(fake_interrupt(&B.drv), 0);   /* B has not looked yet */
	CHECK_EQ(fake_interrupt(&A.drv), 0);
	expect_frame(&B, &A, 60, 0);
	expect_frame(&B, &A, 61, 1);
	CHECK_EQ(take_frame(&B, frame), -1);   /* drained: used_event published */
	make_frame(frame, 62, &A, 2);
	send_frame(&A, frame, 62);
	CHECK_EQ(fake_interrupt(&B.drv), VIRTIO_MMIO_INT_VRING);
	expect_frame(&B, &A, 62, 2);

	/* Without them, every frame interrupts. */
	link_up(16384, VIRTIO_NET_F_MAC);
	post_rx(&B, 4, RX_BUF);
	for (uint32_t i = 0; i < 3; i++) {
		make_frame(frame, 60, &A, i);
		send_frame(&A, frame, 60);
		CHECK_EQ(fake_interrupt(&B.drv), VIRTIO_MMIO_INT_VRING);
	}
}

TEST(a_frame_larger_than_the_receive_buffer_is_dropped_and_the_buffer_kept)
{
	link_up(16384, ALL_FEATURES);
	uint8_t frame[VIRTIO_NET_FRAME_MAX];
	post_rx(&B, 1, VIRTIO_NET_HDR_LEN + 100);
	make_frame(frame, 1000, &A, 1);
	send_frame(&A, frame, 1000);
	CHECK_EQ(B.dev.stats.rx_dropped, 1);
	CHECK_EQ(take_frame(&B, frame), -1);
	CHECK(B.dev.rx.held);
	make_frame(frame, 100, &A, 2);
	send_frame(&A, frame, 100);
	expect_frame(&B, &A, 100, 2);
	CHECK_EQ(B.dev.stats.rx_messages, 1);
}

TEST(oversize_and_malformed_transmissions_are_dropped_and_counted)
{
	link_up(16384, ALL_FEATURES);
	static uint8_t frame[4096];
	make_frame(frame, sizeof frame, &A, 0);
	send_frame(&A, frame, VIRTIO_NET_FRAME_MAX + 1);   /* over the MTU */
	send_frame(&A, frame, 13);                         /* under an Ethernet header */
	CHECK(fake_post(&A.drv, TXQ, frame, 8, 0, false) >= 0);   /* under the virtio header */
	fake_kick(&A.drv, TXQ);
	monitor_turn();
	CHECK_EQ(reap_tx(&A), 3);   /* given back, not stuck */
	CHECK_EQ(A.dev.stats.tx_dropped, 3);
	CHECK_EQ(A.dev.stats.tx_messages, 0);
	const void *msg;
	CHECK_EQ(chan_port_peek(&B.port, &msg), -BH_ENODATA);

	/* B's peer sends an oversize message straight into the channel. */
	post_rx(&B, 2, RX_BUF);
	CHECK_EQ(chan_port_send(&A.port, frame, VIRTIO_NET_FRAME_MAX + 1), 0);
	CHECK_EQ(chan_port_send(&A.port, frame, 10), 0);
	chan_device_poll(&B.dev);
	CHECK_EQ(B.dev.stats.rx_dropped, 2);
	CHECK_EQ(take_frame(&B, frame), -1);
	make_frame(frame, 64, &A, 3);
	send_frame(&A, frame, 64);
	expect_frame(&B, &A, 64, 3);
}

TEST(the_configuration_space_has_the_mac_link_and_mtu)
{
	link_up(16384, ALL_FEATURES);
	CHECK_EQ(A.drv.features, ALL_FEATURES | VIRTIO_F_VERSION_1);
	/* Offered: nothing beyond what is listed (no offloads, no control
	 * queue, no mergeable buffers, no packed ring). */
	struct fake_driver probe;
	fake_driver_init(&probe);
	struct chan_device spare;
	CHECK_EQ(virtio_net_init(&spare, probe.mem, &A.port, A.mac), 0);
	CHECK_EQ(fake_driver_start(&probe, &spare.mmio, ~0ull), VIRTIO_ID_NET);
	CHECK_EQ(probe.features, ALL_FEATURES | VIRTIO_F_VERSION_1);
	fake_driver_free(&probe);

	for (unsigned i = 0; i < 6; i++)
		CHECK_EQ(fake_config_byte(&A.drv, VIRTIO_NET_CONFIG_MAC + i), A.mac[i]);
	CHECK_EQ(A.mac[0] & 3, 2);   /* unicast, locally administered */
	CHECK(memcmp(A.mac, B.mac, 6) != 0);
	uint8_t again[6], other[6];
	virtio_net_mac_from_seed("alpha", 5, 0, again);
	virtio_net_mac_from_seed("alpha", 5, 1, other);
	CHECK(memcmp(again, A.mac, 6) == 0);
	CHECK(memcmp(other, A.mac, 6) != 0);
	CHECK_EQ(fake_config_byte(&A.drv, VIRTIO_NET_CONFIG_STATUS), VIRTIO_NET_S_LINK_UP);
	CHECK_EQ(fake_config_byte(&A.drv, VIRTIO_NET_CONFIG_MTU) |
	         fake_config_byte(&A.drv, VIRTIO_NET_CONFIG_MTU + 1) << 8, 1500);
	uint32_t v;
	CHECK_EQ(virtio_mmio_read(&A.dev.mmio, VIRTIO_MMIO_CONFIG + VIRTIO_NET_CONFIG_SIZE, 1, &v),
	         -BH_ENOENT);

	uint32_t generation;
	CHECK_EQ(virtio_mmio_read(&A.dev.mmio, VIRTIO_MMIO_CONFIG_GENERATION, 4, &generation), 0);
	virtio_net_set_link(&A.dev, false);
	CHECK_EQ(fake_interrupt(&A.drv), VIRTIO_MMIO_INT_CONFIG);
	CHECK_EQ(fake_config_byte(&A.drv, VIRTIO_NET_CONFIG_STATUS), 0);
	CHECK_EQ(virtio_mmio_read(&A.dev.mmio, VIRTIO_MMIO_CONFIG_GENERATION, 4, &v), 0);
	CHECK(v != generation);
	virtio_net_set_link(&A.dev, false);                /* no change, no interrupt */
	CHECK_EQ(fake_interrupt(&A.drv), 0);
	virtio_net_set_link(&A.dev, true);
	CHECK_EQ(fake_interrupt(&A.drv), VIRTIO_MMIO_INT_CONFIG);
}

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint64_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

TEST(hostile_channel_memory_stops_a_direction_never_the_guest)
{
	link_up(16384, ALL_FEATURES);
	uint8_t frame[RX_BUF];
	/* B's inbound ring is the channel's first half: its head leaps. */
	post_rx(&B, 4, RX_BUF);
	volatile struct bh_ring_hdr *a_to_b = (volatile struct bh_ring_hdr *)channel;
	make_frame(frame, 60, &A, 0);
	send_frame(&A, frame, 60);
	expect_frame(&B, &A, 60, 0);
	a_to_b->head += 8 * 4096;      /* ahead by more than the ring */
	chan_device_poll(&B.dev);
	CHECK_EQ(B.dev.port_error, -BH_EIO);
	CHECK(!(B.dev.mmio.status & VIRTIO_STATUS_NEEDS_RESET));
	CHECK_EQ(take_frame(&B, frame), -1);

	/* A's outbound tail, written by B's side, passes A's head: A drops
	 * what it transmits from then on, and its guest never stalls. */
	a_to_b->tail = 64 + 8;
	for (uint32_t i = 0; i < 3; i++) {
		make_frame(frame, 60, &A, i);
		send_frame(&A, frame, 60);
	}
	CHECK_EQ(A.dev.port_error, -BH_EIO);
	CHECK_EQ(reap_tx(&A), 4);
	CHECK_EQ(A.dev.stats.tx_dropped, 3);

	/* The other direction still works. */
	one_way(&B, &A);
}

TEST(random_scribbles_on_the_channel_never_break_a_guest)
{
	for (int trial = 0; trial < 30; trial++) {
		link_up(8192, ALL_FEATURES);
		uint8_t frame[RX_BUF];
		post_rx(&A, FAKE_SLOTS, RX_BUF);
		post_rx(&B, FAKE_SLOTS, RX_BUF);
		for (int step = 0; step < 60; step++) {
			struct side *s = rnd() % 2 ? &A : &B;
			uint32_t len = 14 + (uint32_t)(rnd() % (VIRTIO_NET_FRAME_MAX - 13));
			make_frame(frame, len, s, (uint32_t)step);
			if (post_frame(s, frame, len, rnd() % 2) >= 0)
				fake_kick(&s->drv, TXQ);
			if (rnd() % 3 == 0) {   /* anywhere: header words or records */
				uint64_t at = rnd() % (channel_size - 8);
				if (rnd() % 2)
					at &= ~0xffull;   /* often a header word */
				uint64_t v = rnd() % 4 ? rnd() : rnd() % 8192;
				memcpy(channel + at, &v, 8);
			}
			A.event = B.event = true;
			monitor_turn();
			for (struct side *t = &A; t; t = t == &A ? &B : NULL) {
				int n;
				while ((n = take_frame(t, frame)) >= 0)
					CHECK(n >= 14 && n <= (int)VIRTIO_NET_FRAME_MAX);
				reap_tx(t);
				unsigned free_rx = 0;
				for (unsigned k = 0; k < FAKE_SLOTS; k++)
					free_rx += !t->drv.q[RXQ].in_flight[k];
				for (unsigned k = 0; k < free_rx; k++)
					fake_post(&t->drv, RXQ, NULL, 0, RX_BUF, false);
				fake_kick(&t->drv, RXQ);
			}
		}
		CHECK(!(A.dev.mmio.status & VIRTIO_STATUS_NEEDS_RESET));
		CHECK(!(B.dev.mmio.status & VIRTIO_STATUS_NEEDS_RESET));
	}
}

TEST(a_hostile_guest_ring_asks_for_reset_and_a_reset_recovers)
{
	link_up(16384, ALL_FEATURES);
	/* A's transmit avail idx runs far ahead of what it posted. */
	fake_put(&A.drv, A.drv.q[TXQ].avail + 2, 100, 2);
	uint32_t v;
	CHECK_EQ(virtio_mmio_write(&A.dev.mmio, VIRTIO_MMIO_QUEUE_NOTIFY, 4, TXQ), 0);
	CHECK_EQ(A.dev.queue_error, -(int)VIRTQ_E_AVAIL_OVERRUN);
	CHECK_EQ(virtio_mmio_read(&A.dev.mmio, VIRTIO_MMIO_STATUS, 4, &v), 0);
	CHECK(v & VIRTIO_STATUS_NEEDS_RESET);
	CHECK_EQ(fake_interrupt(&A.drv), VIRTIO_MMIO_INT_CONFIG);
	chan_device_poll(&A.dev);                          /* nothing more happens */
	CHECK_EQ(fake_interrupt(&A.drv), 0);

	/* B's receive buffer lies outside its memory. */
	CHECK(fake_post(&B.drv, RXQ, NULL, 0, RX_BUF, false) >= 0);
	fake_put(&B.drv, B.drv.q[RXQ].desc, FAKE_MEM_BASE + FAKE_MEM_SIZE - 16, 8);
	fake_kick(&B.drv, RXQ);
	CHECK_EQ(B.dev.queue_error, -(int)VIRTQ_E_BUFFER_OUTSIDE);
	CHECK(B.dev.mmio.status & VIRTIO_STATUS_NEEDS_RESET);

	/* The drivers reset and start again; frames flow. */
	side_up(&A, &B, 0, "alpha", ALL_FEATURES);
	side_up(&B, &A, 1, "beta", ALL_FEATURES);
	CHECK_EQ(A.dev.queue_error, 0);
	one_way(&A, &B);
}

/* The guests scribble on their own rings while frames flow: each device
 * works on or asks for a reset, and never reaches outside its guest's
 * memory (an exact-size heap block under ASan). A reset recovers. */
TEST(random_scribbles_on_the_guests_rings_end_in_a_reset_at_worst)
{
	unsigned resets = 0;
	for (int trial = 0; trial < 100; trial++) {
		link_up(16384, trial % 2 ? ALL_FEATURES : VIRTIO_NET_F_MAC);
		static uint8_t frame[2048];
		for (int step = 0; step < 40; step++) {
			struct side *s = rnd() % 2 ? &A : &B;
			unsigned q = (unsigned)(rnd() % 2);
			struct fake_queue *fq = &s->drv.q[q];
			fq->in_flight[rnd() % FAKE_SLOTS] = false;   /* slots come back anyhow */
			if (q == TXQ) {
				uint32_t len = 14 + (uint32_t)(rnd() % 1600);
				make_frame(frame, len, s, (uint32_t)step);
				post_frame(s, frame, len, rnd() % 2);
			} else {
				fake_post(&s->drv, RXQ, NULL, 0, (uint32_t)(rnd() % 2048), rnd() % 2);
			}
			uint64_t at = fq->desc + rnd() % (USED_RING_END);
			fake_put(&s->drv, at, rnd(), 1 + (unsigned)(rnd() % 2));
			if (rnd() % 4 == 0)   /* a descriptor's address: anywhere */
				fake_put(&s->drv, fq->desc + 16 * (rnd() % FAKE_NUM), rnd(), 8);
			virtio_mmio_write(&s->dev.mmio, VIRTIO_MMIO_QUEUE_NOTIFY, 4, q);
			monitor_turn();
		}
		for (struct side *t = &A; t; t = t == &A ? &B : NULL) {
			if (!(t->dev.mmio.status & VIRTIO_STATUS_NEEDS_RESET))
				continue;
			CHECK(t->dev.queue_error != 0);
			resets++;
			fake_driver_free(&t->drv);
			fake_driver_init(&t->drv);
			fake_driver_start(&t->drv, &t->dev.mmio, ALL_FEATURES);
			CHECK(t->dev.live && t->dev.queue_error == 0);
		}
	}
	CHECK(resets > 0);   /* the scribbles did break rings */
}

TEST(rings_outside_guest_memory_at_driver_ok_are_refused)
{
	link_up(16384, ALL_FEATURES);
	struct fake_driver *f = &A.drv;
	uint32_t v;
	CHECK_EQ(virtio_mmio_write(&A.dev.mmio, VIRTIO_MMIO_STATUS, 4, 0), 0);
	CHECK(!A.dev.live);
	uint32_t st = VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER;
	CHECK_EQ(virtio_mmio_write(&A.dev.mmio, VIRTIO_MMIO_STATUS, 4, st), 0);
	CHECK_EQ(virtio_mmio_write(&A.dev.mmio, VIRTIO_MMIO_DRIVER_FEATURES_SEL, 4, 1), 0);
	CHECK_EQ(virtio_mmio_write(&A.dev.mmio, VIRTIO_MMIO_DRIVER_FEATURES, 4, 1), 0);
	st |= VIRTIO_STATUS_FEATURES_OK;
	CHECK_EQ(virtio_mmio_write(&A.dev.mmio, VIRTIO_MMIO_STATUS, 4, st), 0);
	for (uint32_t q = 0; q < 2; q++) {
		CHECK_EQ(virtio_mmio_write(&A.dev.mmio, VIRTIO_MMIO_QUEUE_SEL, 4, q), 0);
		CHECK_EQ(virtio_mmio_write(&A.dev.mmio, VIRTIO_MMIO_QUEUE_NUM, 4, FAKE_NUM), 0);
		CHECK_EQ(virtio_mmio_write(&A.dev.mmio, VIRTIO_MMIO_QUEUE_DESC_LOW, 4,
		                           q ? 0x10000000u : (uint32_t)f->q[q].desc), 0);
		CHECK_EQ(virtio_mmio_write(&A.dev.mmio, VIRTIO_MMIO_QUEUE_DRIVER_LOW, 4,
		                           (uint32_t)f->q[q].avail), 0);
		CHECK_EQ(virtio_mmio_write(&A.dev.mmio, VIRTIO_MMIO_QUEUE_DEVICE_LOW, 4,
		                           (uint32_t)f->q[q].used), 0);
		CHECK_EQ(virtio_mmio_write(&A.dev.mmio, VIRTIO_MMIO_QUEUE_READY, 4, 1), 0);
	}
	CHECK_EQ(virtio_mmio_write(&A.dev.mmio, VIRTIO_MMIO_STATUS, 4,
	                           st | VIRTIO_STATUS_DRIVER_OK), 0);
	CHECK(!A.dev.live);
	CHECK_EQ(virtio_mmio_read(&A.dev.mmio, VIRTIO_MMIO_STATUS, 4, &v), 0);
	CHECK(v & VIRTIO_STATUS_NEEDS_RESET);
	fake_driver_free(&A.drv);
	fake_driver_free(&B.drv);
	free(channel);
	channel = NULL;
}
