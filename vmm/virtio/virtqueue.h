/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The device side of a split virtqueue (virtio 1.2 §2.7): take the next
 * descriptor chain the driver made available, as a list of checked
 * guest-physical buffers, and hand it back through the used ring.
 *
 * The rings live in guest memory and the guest may write anything into
 * them at any time. Every ring field is copied in through the guest
 * memory interface (mem/guest_memory.h) before it is used, every buffer
 * range is checked against guest memory, and each way a ring can be
 * malformed has its own enum virtq_error. A malformed ring breaks the
 * queue: every later call returns the same error until virtq_init runs
 * again (the device should then set DEVICE_NEEDS_RESET,
 * virtio_mmio_needs_reset). The walker never reads or writes outside
 * what the guest memory interface allows, whatever the guest wrote.
 *
 * Notification suppression is either the flags of §2.7.7 or, once the
 * driver accepted VIRTIO_RING_F_EVENT_IDX, the used_event and avail_event
 * indices of §2.7.7 and §2.7.10 (virtq_use_event_idx). Not handled: the
 * packed ring; a device must not offer VIRTIO_F_RING_PACKED with this
 * walker.
 */
#ifndef VMM_VIRTIO_VIRTQUEUE_H
#define VMM_VIRTIO_VIRTQUEUE_H

#include <stdbool.h>
#include <stdint.h>

#include "mem/guest_memory.h"

/* Descriptor flags (§2.7.5). */
#define VIRTQ_DESC_F_NEXT      1u
#define VIRTQ_DESC_F_WRITE     2u
#define VIRTQ_DESC_F_INDIRECT  4u

/* Available ring flag: the driver wants no interrupt (§2.7.7). */
#define VIRTQ_AVAIL_F_NO_INTERRUPT 1u

/* Feature bits of the ring layout a device may offer with this walker. */
#define VIRTIO_RING_F_INDIRECT_DESC (1ull << 28)
#define VIRTIO_RING_F_EVENT_IDX     (1ull << 29)

#define VIRTQ_DESC_SIZE        16u
#define VIRTQ_MAX_SIZE         32768u

enum virtq_error {
	VIRTQ_OK = 0,
	VIRTQ_E_MEMORY,             /* a ring lies (partly) outside guest memory */
	VIRTQ_E_AVAIL_OVERRUN,      /* avail idx more than the queue size ahead */
	VIRTQ_E_HEAD_RANGE,         /* an available head index >= queue size */
	VIRTQ_E_NEXT_RANGE,         /* a next index outside its table */
	VIRTQ_E_LOOP,               /* a chain longer than its table: a loop */
	VIRTQ_E_TOO_MANY_BUFFERS,   /* more buffers than the caller has room for */
	VIRTQ_E_BUFFER_OUTSIDE,     /* a buffer (partly) outside guest memory */
	VIRTQ_E_READ_AFTER_WRITE,   /* a device-readable buffer after a writable one */
	VIRTQ_E_TOO_LONG,           /* a chain of 4 GiB or more in total */
	VIRTQ_E_INDIRECT_NEXT,      /* INDIRECT and NEXT set together */
	VIRTQ_E_INDIRECT_NESTED,    /* INDIRECT inside an indirect table */
	VIRTQ_E_INDIRECT_SIZE,      /* table length 0, not a multiple of 16, or too big */
	VIRTQ_E_INDIRECT_OUTSIDE,   /* an indirect table outside guest memory */
	VIRTQ_E_USED_HEAD,          /* virtq_push of a head >= queue size */
	VIRTQ_E_COUNT
};

struct virtq {
	const struct guest_memory *mem;
	uint16_t num;              /* queue size, a power of two */
	uint64_t desc;             /* descriptor table: 16 * num bytes */
	uint64_t avail;            /* available ring: 6 + 2 * num bytes */
	uint64_t used;             /* used ring: 6 + 8 * num bytes */
	uint16_t last_avail;       /* next available-ring slot to take */
	uint16_t used_idx;         /* the device's used idx, mirrored to the guest */
	uint16_t signalled_used;   /* used_idx when virtq_should_interrupt last ran */
	bool event_idx;            /* VIRTIO_RING_F_EVENT_IDX negotiated */
	enum virtq_error broken;   /* VIRTQ_OK while the queue is usable */
};

/* One buffer of a chain: guest-physical, every byte checked to be guest
 * memory when the chain was taken. */
struct virtq_buffer {
	uint64_t gpa;
	uint32_t len;
	bool writable;             /* the device writes it (VIRTQ_DESC_F_WRITE) */
};

struct virtq_chain {
	uint16_t head;             /* give back with virtq_push */
	unsigned nbufs;
	uint64_t readable_bytes;   /* sum of the device-readable lengths */
	uint64_t writable_bytes;   /* sum of the device-writable lengths */
};

/*
 * Sets q up for the rings the driver gave (virtio_mmio_queue). Returns 0;
 * or -BH_EINVAL if num is not a power of two up to 32768 or an address
 * breaks its ring alignment (16, 2, 4); or -BH_EFAULT if a ring is not
 * wholly in guest memory. Starts from slot 0 of both rings.
 */
int virtq_init(struct virtq *q, const struct guest_memory *mem, uint16_t num,
               uint64_t desc, uint64_t avail, uint64_t used);

/*
 * Takes the next available chain: returns 1 and fills *chain and
 * bufs[0, chain->nbufs); 0 if the driver made nothing new available
 * (with event indices, after asking to be notified of the next chain);
 * or -(enum virtq_error) if the ring is malformed, in which case q is
 * broken, the slot is not consumed and bufs means nothing. cap is how
 * many buffers bufs holds.
 */
int virtq_pop(struct virtq *q, struct virtq_buffer *bufs, unsigned cap,
              struct virtq_chain *chain);

/*
 * Returns chain head to the driver with `written` bytes written into its
 * writable buffers: writes the used element, then the used idx, in that
 * order, so the driver never sees an idx before its element. Returns 0,
 * or -(enum virtq_error): VIRTQ_E_USED_HEAD for a head >= num,
 * VIRTQ_E_MEMORY if the used ring stopped being guest memory, or the
 * error q is broken with.
 */
int virtq_push(struct virtq *q, uint16_t head, uint32_t written);

/* The driver accepted VIRTIO_RING_F_EVENT_IDX: from now on q suppresses
 * notifications and interrupts through the event indices. */
void virtq_use_event_idx(struct virtq *q);

/* Whether the driver wants an interrupt for what was pushed since the
 * last call: with event indices, whether the used idx passed the
 * driver's used_event (vring_need_event's rule, §2.7.7); otherwise
 * unless it set VIRTQ_AVAIL_F_NO_INTERRUPT. Never for a broken queue. */
bool virtq_should_interrupt(struct virtq *q);

/* A short sentence describing an error; never NULL. */
const char *virtq_error_name(int err);

#endif
