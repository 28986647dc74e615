/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * virtio-console over a fake channel, with a fake guest driver
 * (fake_driver.h) on the device's side and, at the other end, a native
 * VM's side: the runtime's ring calls on the same memory (as the CLI or
 * any app would use them). What the guest writes arrives in order, split
 * into messages the channel takes; a full channel holds the guest back
 * until the reader frees room; messages spread over small receive
 * buffers; a one-way channel; a reset in the middle; a peer corrupting
 * the ring; a peer launched anew after the last one went.
 */
#include "check.h"

#include <stdlib.h>

#include "bulkhead/errno.h"
#include "bulkhead/hypercall.h"
#include "fake_driver.h"
#include "virtio/console.h"

#define BOTH_WAYS (BH_CHANNEL_READ | BH_CHANNEL_WRITE | BH_CHANNEL_BOTH | \
                   BH_CHANNEL_SIGNAL | BH_CHANNEL_EVENTS)
#define RXQ CHAN_DEVICE_RXQ
#define TXQ CHAN_DEVICE_TXQ

static struct fake_driver drv;
static struct chan_port port;
static struct chan_device dev;
static uint8_t *channel;
static struct bh_ring reader, writer;   /* the native VM's rings */
static unsigned monitor_events;         /* the native side rang the monitor */
static unsigned native_events;          /* the monitor rang the native side */

static int ring_monitor(void *ctx)
{
	(void)ctx;
	monitor_events++;
	return 0;
}

static int ring_native(void *ctx)
{
	(void)ctx;
	native_events++;
	return 0;
}

/* The monitor is end 1 of a channel of size bytes with flags for it;
 * the native VM end 0 with native_flags. */
static void console_up(uint64_t size, uint32_t flags, uint32_t native_flags)
{
	free(channel);
	channel = aligned_alloc(4096, size);
	CHECK(channel != NULL);
	memset(channel, 0, size);
	monitor_events = native_events = 0;
	CHECK_EQ(chan_port_init(&port, channel, size, 1, flags, ring_native, NULL), 0);
	if (native_flags & BH_CHANNEL_WRITE)
		CHECK_EQ(bh_ring_init_channel_memory(&writer, channel, size, 0, native_flags,
		                                     BH_RING_PRODUCER, ring_monitor, NULL), 0);
	if ((native_flags & BH_CHANNEL_BOTH) || !(native_flags & BH_CHANNEL_WRITE))
		CHECK_EQ(bh_ring_init_channel_memory(&reader, channel, size, 0, native_flags,
		                                     BH_RING_CONSUMER, ring_monitor, NULL), 0);
	fake_driver_free(&drv);
	fake_driver_init(&drv);
	CHECK_EQ(virtio_console_init(&dev, drv.mem, &port), 0);
	CHECK_EQ(fake_driver_start(&drv, &dev.mmio, VIRTIO_RING_F_EVENT_IDX), VIRTIO_ID_CONSOLE);
}

/* The monitor's part: a channel event polls the device. */
static void monitor_turn(void)
{
	if (monitor_events) {
		monitor_events = 0;
		chan_device_poll(&dev);
	}
}

static void guest_types(const void *text, uint32_t len)
{
	CHECK(fake_post(&drv, TXQ, text, len, 0, len > 1) >= 0);
	fake_kick(&drv, TXQ);
}

/* What the native reader has, all messages joined, into buf. */
static uint32_t native_read_all(uint8_t *buf, uint32_t max)
{
	uint32_t got = 0;
	int n;
	while ((n = bh_ring_recv(&reader, buf + got, max - got)) >= 0)
		got += (uint32_t)n;
	CHECK_EQ(n, -BH_ENODATA);
	return got;
}

TEST(the_device_is_a_one_port_console)
{
	console_up(8192, BOTH_WAYS, BOTH_WAYS);
	/* Offered beyond VERSION_1: the ring's features only, no SIZE (bit 0),
	 * MULTIPORT (1) or EMERG_WRITE (2). */
	struct fake_driver probe;
	fake_driver_init(&probe);
	struct chan_device spare;
	CHECK_EQ(virtio_console_init(&spare, probe.mem, &port), 0);
	fake_driver_start(&probe, &spare.mmio, ~0ull);
	CHECK_EQ(probe.features, VIRTIO_F_VERSION_1 | VIRTIO_RING_F_EVENT_IDX |
	                         VIRTIO_RING_F_INDIRECT_DESC);
	fake_driver_free(&probe);
	for (unsigned i = 0; i < 4; i++)
		CHECK_EQ(fake_config_byte(&drv, i), 0);   /* cols, rows */
	CHECK_EQ(fake_config_byte(&drv, 4), 1);           /* max_nr_ports */
	uint32_t v;
	CHECK_EQ(virtio_mmio_read(&dev.mmio, VIRTIO_MMIO_CONFIG + 4, 4, &v), 0);
	CHECK_EQ(v, 1);
	CHECK_EQ(virtio_mmio_read(&dev.mmio, VIRTIO_MMIO_CONFIG + 8, 4, &v), -BH_ENOENT);
}

TEST(what_the_guest_writes_reaches_a_native_reader_in_order)
{
	console_up(8192, BOTH_WAYS, BOTH_WAYS);
	guest_types("hello, ", 7);
	guest_types("world\n", 6);
	CHECK_EQ(native_events, 1);   /* the first message into a fresh ring */
	uint8_t buf[64];
	CHECK_EQ(native_read_all(buf, sizeof buf), 13);
	CHECK(memcmp(buf, "hello, world\n", 13) == 0);
	unsigned slot;
	uint32_t len;
	CHECK_EQ(fake_used(&drv, TXQ, &slot, &len), 1);
	CHECK_EQ(fake_used(&drv, TXQ, &slot, &len), 1);
	CHECK_EQ(fake_used(&drv, TXQ, &slot, &len), 0);
	CHECK(fake_interrupt(&drv) & VIRTIO_MMIO_INT_VRING);
	CHECK_EQ(dev.stats.tx_messages, 2);
	CHECK_EQ(dev.stats.tx_bytes, 13);
}

TEST(a_long_write_is_split_and_waits_for_a_slow_reader)
{
	/* 4 KiB channel: 1792 bytes of ring each way, messages up to 1788. */
	console_up(4096, BOTH_WAYS, BOTH_WAYS);
	static uint8_t text[4000], seen[8000];
	for (unsigned i = 0; i < sizeof text; i++)
		text[i] = (uint8_t)('a' + i % 26);
	guest_types(text, sizeof text);
	CHECK_EQ(chan_port_max_send(&port), 1788);
	CHECK(dev.tx.held);                  /* the channel filled: the chain waits */
	CHECK(dev.stats.tx_waits >= 1);
	unsigned slot;
	uint32_t len, got = 0;
	CHECK_EQ(fake_used(&drv, TXQ, &slot, &len), 0);

	for (int round = 0; dev.tx.held; round++) {
		CHECK(round < 10);
		int n = bh_ring_recv(&reader, seen + got, sizeof seen - got);
		CHECK(n > 0);
		got += (uint32_t)n;
		monitor_turn();                 /* the reader's room notification */
	}
	got += native_read_all(seen + got, sizeof seen - got);
	CHECK_EQ(got, sizeof text);
	CHECK(memcmp(seen, text, sizeof text) == 0);
	CHECK_EQ(dev.stats.tx_messages, 3);   /* 1788 + 1788 + 424 */
	CHECK_EQ(fake_used(&drv, TXQ, &slot, &len), 1);
	CHECK_EQ(dev.stats.tx_dropped, 0);
}

TEST(a_message_spreads_over_small_receive_buffers)
{
	console_up(8192, BOTH_WAYS, BOTH_WAYS);
	uint8_t msg[100];
	for (unsigned i = 0; i < sizeof msg; i++)
		msg[i] = (uint8_t)i;
	CHECK_EQ(bh_ring_send(&writer, msg, sizeof msg), 0);
	CHECK_EQ(bh_ring_send(&writer, "xy", 2), 0);
	monitor_turn();                      /* no buffers yet: it waits */
	unsigned slot;
	uint32_t len;
	CHECK_EQ(fake_used(&drv, RXQ, &slot, &len), 0);

	for (int i = 0; i < 3; i++)
		CHECK(fake_post(&drv, RXQ, NULL, 0, 40, i == 1) >= 0);
	fake_kick(&drv, RXQ);
	uint8_t got[128];
	uint32_t total = 0;
	static const uint32_t want[] = { 40, 40, 20 };
	for (int i = 0; i < 3; i++) {
		CHECK_EQ(fake_used(&drv, RXQ, &slot, &len), 1);
		CHECK_EQ(len, want[i]);
		memcpy(got + total, fake_slot_data(&drv, RXQ, slot), len);
		total += len;
	}
	CHECK(memcmp(got, msg, sizeof msg) == 0);
	CHECK(fake_interrupt(&drv) & VIRTIO_MMIO_INT_VRING);

	/* "xy" waited in the channel for the next buffer. */
	CHECK_EQ(fake_used(&drv, RXQ, &slot, &len), 0);
	CHECK(fake_post(&drv, RXQ, NULL, 0, 40, false) >= 0);
	fake_kick(&drv, RXQ);
	CHECK_EQ(fake_used(&drv, RXQ, &slot, &len), 1);
	CHECK_EQ(len, 2);
	CHECK(memcmp(fake_slot_data(&drv, RXQ, slot), "xy", 2) == 0);
	CHECK_EQ(dev.stats.rx_messages, 2);

	/* With a buffer waiting and the ring empty, the device asked to be
	 * told of the next message: the writer rings. */
	CHECK(fake_post(&drv, RXQ, NULL, 0, 40, false) >= 0);
	fake_kick(&drv, RXQ);
	CHECK_EQ(bh_ring_send(&writer, "z", 1), 0);
	CHECK_EQ(monitor_events, 1);
	monitor_turn();
	CHECK_EQ(fake_used(&drv, RXQ, &slot, &len), 1);
	CHECK_EQ(len, 1);
}

/* The peer goes with a message half delivered and a new one is launched
 * on the zeroed region: the rest of the old message is forgotten, and
 * text flows both ways with the new peer. */
TEST(a_peer_launched_anew_gets_a_clean_stream)
{
	console_up(8192, BOTH_WAYS, BOTH_WAYS);
	uint8_t msg[100];
	memset(msg, 'o', sizeof msg);
	CHECK_EQ(bh_ring_send(&writer, msg, sizeof msg), 0);
	CHECK(fake_post(&drv, RXQ, NULL, 0, 40, false) >= 0);
	fake_kick(&drv, RXQ);
	unsigned slot;
	uint32_t len;
	CHECK_EQ(fake_used(&drv, RXQ, &slot, &len), 1);
	CHECK_EQ(len, 40);
	CHECK_EQ(dev.rx_offset, 40);            /* 60 bytes of it still to come */
	chan_port_peer_gone(&port);

	memset(channel, 0, 8192);               /* the kernel, as the new peer comes up */
	CHECK_EQ(bh_ring_init_channel_memory(&writer, channel, 8192, 0, BOTH_WAYS,
	                                     BH_RING_PRODUCER, ring_monitor, NULL), 0);
	CHECK_EQ(bh_ring_init_channel_memory(&reader, channel, 8192, 0, BOTH_WAYS,
	                                     BH_RING_CONSUMER, ring_monitor, NULL), 0);
	chan_port_restart(&port);
	chan_device_channel_restarted(&dev);
	CHECK_EQ(dev.rx_offset, 0);

	CHECK_EQ(bh_ring_send(&writer, "new", 3), 0);
	CHECK(fake_post(&drv, RXQ, NULL, 0, 40, false) >= 0);
	fake_kick(&drv, RXQ);
	CHECK_EQ(fake_used(&drv, RXQ, &slot, &len), 1);
	CHECK_EQ(len, 3);
	CHECK(memcmp(fake_slot_data(&drv, RXQ, slot), "new", 3) == 0);

	guest_types("hello", 5);
	uint8_t got[16];
	CHECK_EQ(native_read_all(got, sizeof got), 5);
	CHECK(memcmp(got, "hello", 5) == 0);
	CHECK_EQ(dev.port_error, 0);
}

TEST(on_a_one_way_channel_the_console_only_writes)
{
	console_up(8192, BH_CHANNEL_READ | BH_CHANNEL_WRITE | BH_CHANNEL_SIGNAL,
	           BH_CHANNEL_READ | BH_CHANNEL_EVENTS);
	CHECK(port.can_send && !port.can_receive);
	CHECK(fake_post(&drv, RXQ, NULL, 0, 64, false) >= 0);
	fake_kick(&drv, RXQ);
	for (int i = 0; i < 600; i++) {   /* far more than the ring: it overwrites */
		guest_types("0123456789", 10);
		unsigned slot;
		uint32_t len;
		CHECK_EQ(fake_used(&drv, TXQ, &slot, &len), 1);
	}
	uint8_t buf[16];
	CHECK_EQ(bh_ring_recv(&reader, buf, sizeof buf), -BH_ERANGE);
	CHECK_EQ(bh_ring_recv(&reader, buf, sizeof buf), -BH_ENODATA);
	guest_types("last", 4);
	CHECK_EQ(bh_ring_recv(&reader, buf, sizeof buf), 4);
	unsigned slot;
	uint32_t len;
	CHECK_EQ(fake_used(&drv, RXQ, &slot, &len), 0);
	CHECK_EQ(dev.stats.tx_dropped, 0);
}

TEST(on_a_one_way_channel_from_the_peer_the_console_only_reads)
{
	console_up(8192, BH_CHANNEL_READ | BH_CHANNEL_EVENTS,
	           BH_CHANNEL_READ | BH_CHANNEL_WRITE | BH_CHANNEL_SIGNAL);
	CHECK(!port.can_send && port.can_receive);
	guest_types("nowhere", 7);                  /* dropped, counted, given back */
	CHECK_EQ(dev.stats.tx_dropped, 1);
	unsigned slot;
	uint32_t len;
	CHECK_EQ(fake_used(&drv, TXQ, &slot, &len), 1);
	CHECK(fake_post(&drv, RXQ, NULL, 0, 64, false) >= 0);
	fake_kick(&drv, RXQ);
	CHECK_EQ(bh_ring_send(&writer, "news", 4), 0);
	monitor_turn();
	CHECK_EQ(fake_used(&drv, RXQ, &slot, &len), 1);
	CHECK(memcmp(fake_slot_data(&drv, RXQ, slot), "news", 4) == 0);
}

TEST(a_reset_with_a_write_held_back_drops_it_and_starts_clean)
{
	console_up(4096, BOTH_WAYS, BOTH_WAYS);
	static uint8_t text[3000];
	memset(text, 'q', sizeof text);
	guest_types(text, sizeof text);
	CHECK(dev.tx.held);
	CHECK_EQ(virtio_mmio_write(&dev.mmio, VIRTIO_MMIO_STATUS, 4, 0), 0);
	CHECK(!dev.tx.held && !dev.live);
	chan_device_poll(&dev);                     /* nothing to do while reset */
	static uint8_t seen[4000];
	uint32_t got = native_read_all(seen, sizeof seen);
	CHECK_EQ(got, 1788);                        /* what went out before */
	/* The driver starts over with fresh rings in the same memory. */
	fake_driver_free(&drv);
	fake_driver_init(&drv);
	fake_driver_start(&drv, &dev.mmio, VIRTIO_RING_F_EVENT_IDX);
	guest_types("fresh", 5);
	CHECK_EQ(native_read_all(seen, sizeof seen), 5);
	CHECK(memcmp(seen, "fresh", 5) == 0);
}

TEST(a_write_held_back_is_dropped_once_the_reader_is_gone)
{
	console_up(4096, BOTH_WAYS, BOTH_WAYS);
	static uint8_t text[3000];
	memset(text, 'g', sizeof text);
	CHECK(fake_post(&drv, RXQ, NULL, 0, 64, false) >= 0);
	fake_kick(&drv, RXQ);
	CHECK_EQ(bh_ring_send(&writer, "bye", 3), 0);
	guest_types(text, sizeof text);
	CHECK(dev.tx.held);
	unsigned slot;
	uint32_t len;
	CHECK_EQ(fake_used(&drv, TXQ, &slot, &len), 0);   /* Linux would spin here */
	/* The monitor sees BH_EVENT_CHANNEL_GONE. */
	chan_port_peer_gone(&port);
	chan_device_poll(&dev);
	CHECK(!dev.tx.held);
	CHECK_EQ(fake_used(&drv, TXQ, &slot, &len), 1);
	CHECK_EQ(dev.stats.tx_dropped, 1);
	CHECK_EQ(dev.port_error, -BH_EPIPE);
	CHECK_EQ(fake_used(&drv, RXQ, &slot, &len), 1);   /* its last words arrived */
	CHECK(memcmp(fake_slot_data(&drv, RXQ, slot), "bye", 3) == 0);
	guest_types("more", 4);
	CHECK_EQ(fake_used(&drv, TXQ, &slot, &len), 1);
	CHECK_EQ(dev.stats.tx_dropped, 2);
}

TEST(a_peer_corrupting_its_ring_leaves_the_guest_writing)
{
	console_up(8192, BOTH_WAYS, BOTH_WAYS);
	CHECK(fake_post(&drv, RXQ, NULL, 0, 64, false) >= 0);
	fake_kick(&drv, RXQ);
	CHECK_EQ(bh_ring_send(&writer, "ok", 2), 0);
	monitor_turn();
	/* The peer's length word for its next record: far too long. */
	CHECK_EQ(bh_ring_send(&writer, "bad", 3), 0);
	*(volatile uint32_t *)(channel + 256 + 8) = 0x00ffffff;
	CHECK(fake_post(&drv, RXQ, NULL, 0, 64, false) >= 0);
	fake_kick(&drv, RXQ);
	monitor_turn();
	CHECK_EQ(dev.port_error, -BH_EIO);
	unsigned slot;
	uint32_t len;
	CHECK_EQ(fake_used(&drv, RXQ, &slot, &len), 1);   /* "ok" only */
	CHECK_EQ(len, 2);
	CHECK_EQ(fake_used(&drv, RXQ, &slot, &len), 0);
	CHECK(!(dev.mmio.status & VIRTIO_STATUS_NEEDS_RESET));
	guest_types("still here", 10);
	uint8_t buf[16];
	CHECK_EQ(native_read_all(buf, sizeof buf), 10);
	fake_driver_free(&drv);
	free(channel);
	channel = NULL;
}
