/* SPDX-License-Identifier: GPL-2.0-only */
/* A fake guest driver for the device tests (fake_driver.h). */
#include "check.h"

#include <stdlib.h>

#include "fake_driver.h"
#include "virtio/virtqueue.h"

#define AVAIL_AT   256u     /* offsets of the rings in a queue's page */
#define USED_AT    512u
#define USED_F_NO_NOTIFY 1u

void fake_put(struct fake_driver *f, uint64_t gpa, uint64_t v, unsigned bytes)
{
	CHECK(gpa >= FAKE_MEM_BASE && gpa + bytes <= FAKE_MEM_BASE + FAKE_MEM_SIZE);
	for (unsigned i = 0; i < bytes; i++)
		f->ram[gpa - FAKE_MEM_BASE + i] = (uint8_t)(v >> (8 * i));
}

uint64_t fake_get(struct fake_driver *f, uint64_t gpa, unsigned bytes)
{
	CHECK(gpa >= FAKE_MEM_BASE && gpa + bytes <= FAKE_MEM_BASE + FAKE_MEM_SIZE);
	uint64_t v = 0;
	for (unsigned i = 0; i < bytes; i++)
		v |= (uint64_t)f->ram[gpa - FAKE_MEM_BASE + i] << (8 * i);
	return v;
}

void fake_driver_init(struct fake_driver *f)
{
	memset(f, 0, sizeof *f);
	f->ram = calloc(1, FAKE_MEM_SIZE);
	CHECK(f->ram != NULL);
	f->mem = flat_memory_init(&f->flat, FAKE_MEM_BASE, FAKE_MEM_SIZE, f->ram);
	for (unsigned q = 0; q < FAKE_QUEUES; q++) {
		uint64_t page = FAKE_MEM_BASE + (uint64_t)q * FAKE_QUEUE_BYTES;
		f->q[q] = (struct fake_queue){ .desc = page, .avail = page + AVAIL_AT,
		                               .used = page + USED_AT, .data = page + 4096 };
	}
}

void fake_driver_free(struct fake_driver *f)
{
	free(f->ram);
	f->ram = NULL;
}

static uint32_t rd(struct fake_driver *f, uint32_t offset)
{
	uint32_t v;
	CHECK_EQ(virtio_mmio_read(f->mmio, offset, 4, &v), 0);
	return v;
}

static void wr(struct fake_driver *f, uint32_t offset, uint32_t v)
{
	CHECK_EQ(virtio_mmio_write(f->mmio, offset, 4, v), 0);
}

static void wr64(struct fake_driver *f, uint32_t low, uint64_t v)
{
	wr(f, low, (uint32_t)v);
	wr(f, low + 4, (uint32_t)(v >> 32));
}

uint32_t fake_driver_start(struct fake_driver *f, struct virtio_mmio *m, uint64_t want)
{
	f->mmio = m;
	CHECK_EQ(rd(f, VIRTIO_MMIO_MAGIC_VALUE), VIRTIO_MMIO_MAGIC);
	CHECK_EQ(rd(f, VIRTIO_MMIO_VERSION), VIRTIO_MMIO_VERSION_MODERN);
	uint32_t id = rd(f, VIRTIO_MMIO_DEVICE_ID);
	wr(f, VIRTIO_MMIO_STATUS, 0);
	wr(f, VIRTIO_MMIO_STATUS, VIRTIO_STATUS_ACKNOWLEDGE);
	wr(f, VIRTIO_MMIO_STATUS, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER);

	uint64_t offered = 0;
	for (uint32_t bank = 0; bank < 2; bank++) {
		wr(f, VIRTIO_MMIO_DEVICE_FEATURES_SEL, bank);
		offered |= (uint64_t)rd(f, VIRTIO_MMIO_DEVICE_FEATURES) << (32 * bank);
	}
	f->features = offered & (want | VIRTIO_F_VERSION_1);
	for (uint32_t bank = 0; bank < 2; bank++) {
		wr(f, VIRTIO_MMIO_DRIVER_FEATURES_SEL, bank);
		wr(f, VIRTIO_MMIO_DRIVER_FEATURES, (uint32_t)(f->features >> (32 * bank)));
	}
	wr(f, VIRTIO_MMIO_STATUS, rd(f, VIRTIO_MMIO_STATUS) | VIRTIO_STATUS_FEATURES_OK);
	CHECK(rd(f, VIRTIO_MMIO_STATUS) & VIRTIO_STATUS_FEATURES_OK);

	for (unsigned q = 0; q < FAKE_QUEUES; q++) {
		struct fake_queue *fq = &f->q[q];
		wr(f, VIRTIO_MMIO_QUEUE_SEL, q);
		CHECK_EQ(rd(f, VIRTIO_MMIO_QUEUE_READY), 0);
		CHECK(rd(f, VIRTIO_MMIO_QUEUE_NUM_MAX) >= FAKE_NUM);
		wr(f, VIRTIO_MMIO_QUEUE_NUM, FAKE_NUM);
		wr64(f, VIRTIO_MMIO_QUEUE_DESC_LOW, fq->desc);
		wr64(f, VIRTIO_MMIO_QUEUE_DRIVER_LOW, fq->avail);
		wr64(f, VIRTIO_MMIO_QUEUE_DEVICE_LOW, fq->used);
		wr(f, VIRTIO_MMIO_QUEUE_READY, 1);
		CHECK_EQ(rd(f, VIRTIO_MMIO_QUEUE_READY), 1);
	}
	wr(f, VIRTIO_MMIO_STATUS, rd(f, VIRTIO_MMIO_STATUS) | VIRTIO_STATUS_DRIVER_OK);
	return id;
}

uint8_t fake_config_byte(struct fake_driver *f, uint32_t offset)
{
	uint32_t v;
	CHECK_EQ(virtio_mmio_read(f->mmio, VIRTIO_MMIO_CONFIG + offset, 1, &v), 0);
	return (uint8_t)v;
}

static void put_desc(struct fake_driver *f, struct fake_queue *fq, unsigned i, uint64_t addr,
                     uint32_t len, uint16_t flags)
{
	uint64_t d = fq->desc + 16ull * i;
	fake_put(f, d, addr, 8);
	fake_put(f, d + 8, len, 4);
	fake_put(f, d + 12, flags, 2);
	fake_put(f, d + 14, (flags & VIRTQ_DESC_F_NEXT) ? i + 1 : 0, 2);
}

int fake_post(struct fake_driver *f, unsigned q, const void *data, uint32_t out,
              uint32_t in, bool split)
{
	struct fake_queue *fq = &f->q[q];
	unsigned s = 0;
	while (s < FAKE_SLOTS && fq->in_flight[s])
		s++;
	if (s == FAKE_SLOTS)
		return -1;
	uint32_t len = data ? out : in;
	CHECK(len <= FAKE_SLOT_BYTES);
	uint64_t buf = fq->data + (uint64_t)s * FAKE_SLOT_BYTES;
	uint16_t write = data ? 0 : VIRTQ_DESC_F_WRITE;
	if (data)
		memcpy(f->ram + (buf - FAKE_MEM_BASE), data, len);
	else
		memset(f->ram + (buf - FAKE_MEM_BASE), 0xee, len);   /* stale bytes */
	if (split) {
		uint32_t first = len / 2;
		put_desc(f, fq, 2 * s, buf, first, write | VIRTQ_DESC_F_NEXT);
		put_desc(f, fq, 2 * s + 1, buf + first, len - first, write);
	} else {
		put_desc(f, fq, 2 * s, buf, len, write);
	}
	fq->in_flight[s] = true;
	fq->posted_len[s] = len;
	fake_put(f, fq->avail + 4 + 2 * (fq->avail_idx % FAKE_NUM), 2 * s, 2);
	fq->avail_idx++;
	fake_put(f, fq->avail + 2, fq->avail_idx, 2);   /* after the entry */
	return (int)s;
}

void fake_kick(struct fake_driver *f, unsigned q)
{
	struct fake_queue *fq = &f->q[q];
	uint16_t old = fq->kicked_idx, now = fq->avail_idx;
	bool notify;
	fq->kicked_idx = now;
	if (f->features & VIRTIO_RING_F_EVENT_IDX) {
		uint16_t event = (uint16_t)fake_get(f, fq->used + 4 + 8 * FAKE_NUM, 2);
		notify = (uint16_t)(now - event - 1) < (uint16_t)(now - old);
	} else {
		notify = !(fake_get(f, fq->used, 2) & USED_F_NO_NOTIFY);
	}
	if (notify) {
		f->notifies++;
		wr(f, VIRTIO_MMIO_QUEUE_NOTIFY, q);
	}
}

int fake_used(struct fake_driver *f, unsigned q, unsigned *slot, uint32_t *len)
{
	struct fake_queue *fq = &f->q[q];
	uint16_t idx = (uint16_t)fake_get(f, fq->used + 2, 2);
	if (idx == fq->last_used) {
		fake_put(f, fq->avail + 4 + 2 * FAKE_NUM, fq->last_used, 2);   /* used_event */
		return 0;
	}
	uint64_t e = fq->used + 4 + 8ull * (fq->last_used % FAKE_NUM);
	uint32_t id = (uint32_t)fake_get(f, e, 4);
	CHECK(id % 2 == 0 && id / 2 < FAKE_SLOTS);
	CHECK(fq->in_flight[id / 2]);
	fq->in_flight[id / 2] = false;
	fq->last_used++;
	*slot = id / 2;
	*len = (uint32_t)fake_get(f, e + 4, 4);
	CHECK(*len <= fq->posted_len[id / 2]);
	return 1;
}

const uint8_t *fake_slot_data(struct fake_driver *f, unsigned q, unsigned slot)
{
	return f->ram + (f->q[q].data - FAKE_MEM_BASE) + (uint64_t)slot * FAKE_SLOT_BYTES;
}

uint32_t fake_interrupt(struct fake_driver *f)
{
	if (!virtio_mmio_irq_level(f->mmio))
		return 0;
	uint32_t bits = rd(f, VIRTIO_MMIO_INTERRUPT_STATUS);
	CHECK(bits != 0);
	wr(f, VIRTIO_MMIO_INTERRUPT_ACK, bits);
	CHECK(!virtio_mmio_irq_level(f->mmio));
	f->interrupts++;
	return bits;
}
