/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The monitor's virtio blocks together: a test device behind the
 * virtio-mmio transport that, when notified, takes each chain from its
 * queue with the virtqueue walker, copies the readable bytes into the
 * writable buffers through the guest memory interface and returns the
 * chain. The test plays the guest's driver: register accesses in the
 * order Linux's virtio_mmio makes them, rings in a fake guest memory,
 * then the interrupt and the used ring read back.
 */
#include "check.h"

#include <stdlib.h>

#include "bulkhead/errno.h"
#include "mem/flat_memory.h"
#include "virtio/mmio.h"
#include "virtio/virtqueue.h"

#define BASE     0x200000ull
#define MEM_SIZE 0x8000u
#define NUM      16u
#define DESC     (BASE + 0x0000)
#define AVAIL    (BASE + 0x1000)
#define USED     (BASE + 0x2000)
#define DATA     (BASE + 0x4000)

struct echo {
	const struct guest_memory *mem;
	struct virtio_mmio *transport;
	struct virtq q;
	bool live;
	int last_error;
};

static uint8_t *guest;
static struct flat_memory flat;
static struct echo echo;
static struct virtio_mmio_device device;
static struct virtio_mmio mmio;

/* DRIVER_OK: the queue's set-up is final; take it over. */
static void echo_driver_ok(void *ctx, uint64_t features)
{
	struct echo *e = ctx;
	const struct virtio_mmio_queue *mq = &e->transport->queues[0];
	e->live = virtq_init(&e->q, e->mem, mq->num, mq->desc, mq->driver, mq->device) == 0;
	if (e->live && (features & VIRTIO_RING_F_EVENT_IDX))
		virtq_use_event_idx(&e->q);
}

/* Copies the chain's readable bytes into its writable buffers. */
static uint32_t echo_chain(struct echo *e, const struct virtq_buffer *bufs, unsigned n)
{
	uint8_t data[256];
	size_t len = 0;
	for (unsigned i = 0; i < n && !bufs[i].writable; i++) {
		size_t take = bufs[i].len < sizeof data - len ? bufs[i].len : sizeof data - len;
		CHECK_EQ(guest_read(e->mem, bufs[i].gpa, data + len, take), 0);
		len += take;
	}
	uint32_t written = 0;
	for (unsigned i = 0; i < n && written < len; i++) {
		if (!bufs[i].writable)
			continue;
		size_t put = bufs[i].len < len - written ? bufs[i].len : len - written;
		CHECK_EQ(guest_write(e->mem, bufs[i].gpa, data + written, put), 0);
		written += (uint32_t)put;
	}
	return written;
}

static void echo_notify(void *ctx, unsigned q)
{
	struct echo *e = ctx;
	struct virtq_buffer bufs[NUM];   /* a whole queue: loops show as loops */
	struct virtq_chain chain;
	int r;
	CHECK_EQ(q, 0);
	if (!e->live)
		return;
	while ((r = virtq_pop(&e->q, bufs, NUM, &chain)) == 1)
		CHECK_EQ(virtq_push(&e->q, chain.head, echo_chain(e, bufs, chain.nbufs)), 0);
	if (r < 0) {
		e->last_error = r;
		virtio_mmio_needs_reset(e->transport);
		return;
	}
	if (virtq_should_interrupt(&e->q))
		virtio_mmio_raise(e->transport, VIRTIO_MMIO_INT_VRING);
}

static void echo_reset(void *ctx)
{
	((struct echo *)ctx)->live = false;
}

static void put(uint64_t gpa, uint64_t v, unsigned bytes)
{
	for (unsigned i = 0; i < bytes; i++)
		guest[gpa - BASE + i] = (uint8_t)(v >> (8 * i));
}

static uint64_t get(uint64_t gpa, unsigned bytes)
{
	uint64_t v = 0;
	for (unsigned i = 0; i < bytes; i++)
		v |= (uint64_t)guest[gpa - BASE + i] << (8 * i);
	return v;
}

static uint32_t rd(uint32_t offset)
{
	uint32_t v;
	CHECK_EQ(virtio_mmio_read(&mmio, offset, 4, &v), 0);
	return v;
}

static void wr(uint32_t offset, uint32_t v)
{
	CHECK_EQ(virtio_mmio_write(&mmio, offset, 4, v), 0);
}

/* What Linux's virtio_mmio probe and virtio core do up to DRIVER_OK. */
static void driver_start(void)
{
	free(guest);
	guest = calloc(1, MEM_SIZE);
	echo = (struct echo){ .mem = flat_memory_init(&flat, BASE, MEM_SIZE, guest),
	                      .transport = &mmio };
	device = (struct virtio_mmio_device){
		.device_id = 0x7fff, .vendor_id = 0x424c4b48, .nqueues = 1, .queue_num_max = 256,
		.features = VIRTIO_RING_F_INDIRECT_DESC | VIRTIO_RING_F_EVENT_IDX,
		.ctx = &echo, .queue_notify = echo_notify, .driver_ok = echo_driver_ok,
		.reset = echo_reset,
	};
	CHECK_EQ(virtio_mmio_init(&mmio, &device), 0);

	CHECK_EQ(rd(VIRTIO_MMIO_MAGIC_VALUE), VIRTIO_MMIO_MAGIC);
	CHECK_EQ(rd(VIRTIO_MMIO_VERSION), 2);
	CHECK(rd(VIRTIO_MMIO_DEVICE_ID) != 0);
	wr(VIRTIO_MMIO_STATUS, 0);
	wr(VIRTIO_MMIO_STATUS, VIRTIO_STATUS_ACKNOWLEDGE);
	wr(VIRTIO_MMIO_STATUS, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER);
	wr(VIRTIO_MMIO_DEVICE_FEATURES_SEL, 1);
	uint64_t features = (uint64_t)rd(VIRTIO_MMIO_DEVICE_FEATURES) << 32;
	wr(VIRTIO_MMIO_DEVICE_FEATURES_SEL, 0);
	features |= rd(VIRTIO_MMIO_DEVICE_FEATURES);
	CHECK(features & VIRTIO_F_VERSION_1);
	wr(VIRTIO_MMIO_DRIVER_FEATURES_SEL, 1);
	wr(VIRTIO_MMIO_DRIVER_FEATURES, (uint32_t)(features >> 32));
	wr(VIRTIO_MMIO_DRIVER_FEATURES_SEL, 0);
	wr(VIRTIO_MMIO_DRIVER_FEATURES, (uint32_t)features);
	wr(VIRTIO_MMIO_STATUS, rd(VIRTIO_MMIO_STATUS) | VIRTIO_STATUS_FEATURES_OK);
	CHECK(rd(VIRTIO_MMIO_STATUS) & VIRTIO_STATUS_FEATURES_OK);

	wr(VIRTIO_MMIO_QUEUE_SEL, 0);
	CHECK_EQ(rd(VIRTIO_MMIO_QUEUE_READY), 0);
	CHECK(rd(VIRTIO_MMIO_QUEUE_NUM_MAX) >= NUM);
	wr(VIRTIO_MMIO_QUEUE_NUM, NUM);
	wr(VIRTIO_MMIO_QUEUE_DESC_LOW, (uint32_t)DESC);
	wr(VIRTIO_MMIO_QUEUE_DESC_HIGH, 0);
	wr(VIRTIO_MMIO_QUEUE_DRIVER_LOW, (uint32_t)AVAIL);
	wr(VIRTIO_MMIO_QUEUE_DRIVER_HIGH, 0);
	wr(VIRTIO_MMIO_QUEUE_DEVICE_LOW, (uint32_t)USED);
	wr(VIRTIO_MMIO_QUEUE_DEVICE_HIGH, 0);
	wr(VIRTIO_MMIO_QUEUE_READY, 1);
	wr(VIRTIO_MMIO_STATUS, rd(VIRTIO_MMIO_STATUS) | VIRTIO_STATUS_DRIVER_OK);
	CHECK(echo.live);
	CHECK(echo.q.event_idx);
}

static void desc(unsigned i, uint64_t addr, uint32_t len, uint16_t flags, uint16_t next)
{
	put(DESC + 16 * i, addr, 8);
	put(DESC + 16 * i + 8, len, 4);
	put(DESC + 16 * i + 12, flags, 2);
	put(DESC + 16 * i + 14, next, 2);
}

static void offer(uint16_t head)
{
	uint16_t idx = (uint16_t)get(AVAIL + 2, 2);
	put(AVAIL + 4 + 2 * (idx % NUM), head, 2);
	put(AVAIL + 2, (uint16_t)(idx + 1), 2);
}

TEST(a_request_goes_through_transport_ring_and_device_and_back)
{
	driver_start();
	memcpy(guest + (DATA - BASE), "ping", 4);
	desc(2, DATA, 4, VIRTQ_DESC_F_NEXT, 9);
	desc(9, DATA + 0x100, 64, VIRTQ_DESC_F_WRITE, 0);
	offer(2);
	wr(VIRTIO_MMIO_QUEUE_NOTIFY, 0);

	CHECK(virtio_mmio_irq_level(&mmio));
	CHECK_EQ(rd(VIRTIO_MMIO_INTERRUPT_STATUS), VIRTIO_MMIO_INT_VRING);
	wr(VIRTIO_MMIO_INTERRUPT_ACK, VIRTIO_MMIO_INT_VRING);
	CHECK(!virtio_mmio_irq_level(&mmio));
	CHECK_EQ(get(USED + 2, 2), 1);
	CHECK_EQ(get(USED + 4, 4), 2);
	CHECK_EQ(get(USED + 8, 4), 4);
	CHECK(memcmp(guest + (DATA + 0x100 - BASE), "ping", 4) == 0);
}

TEST(a_hostile_ring_makes_the_device_ask_for_reset_and_reset_recovers)
{
	driver_start();
	desc(0, DATA, 4, VIRTQ_DESC_F_NEXT, 0);              /* a loop */
	offer(0);
	wr(VIRTIO_MMIO_QUEUE_NOTIFY, 0);
	CHECK_EQ(echo.last_error, -(int)VIRTQ_E_LOOP);
	CHECK(rd(VIRTIO_MMIO_STATUS) & VIRTIO_STATUS_NEEDS_RESET);
	CHECK_EQ(rd(VIRTIO_MMIO_INTERRUPT_STATUS), VIRTIO_MMIO_INT_CONFIG);
	CHECK(virtio_mmio_live_queue(&mmio, 0) == NULL);

	driver_start();                                      /* reset and set up again */
	memcpy(guest + (DATA - BASE), "pong", 4);
	desc(0, DATA, 4, VIRTQ_DESC_F_NEXT, 1);
	desc(1, DATA + 0x100, 4, VIRTQ_DESC_F_WRITE, 0);
	offer(0);
	wr(VIRTIO_MMIO_QUEUE_NOTIFY, 0);
	CHECK(memcmp(guest + (DATA + 0x100 - BASE), "pong", 4) == 0);
	free(guest);
	guest = NULL;
}
