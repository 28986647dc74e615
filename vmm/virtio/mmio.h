/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The register file of a virtio-mmio device, version 2 (virtio 1.x
 * §4.2.2, "modern"): what a guest's virtio_mmio driver reads and writes
 * in one device window. The transport is the same for every device; what
 * is specific to one (its ID, features, queues, configuration space, what
 * a notification means) comes from a struct virtio_mmio_device.
 *
 * A state machine driven by the monitor's MMIO exit handler: each guest
 * access becomes one virtio_mmio_read or virtio_mmio_write with the
 * offset into the window and the access size. Pure and freestanding.
 */
#ifndef VMM_VIRTIO_MMIO_H
#define VMM_VIRTIO_MMIO_H

#include <stdbool.h>
#include <stdint.h>

/* Register offsets (virtio 1.x §4.2.2, Table "MMIO Device Register
 * Layout"). Every one is 32 bits wide. */
#define VIRTIO_MMIO_MAGIC_VALUE         0x000   /* R: "virt" */
#define VIRTIO_MMIO_VERSION             0x004   /* R: 2 */
#define VIRTIO_MMIO_DEVICE_ID           0x008   /* R */
#define VIRTIO_MMIO_VENDOR_ID           0x00c   /* R */
#define VIRTIO_MMIO_DEVICE_FEATURES     0x010   /* R: 32 bits chosen by _SEL */
#define VIRTIO_MMIO_DEVICE_FEATURES_SEL 0x014   /* W */
#define VIRTIO_MMIO_DRIVER_FEATURES     0x020   /* W */
#define VIRTIO_MMIO_DRIVER_FEATURES_SEL 0x024   /* W */
#define VIRTIO_MMIO_QUEUE_SEL           0x030   /* W */
#define VIRTIO_MMIO_QUEUE_NUM_MAX       0x034   /* R: 0 = no such queue */
#define VIRTIO_MMIO_QUEUE_NUM           0x038   /* W */
#define VIRTIO_MMIO_QUEUE_READY         0x044   /* RW */
#define VIRTIO_MMIO_QUEUE_NOTIFY        0x050   /* W: queue index */
#define VIRTIO_MMIO_INTERRUPT_STATUS    0x060   /* R */
#define VIRTIO_MMIO_INTERRUPT_ACK       0x064   /* W */
#define VIRTIO_MMIO_STATUS              0x070   /* RW: 0 resets */
#define VIRTIO_MMIO_QUEUE_DESC_LOW      0x080   /* W */
#define VIRTIO_MMIO_QUEUE_DESC_HIGH     0x084   /* W */
#define VIRTIO_MMIO_QUEUE_DRIVER_LOW    0x090   /* W: the available ring */
#define VIRTIO_MMIO_QUEUE_DRIVER_HIGH   0x094   /* W */
#define VIRTIO_MMIO_QUEUE_DEVICE_LOW    0x0a0   /* W: the used ring */
#define VIRTIO_MMIO_QUEUE_DEVICE_HIGH   0x0a4   /* W */
#define VIRTIO_MMIO_SHM_SEL             0x0ac   /* W */
#define VIRTIO_MMIO_SHM_LEN_LOW         0x0b0   /* R: all ones, no regions */
#define VIRTIO_MMIO_SHM_LEN_HIGH        0x0b4   /* R */
#define VIRTIO_MMIO_SHM_BASE_LOW        0x0b8   /* R */
#define VIRTIO_MMIO_SHM_BASE_HIGH       0x0bc   /* R */
#define VIRTIO_MMIO_CONFIG_GENERATION   0x0fc   /* R */
#define VIRTIO_MMIO_CONFIG              0x100   /* device configuration space */

#define VIRTIO_MMIO_MAGIC               0x74726976u   /* "virt", little-endian */
#define VIRTIO_MMIO_VERSION_MODERN      2u

/* Device status bits (virtio 1.x §2.1). */
#define VIRTIO_STATUS_ACKNOWLEDGE       1u
#define VIRTIO_STATUS_DRIVER            2u
#define VIRTIO_STATUS_DRIVER_OK         4u
#define VIRTIO_STATUS_FEATURES_OK       8u
#define VIRTIO_STATUS_NEEDS_RESET       64u
#define VIRTIO_STATUS_FAILED            128u

/* InterruptStatus bits (§4.2.2). */
#define VIRTIO_MMIO_INT_VRING           1u   /* a used buffer was added */
#define VIRTIO_MMIO_INT_CONFIG          2u   /* configuration changed */

/* Feature bits the transport itself deals in (§6). */
#define VIRTIO_F_VERSION_1              (1ull << 32)

/* Split-ring limits (§2.7): a queue size is a power of two, at most 32768. */
#define VIRTIO_QUEUE_NUM_LIMIT          32768u
#define VIRTIO_MMIO_MAX_QUEUES          8

/* One virtqueue's transport state, as the driver set it up. desc, driver
 * and device are guest-physical and unchecked here beyond the ring
 * alignments of §2.7; the virtqueue walker checks them against memory. */
struct virtio_mmio_queue {
	uint16_t num;       /* 0 until the driver writes QueueNum */
	bool ready;
	uint64_t desc;      /* descriptor table, 16-byte aligned */
	uint64_t driver;    /* available ring, 2-byte aligned */
	uint64_t device;    /* used ring, 4-byte aligned */
};

/* What makes a device one kind of device. ctx is passed back to every
 * callback; any callback may be NULL. */
struct virtio_mmio_device {
	uint32_t device_id;          /* §5: 1 net, 3 console, 19 vsock, ... */
	uint32_t vendor_id;
	uint64_t features;           /* offered; the transport adds VERSION_1 */
	unsigned nqueues;            /* 1..VIRTIO_MMIO_MAX_QUEUES */
	uint16_t queue_num_max;      /* a power of two, <= VIRTIO_QUEUE_NUM_LIMIT */
	uint32_t config_size;        /* bytes of configuration space */
	void *ctx;
	/* Reads or writes size (1, 2 or 4) bytes at offset, naturally aligned
	 * and inside config_size (the transport checked). Returns 0 or a
	 * negative error, which virtio_mmio_read/write pass on. */
	int (*config_read)(void *ctx, uint32_t offset, unsigned size, uint32_t *value);
	int (*config_write)(void *ctx, uint32_t offset, unsigned size, uint32_t value);
	/* The driver notified queue q, which is ready, with DRIVER_OK set. */
	void (*queue_notify)(void *ctx, unsigned q);
	/* The driver set DRIVER_OK: features and queues are final. */
	void (*driver_ok)(void *ctx, uint64_t features);
	/* The driver reset the device: drop every in-flight request. */
	void (*reset)(void *ctx);
};

struct virtio_mmio {
	const struct virtio_mmio_device *dev;
	uint32_t status;
	uint32_t device_features_sel;
	uint32_t driver_features_sel;
	uint64_t driver_features;
	uint32_t queue_sel;
	uint32_t interrupt_status;
	uint32_t config_generation;
	struct virtio_mmio_queue queues[VIRTIO_MMIO_MAX_QUEUES];
};

/*
 * Binds m to dev (which must outlive it) in the reset state. Returns 0,
 * or -BH_EINVAL if dev's queue count or queue size is out of range.
 */
int virtio_mmio_init(struct virtio_mmio *m, const struct virtio_mmio_device *dev);

/*
 * A guest read of size bytes at offset into the window. Returns 0 and
 * *value, or leaves *value 0 and returns:
 *   -BH_EINVAL  a register access that is not 4 bytes wide and aligned,
 *               or a configuration access not 1, 2 or 4 bytes naturally
 *               aligned;
 *   -BH_ENOENT  no readable register there (a write-only register, a
 *               reserved offset, past the configuration space);
 *   or the device's config_read error.
 * Reads change no state.
 */
int virtio_mmio_read(struct virtio_mmio *m, uint32_t offset, unsigned size, uint32_t *value);

/*
 * A guest write. Returns 0, or changes nothing and returns:
 *   -BH_EINVAL  bad size or alignment (as for reads); a value the
 *               register cannot take (a queue size that is 0, too big or
 *               not a power of two; a misaligned ring address; a status
 *               that clears bits without resetting; QueueReady 1 on a
 *               queue without size);
 *   -BH_ENOENT  no writable register there, or a queue register while
 *               QueueSel names no queue, or a notification of no queue;
 *   -BH_EBUSY   a queue's set-up changed while it is ready, or driver
 *               features written after FEATURES_OK;
 *   or the device's config_write error.
 * Setting FEATURES_OK with features the device did not offer, or without
 * VERSION_1, is not an error: the bit stays clear, which is how the
 * device refuses them (§3.1.1), and the driver sees that on read-back.
 */
int virtio_mmio_write(struct virtio_mmio *m, uint32_t offset, unsigned size, uint32_t value);

/* Device side: raise InterruptStatus bits (VIRTIO_MMIO_INT_*). */
void virtio_mmio_raise(struct virtio_mmio *m, uint32_t bits);

/* Device side: the configuration space changed. Bumps ConfigGeneration
 * and, once the driver is running, raises the configuration interrupt. */
void virtio_mmio_config_changed(struct virtio_mmio *m);

/* Device side: the device cannot go on; sets DEVICE_NEEDS_RESET and
 * raises the configuration interrupt (§2.1.2). */
void virtio_mmio_needs_reset(struct virtio_mmio *m);

/* The interrupt line's level: high while any InterruptStatus bit is set. */
bool virtio_mmio_irq_level(const struct virtio_mmio *m);

/* Queue q's set-up if it is ready and the driver is running, else NULL. */
const struct virtio_mmio_queue *virtio_mmio_live_queue(const struct virtio_mmio *m, unsigned q);

#endif
