/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A guest's virtio driver for host tests of the monitor's devices: its own
 * fake guest memory, register accesses through a device's virtio-mmio
 * transport in the order Linux's virtio_mmio and virtio core make them,
 * and split virtqueues it fills and drains as Linux's virtio_ring does,
 * event indices included (it notifies only when the device's avail_event
 * asks, and publishes used_event after draining).
 *
 * Each queue has FAKE_SLOTS chains in flight at most; chain s uses
 * descriptors 2s and 2s + 1 and its own FAKE_SLOT_BYTES of data.
 */
#ifndef TESTS_VMM_VIRTIO_FAKE_DRIVER_H
#define TESTS_VMM_VIRTIO_FAKE_DRIVER_H

#include <stdbool.h>
#include <stdint.h>

#include "mem/flat_memory.h"
#include "virtio/mmio.h"

#define FAKE_QUEUES      2u
#define FAKE_NUM         16u            /* queue size */
#define FAKE_SLOTS       (FAKE_NUM / 2) /* chains in flight per queue */
#define FAKE_SLOT_BYTES  4096u
#define FAKE_MEM_BASE    0x100000ull
/* Per queue: rings in one 4 KiB page, then the slots' data. */
#define FAKE_QUEUE_BYTES (4096u + FAKE_SLOTS * FAKE_SLOT_BYTES)
#define FAKE_MEM_SIZE    (FAKE_QUEUES * FAKE_QUEUE_BYTES)

struct fake_queue {
	uint64_t desc, avail, used, data;
	uint16_t avail_idx;       /* the driver's next avail idx */
	uint16_t kicked_idx;      /* avail idx at the last notify decision */
	uint16_t last_used;       /* used entries taken so far */
	bool in_flight[FAKE_SLOTS];
	uint32_t posted_len[FAKE_SLOTS];
};

struct fake_driver {
	struct virtio_mmio *mmio;
	uint8_t *ram;             /* FAKE_MEM_SIZE bytes at FAKE_MEM_BASE */
	struct flat_memory flat;
	const struct guest_memory *mem;
	uint64_t features;        /* negotiated */
	struct fake_queue q[FAKE_QUEUES];
	unsigned notifies;        /* QueueNotify writes made */
	unsigned interrupts;      /* times the line was found high and acked */
};

/* Gives f its memory (zeroed); the device must be made over f->mem. */
void fake_driver_init(struct fake_driver *f);
void fake_driver_free(struct fake_driver *f);

/*
 * Probes and starts the device behind m as Linux does: reset,
 * ACKNOWLEDGE, DRIVER, read the features and accept those in `want`
 * that are offered (with VERSION_1), FEATURES_OK and read it back, set
 * up both queues, DRIVER_OK. Returns the device ID; fails the test case
 * if the device refuses a step.
 */
uint32_t fake_driver_start(struct fake_driver *f, struct virtio_mmio *m, uint64_t want);

/* Reads the configuration space as the driver does (1-byte accesses). */
uint8_t fake_config_byte(struct fake_driver *f, uint32_t offset);

/*
 * Posts one chain on queue q: `out` bytes the device reads (from data,
 * split over two descriptors when split is set) or, with data NULL, one
 * buffer of `in` bytes the device writes (split over two when split is
 * set). Returns the slot, or -1 if every slot is in flight. Does not
 * notify: see fake_kick.
 */
int fake_post(struct fake_driver *f, unsigned q, const void *data, uint32_t out,
              uint32_t in, bool split);

/* Notifies queue q if the device asked for it (avail_event with event
 * indices, else unless it set NO_NOTIFY), as virtqueue_kick does. */
void fake_kick(struct fake_driver *f, unsigned q);

/* Takes the next used entry of q: 1 with its slot and length, 0 if none.
 * After the last one, publishes used_event (virtqueue_enable_cb). */
int fake_used(struct fake_driver *f, unsigned q, unsigned *slot, uint32_t *len);

/* The bytes of a slot's data as the device left them. */
const uint8_t *fake_slot_data(struct fake_driver *f, unsigned q, unsigned slot);

/* If the device's line is high: reads InterruptStatus, acknowledges it,
 * counts it, returns the bits; 0 if the line is low. */
uint32_t fake_interrupt(struct fake_driver *f);

/* Raw access to the guest's memory, for tests that corrupt rings. */
void fake_put(struct fake_driver *f, uint64_t gpa, uint64_t v, unsigned bytes);
uint64_t fake_get(struct fake_driver *f, uint64_t gpa, unsigned bytes);

#endif
