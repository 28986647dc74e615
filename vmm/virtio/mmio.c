/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The virtio-mmio register file (contracts in mmio.h). The rules quoted
 * are virtio 1.x §4.2.2 (registers), §3.1.1 (the driver's initialisation
 * sequence), §2.1 (status) and §2.7 (split-ring alignment).
 */
#include "bulkhead/errno.h"
#include "lib/string.h"
#include "virtio/mmio.h"

/* A feature bank (DeviceFeaturesSel / DriverFeaturesSel) is 32 bits;
 * banks 0 and 1 cover the 64 feature bits this transport knows. */
#define FEATURE_BANKS 2u

/* Ring alignments of a split virtqueue (§2.7). */
#define DESC_ALIGN   16u
#define DRIVER_ALIGN 2u
#define DEVICE_ALIGN 4u

static bool power_of_two(uint32_t v)
{
	return v != 0 && (v & (v - 1)) == 0;
}

int virtio_mmio_init(struct virtio_mmio *m, const struct virtio_mmio_device *dev)
{
	if (dev->nqueues == 0 || dev->nqueues > VIRTIO_MMIO_MAX_QUEUES ||
	    !power_of_two(dev->queue_num_max) || dev->queue_num_max > VIRTIO_QUEUE_NUM_LIMIT)
		return -BH_EINVAL;
	memset(m, 0, sizeof *m);
	m->dev = dev;
	return 0;
}

static uint64_t offered_features(const struct virtio_mmio *m)
{
	return m->dev->features | VIRTIO_F_VERSION_1;
}

/* Everything but the device binding and ConfigGeneration, which keeps
 * counting so a driver never sees an old generation again. */
static void reset(struct virtio_mmio *m)
{
	if (m->dev->reset)
		m->dev->reset(m->dev->ctx);
	m->status = 0;
	m->device_features_sel = 0;
	m->driver_features_sel = 0;
	m->driver_features = 0;
	m->queue_sel = 0;
	m->interrupt_status = 0;
	memset(m->queues, 0, sizeof m->queues);
}

/* The queue QueueSel names, or NULL. */
static struct virtio_mmio_queue *selected(struct virtio_mmio *m)
{
	return m->queue_sel < m->dev->nqueues ? &m->queues[m->queue_sel] : NULL;
}

static int config_access_ok(const struct virtio_mmio *m, uint32_t offset, unsigned size)
{
	if ((size != 1 && size != 2 && size != 4) || offset % size != 0)
		return -BH_EINVAL;
	uint32_t at = offset - VIRTIO_MMIO_CONFIG;
	if (at >= m->dev->config_size || size > m->dev->config_size - at)
		return -BH_ENOENT;
	return 0;
}

static int config_read(struct virtio_mmio *m, uint32_t offset, unsigned size, uint32_t *value)
{
	int err = config_access_ok(m, offset, size);
	if (err)
		return err;
	if (!m->dev->config_read)
		return 0;
	err = m->dev->config_read(m->dev->ctx, offset - VIRTIO_MMIO_CONFIG, size, value);
	if (err)
		*value = 0;
	return err;
}

static uint32_t feature_bank(uint64_t features, uint32_t sel)
{
	return sel < FEATURE_BANKS ? (uint32_t)(features >> (32 * sel)) : 0;
}

int virtio_mmio_read(struct virtio_mmio *m, uint32_t offset, unsigned size, uint32_t *value)
{
	*value = 0;
	if (offset >= VIRTIO_MMIO_CONFIG)
		return config_read(m, offset, size, value);
	if (size != 4 || offset % 4 != 0)
		return -BH_EINVAL;
	const struct virtio_mmio_queue *q = selected(m);
	switch (offset) {
	case VIRTIO_MMIO_MAGIC_VALUE:      *value = VIRTIO_MMIO_MAGIC; break;
	case VIRTIO_MMIO_VERSION:          *value = VIRTIO_MMIO_VERSION_MODERN; break;
	case VIRTIO_MMIO_DEVICE_ID:        *value = m->dev->device_id; break;
	case VIRTIO_MMIO_VENDOR_ID:        *value = m->dev->vendor_id; break;
	case VIRTIO_MMIO_DEVICE_FEATURES:
		*value = feature_bank(offered_features(m), m->device_features_sel);
		break;
	case VIRTIO_MMIO_QUEUE_NUM_MAX:    *value = q ? m->dev->queue_num_max : 0; break;
	case VIRTIO_MMIO_QUEUE_READY:      *value = q ? q->ready : 0; break;
	case VIRTIO_MMIO_INTERRUPT_STATUS: *value = m->interrupt_status; break;
	case VIRTIO_MMIO_STATUS:           *value = m->status; break;
	case VIRTIO_MMIO_CONFIG_GENERATION: *value = m->config_generation; break;
	/* No shared-memory regions: a region that does not exist has
	 * length and base all ones (§4.2.2). */
	case VIRTIO_MMIO_SHM_LEN_LOW:
	case VIRTIO_MMIO_SHM_LEN_HIGH:
	case VIRTIO_MMIO_SHM_BASE_LOW:
	case VIRTIO_MMIO_SHM_BASE_HIGH:    *value = 0xffffffffu; break;
	default:
		return -BH_ENOENT;
	}
	return 0;
}

/* Status only gains bits, except that 0 resets (§2.1, §4.2.2). */
static int write_status(struct virtio_mmio *m, uint32_t value)
{
	if (value == 0) {
		reset(m);
		return 0;
	}
	if ((m->status & ~value) != 0 || value > 0xff)
		return -BH_EINVAL;
	uint32_t added = value & ~m->status;
	if (added & VIRTIO_STATUS_NEEDS_RESET)   /* the device's bit, not the driver's */
		return -BH_EINVAL;
	if (added & VIRTIO_STATUS_FEATURES_OK) {
		/* §3.1.1 step 5: the device accepts only features it offered,
		 * and a modern device only drivers that accept VERSION_1. */
		uint64_t f = m->driver_features;
		if ((f & ~offered_features(m)) != 0 || !(f & VIRTIO_F_VERSION_1))
			value &= ~VIRTIO_STATUS_FEATURES_OK;
	}
	if ((added & VIRTIO_STATUS_DRIVER_OK) && !(value & VIRTIO_STATUS_FEATURES_OK))
		return -BH_EINVAL;
	m->status = value;
	if ((added & VIRTIO_STATUS_DRIVER_OK) && m->dev->driver_ok)
		m->dev->driver_ok(m->dev->ctx, m->driver_features);
	return 0;
}

static int write_driver_features(struct virtio_mmio *m, uint32_t value)
{
	if (m->status & VIRTIO_STATUS_FEATURES_OK)
		return -BH_EBUSY;
	if (m->driver_features_sel >= FEATURE_BANKS)
		return value == 0 ? 0 : -BH_EINVAL;   /* bits no device here has */
	unsigned shift = 32 * m->driver_features_sel;
	m->driver_features = (m->driver_features & ~(0xffffffffull << shift)) |
	                     (uint64_t)value << shift;
	return 0;
}

/* Sets the low or high half of a ring address. */
static int write_ring_half(struct virtio_mmio_queue *q, uint64_t *addr, bool high,
                           uint32_t value, uint32_t align)
{
	if (q->ready)
		return -BH_EBUSY;
	if (!high && value % align != 0)
		return -BH_EINVAL;
	*addr = high ? (*addr & 0xffffffffull) | (uint64_t)value << 32
	             : (*addr & ~0xffffffffull) | value;
	return 0;
}

/* 0 takes the queue down (Linux does so when it deletes a queue); 1
 * needs a size. Ring addresses were checked for alignment as written. */
static int write_queue_ready(struct virtio_mmio_queue *q, uint32_t value)
{
	if (value > 1 || (value == 1 && q->num == 0))
		return -BH_EINVAL;
	q->ready = value == 1;
	return 0;
}

static int write_queue_reg(struct virtio_mmio *m, uint32_t offset, uint32_t value)
{
	struct virtio_mmio_queue *q = selected(m);
	if (!q)
		return -BH_ENOENT;
	switch (offset) {
	case VIRTIO_MMIO_QUEUE_NUM:
		if (q->ready)
			return -BH_EBUSY;
		if (!power_of_two(value) || value > m->dev->queue_num_max)
			return -BH_EINVAL;
		q->num = (uint16_t)value;
		return 0;
	case VIRTIO_MMIO_QUEUE_READY:
		return write_queue_ready(q, value);
	case VIRTIO_MMIO_QUEUE_DESC_LOW:    return write_ring_half(q, &q->desc, false, value, DESC_ALIGN);
	case VIRTIO_MMIO_QUEUE_DESC_HIGH:   return write_ring_half(q, &q->desc, true, value, DESC_ALIGN);
	case VIRTIO_MMIO_QUEUE_DRIVER_LOW:  return write_ring_half(q, &q->driver, false, value, DRIVER_ALIGN);
	case VIRTIO_MMIO_QUEUE_DRIVER_HIGH: return write_ring_half(q, &q->driver, true, value, DRIVER_ALIGN);
	case VIRTIO_MMIO_QUEUE_DEVICE_LOW:  return write_ring_half(q, &q->device, false, value, DEVICE_ALIGN);
	default:                            return write_ring_half(q, &q->device, true, value, DEVICE_ALIGN);
	}
}

static int write_notify(struct virtio_mmio *m, uint32_t value)
{
	if (value >= m->dev->nqueues)
		return -BH_ENOENT;
	/* A notification before the queue is live is harmless and ignored:
	 * there is nothing to look at yet. */
	if (virtio_mmio_live_queue(m, value) && m->dev->queue_notify)
		m->dev->queue_notify(m->dev->ctx, value);
	return 0;
}

static int config_write(struct virtio_mmio *m, uint32_t offset, unsigned size, uint32_t value)
{
	int err = config_access_ok(m, offset, size);
	if (err)
		return err;
	if (!m->dev->config_write)
		return 0;   /* read-only configuration: writes are dropped */
	return m->dev->config_write(m->dev->ctx, offset - VIRTIO_MMIO_CONFIG, size, value);
}

int virtio_mmio_write(struct virtio_mmio *m, uint32_t offset, unsigned size, uint32_t value)
{
	if (offset >= VIRTIO_MMIO_CONFIG)
		return config_write(m, offset, size, value);
	if (size != 4 || offset % 4 != 0)
		return -BH_EINVAL;
	switch (offset) {
	case VIRTIO_MMIO_DEVICE_FEATURES_SEL: m->device_features_sel = value; return 0;
	case VIRTIO_MMIO_DRIVER_FEATURES:     return write_driver_features(m, value);
	case VIRTIO_MMIO_DRIVER_FEATURES_SEL: m->driver_features_sel = value; return 0;
	case VIRTIO_MMIO_QUEUE_SEL:           m->queue_sel = value; return 0;
	case VIRTIO_MMIO_QUEUE_NUM:
	case VIRTIO_MMIO_QUEUE_READY:
	case VIRTIO_MMIO_QUEUE_DESC_LOW:
	case VIRTIO_MMIO_QUEUE_DESC_HIGH:
	case VIRTIO_MMIO_QUEUE_DRIVER_LOW:
	case VIRTIO_MMIO_QUEUE_DRIVER_HIGH:
	case VIRTIO_MMIO_QUEUE_DEVICE_LOW:
	case VIRTIO_MMIO_QUEUE_DEVICE_HIGH:   return write_queue_reg(m, offset, value);
	case VIRTIO_MMIO_QUEUE_NOTIFY:        return write_notify(m, value);
	case VIRTIO_MMIO_INTERRUPT_ACK:       m->interrupt_status &= ~value; return 0;
	case VIRTIO_MMIO_STATUS:              return write_status(m, value);
	case VIRTIO_MMIO_SHM_SEL:             return 0;   /* every region is absent */
	default:                              return -BH_ENOENT;
	}
}

void virtio_mmio_raise(struct virtio_mmio *m, uint32_t bits)
{
	m->interrupt_status |= bits & (VIRTIO_MMIO_INT_VRING | VIRTIO_MMIO_INT_CONFIG);
}

void virtio_mmio_config_changed(struct virtio_mmio *m)
{
	m->config_generation++;
	if (m->status & VIRTIO_STATUS_DRIVER_OK)
		virtio_mmio_raise(m, VIRTIO_MMIO_INT_CONFIG);
}

void virtio_mmio_needs_reset(struct virtio_mmio *m)
{
	m->status |= VIRTIO_STATUS_NEEDS_RESET;
	if (m->status & VIRTIO_STATUS_DRIVER_OK)
		virtio_mmio_raise(m, VIRTIO_MMIO_INT_CONFIG);
}

bool virtio_mmio_irq_level(const struct virtio_mmio *m)
{
	return m->interrupt_status != 0;
}

const struct virtio_mmio_queue *virtio_mmio_live_queue(const struct virtio_mmio *m, unsigned q)
{
	if (q >= m->dev->nqueues || !(m->status & VIRTIO_STATUS_DRIVER_OK) ||
	    (m->status & VIRTIO_STATUS_NEEDS_RESET) || !m->queues[q].ready)
		return NULL;
	return &m->queues[q];
}
