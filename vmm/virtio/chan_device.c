/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A virtio device whose queues are a channel (contracts in chan_device.h).
 *
 * Two pumps, each run until it cannot go on:
 *   transmit: take a chain from the transmit queue, copy its readable
 *             bytes (past the header) straight into room reserved in the
 *             channel's ring, publish, give the chain back;
 *   receive:  hold a chain from the receive queue, peek the channel's next
 *             message, copy the header and the message straight into the
 *             chain's writable buffers, give the chain back, release.
 * Each copies once, between guest memory (through the guest memory
 * interface, every range checked) and the channel's ring (whose bounds the
 * ring code checked). The peer can still change a message's bytes while
 * they are copied; that is its own data, and nothing here decides anything
 * on it.
 *
 * A malformed guest ring breaks its queue (the walker's error) and the
 * device asks for a reset; a broken channel ring (the peer's doing) only
 * stops that direction, and what the guest transmits is then dropped and
 * counted, so the guest never stalls on a peer.
 */
#include "bulkhead/errno.h"
#include "lib/string.h"
#include "virtio/chan_device.h"

static uint64_t min_u64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

/*
 * Copies n bytes between host memory and the chain, starting at byte `at`
 * of its device-writable buffers (to_guest: host -> guest) or of its
 * device-readable ones (host <- guest). -BH_EFAULT if the chain has fewer
 * bytes of that kind or guest memory refused.
 */
static int chain_copy(const struct guest_memory *mem, const struct chan_device_chain *c,
                      bool to_guest, uint64_t at, void *host, uint64_t n)
{
	uint8_t *p = host;
	for (unsigned i = 0; i < c->chain.nbufs && n > 0; i++) {
		const struct virtq_buffer *b = &c->bufs[i];
		if (b->writable != to_guest)
			continue;
		if (at >= b->len) {
			at -= b->len;
			continue;
		}
		uint64_t len = min_u64(b->len - at, n);
		int r = to_guest ? guest_write(mem, b->gpa + at, p, len)
		                 : guest_read(mem, b->gpa + at, p, len);
		if (r)
			return -BH_EFAULT;
		p += len;
		n -= len;
		at = 0;
	}
	return n == 0 ? 0 : -BH_EFAULT;
}

/* A queue went bad: remember why and ask the driver for a reset. */
static void queue_broke(struct chan_device *d, int err)
{
	d->queue_error = err;
	virtio_mmio_needs_reset(&d->mmio);
}

/* Whether queue q may be worked on: the driver is running, nothing asked
 * for a reset. */
static bool running(const struct chan_device *d, unsigned q)
{
	return d->live && d->queue_error == 0 && virtio_mmio_live_queue(&d->mmio, q);
}

/* Takes the next chain of q into c unless c holds one. 1: c holds one;
 * 0: the driver made none available; < 0: the queue broke. */
static int take_chain(struct chan_device *d, struct virtq *q, struct chan_device_chain *c)
{
	if (c->held)
		return 1;
	int r = virtq_pop(q, c->bufs, CHAN_DEVICE_CHAIN_MAX, &c->chain);
	if (r < 0) {
		queue_broke(d, r);
		return r;
	}
	c->held = r == 1;
	return r;
}

/* Gives c's chain back with `written` bytes written. */
static int give_chain(struct chan_device *d, struct virtq *q, struct chan_device_chain *c,
                      uint32_t written)
{
	c->held = false;
	int r = virtq_push(q, c->chain.head, written);
	if (r < 0)
		queue_broke(d, r);
	return r;
}

static void port_failed(struct chan_device *d, int err)
{
	d->port_error = err;
}

/* ---- Transmit -------------------------------------------------------------- */

/*
 * Sends bytes [at, at + len) of the held transmit chain's readable bytes
 * as one message. 0: sent; -BH_ENOSPC: the channel is full and the peer
 * will notify; -BH_EFAULT: guest memory failed; another error: the channel
 * cannot take it (the caller drops the chain).
 */
static int send_bytes(struct chan_device *d, uint64_t at, uint32_t len)
{
	void *payload;
	int r = chan_port_reserve(d->port, len, &payload);
	if (r == -BH_ENOSPC) {
		/* Full. Ask for a notification at the room this message needs;
		 * if the room appeared meanwhile, go on now. */
		r = chan_port_wait_room(d->port, len);
		if (r == 0)
			r = chan_port_reserve(d->port, len, &payload);
		if (r == -BH_ENOSPC) {
			d->stats.tx_waits++;
			return r;
		}
	}
	if (r)
		return r;
	if (chain_copy(d->mem, &d->tx, false, at, payload, len))
		return -BH_EFAULT;   /* the reservation lapses unpublished */
	r = chan_port_commit(d->port, len);
	if (r && r != -BH_EPIPE)   /* EPIPE: published, the peer just left */
		return r;
	d->stats.tx_messages++;
	d->stats.tx_bytes += len;
	return 0;
}

/* A frame: the readable bytes past the header, as one message. */
static int send_frame(struct chan_device *d)
{
	const struct chan_device_kind *k = d->kind;
	uint64_t readable = d->tx.chain.readable_bytes;
	if (readable < k->hdr_len || readable - k->hdr_len < k->frame_min ||
	    readable - k->hdr_len > k->frame_max ||
	    readable - k->hdr_len > chan_port_max_send(d->port))
		return -BH_E2BIG;
	return send_bytes(d, k->hdr_len, (uint32_t)(readable - k->hdr_len));
}

/* A stream: the readable bytes past the header, in messages as large as
 * the channel takes; tx_sent says how far a full channel interrupted. */
static int send_stream(struct chan_device *d)
{
	uint64_t readable = d->tx.chain.readable_bytes;
	uint32_t max = chan_port_max_send(d->port);
	if (d->tx_sent < d->kind->hdr_len)
		d->tx_sent = d->kind->hdr_len;
	while (d->tx_sent < readable) {
		if (max == 0)
			return -BH_EPERM;
		uint32_t len = (uint32_t)min_u64(readable - d->tx_sent, max);
		int r = send_bytes(d, d->tx_sent, len);
		if (r)
			return r;
		d->tx_sent += len;
	}
	return 0;
}

static void transmit(struct chan_device *d)
{
	unsigned given = 0;
	while (running(d, CHAN_DEVICE_TXQ)) {
		bool fresh = !d->tx.held;
		if (take_chain(d, &d->txq, &d->tx) != 1)
			break;
		if (fresh)
			d->tx_sent = 0;
		int r = d->kind->frame_max ? send_frame(d) : send_stream(d);
		if (r == -BH_ENOSPC)
			break;   /* keep the chain: the peer notifies when there is room */
		if (r == -BH_EFAULT) {
			queue_broke(d, -(int)VIRTQ_E_BUFFER_OUTSIDE);
			break;
		}
		if (r) {
			d->stats.tx_dropped++;
			if (r != -BH_E2BIG)
				port_failed(d, r);
		}
		if (give_chain(d, &d->txq, &d->tx, 0))
			break;
		given++;
	}
	if (given && virtq_should_interrupt(&d->txq))
		virtio_mmio_raise(&d->mmio, VIRTIO_MMIO_INT_VRING);
}

/* ---- Receive --------------------------------------------------------------- */

/* Writes the header and message bytes [from, from + n) into the held
 * receive chain. */
static int fill_chain(struct chan_device *d, const uint8_t *msg, uint32_t from, uint32_t n)
{
	uint32_t hdr = d->kind->hdr_len;
	/* The guest memory interface takes a non-const source it only reads. */
	if (hdr && chain_copy(d->mem, &d->rx, true, 0, (void *)d->kind->rx_hdr, hdr))
		return -BH_EFAULT;
	return chain_copy(d->mem, &d->rx, true, hdr, (void *)(msg + from), n);
}

enum delivery { DELIVERED, DROPPED, FAILED };

/* A frame: all of it into the held chain, or dropped (the chain kept). */
static enum delivery deliver_frame(struct chan_device *d, const uint8_t *msg, uint32_t len)
{
	const struct chan_device_kind *k = d->kind;
	if (len < k->frame_min || len > k->frame_max ||
	    k->hdr_len + (uint64_t)len > d->rx.chain.writable_bytes) {
		chan_port_release(d->port);
		d->stats.rx_dropped++;
		return DROPPED;
	}
	if (fill_chain(d, msg, 0, len))
		return FAILED;
	if (chan_port_release(d->port) == -BH_ERANGE) {
		/* One-way channel: the writer overwrote the frame as we
		 * copied it. The chain is kept for the next one. */
		d->stats.rx_lost++;
		return DROPPED;
	}
	d->stats.rx_messages++;
	d->stats.rx_bytes += len;
	return give_chain(d, &d->rxq, &d->rx, k->hdr_len + len) ? FAILED : DELIVERED;
}

/* A stream: as much of the message as the held chain takes; the rest
 * waits, peeked, for the next chain. */
static enum delivery deliver_stream(struct chan_device *d, const uint8_t *msg, uint32_t len)
{
	uint32_t hdr = d->kind->hdr_len;
	/* A peer that shrank a peeked message under us: the rest is gone. */
	if (d->rx_offset > len)
		d->rx_offset = len;
	uint64_t room = d->rx.chain.writable_bytes > hdr ? d->rx.chain.writable_bytes - hdr : 0;
	uint32_t n = (uint32_t)min_u64(len - d->rx_offset, room);
	if (n > 0 || d->rx_offset == len) {
		if (n > 0 && fill_chain(d, msg, d->rx_offset, n))
			return FAILED;
		d->rx_offset += n;
		if (d->rx_offset == len) {
			d->rx_offset = 0;
			if (chan_port_release(d->port) == -BH_ERANGE)
				d->stats.rx_lost++;
			else
				d->stats.rx_messages++;
		}
		d->stats.rx_bytes += n;
		if (n == 0)
			return DROPPED;   /* an empty message: nothing to give */
	}
	/* A chain that takes nothing goes back empty rather than stall the
	 * queue. */
	return give_chain(d, &d->rxq, &d->rx, n ? hdr + n : 0) ? FAILED : DELIVERED;
}

static void receive(struct chan_device *d)
{
	unsigned given = 0;
	while (running(d, CHAN_DEVICE_RXQ)) {
		if (take_chain(d, &d->rxq, &d->rx) != 1)
			break;   /* no buffer: messages wait in the channel */
		const void *msg;
		int len = chan_port_peek(d->port, &msg);
		if (len == -BH_ENODATA) {
			if (chan_port_wait_data(d->port) == 0)
				continue;   /* arrived while we asked */
			break;          /* the peer notifies on its next message */
		}
		if (len == -BH_ERANGE) {
			d->stats.rx_lost++;
			continue;
		}
		if (len < 0) {
			if (len != -BH_EPERM)
				port_failed(d, len);
			break;
		}
		enum delivery r = d->kind->frame_max ? deliver_frame(d, msg, (uint32_t)len)
		                                     : deliver_stream(d, msg, (uint32_t)len);
		if (r == FAILED) {
			if (d->queue_error == 0)
				queue_broke(d, -(int)VIRTQ_E_BUFFER_OUTSIDE);
			break;
		}
		if (r == DELIVERED)
			given++;
	}
	if (given && virtq_should_interrupt(&d->rxq))
		virtio_mmio_raise(&d->mmio, VIRTIO_MMIO_INT_VRING);
}

/* ---- The transport's callbacks ---------------------------------------------- */

static int config_read(void *ctx, uint32_t offset, unsigned size, uint32_t *value)
{
	const struct chan_device *d = ctx;
	uint32_t v = 0;
	/* The transport checked offset + size against config_size. */
	for (unsigned i = 0; i < size; i++)
		v |= (uint32_t)d->config[offset + i] << (8 * i);
	*value = v;
	return 0;
}

static void drop_state(struct chan_device *d)
{
	d->live = false;
	d->tx.held = false;
	d->rx.held = false;
	d->tx_sent = 0;
	d->rx_offset = 0;
	d->queue_error = 0;
}

static void on_reset(void *ctx)
{
	drop_state(ctx);
}

static int take_queue(struct chan_device *d, unsigned q, struct virtq *vq, uint64_t features)
{
	const struct virtio_mmio_queue *mq = &d->mmio.queues[q];
	if (!mq->ready)
		return -BH_EINVAL;
	int r = virtq_init(vq, d->mem, mq->num, mq->desc, mq->driver, mq->device);
	if (r == 0 && (features & VIRTIO_RING_F_EVENT_IDX))
		virtq_use_event_idx(vq);
	return r;
}

static void on_driver_ok(void *ctx, uint64_t features)
{
	struct chan_device *d = ctx;
	drop_state(d);
	/* Both queues are needed; rings outside guest memory are the
	 * driver's error, and it is told so. */
	if (take_queue(d, CHAN_DEVICE_RXQ, &d->rxq, features) ||
	    take_queue(d, CHAN_DEVICE_TXQ, &d->txq, features)) {
		queue_broke(d, -(int)VIRTQ_E_MEMORY);
		return;
	}
	d->live = true;
	chan_device_poll(d);
}

static void on_notify(void *ctx, unsigned q)
{
	struct chan_device *d = ctx;
	if (q == CHAN_DEVICE_TXQ)
		transmit(d);
	else
		receive(d);
}

int chan_device_init(struct chan_device *d, const struct chan_device_kind *kind,
                     const struct guest_memory *mem, struct chan_port *port,
                     const void *config, uint32_t config_size)
{
	if (config_size > CHAN_DEVICE_CONFIG_MAX || kind->hdr_len > CHAN_DEVICE_HDR_MAX ||
	    (kind->hdr_len && !kind->rx_hdr) ||
	    (kind->frame_max && kind->frame_min > kind->frame_max))
		return -BH_EINVAL;
	memset(d, 0, sizeof *d);
	d->kind = kind;
	d->mem = mem;
	d->port = port;
	memcpy(d->config, config, config_size);
	d->model = (struct virtio_mmio_device){
		.device_id = kind->device_id,
		.vendor_id = CHAN_DEVICE_VENDOR_ID,
		.features = kind->features,
		.nqueues = 2,
		.queue_num_max = CHAN_DEVICE_QUEUE_MAX,
		.config_size = config_size,
		.ctx = d,
		.config_read = config_read,
		.queue_notify = on_notify,
		.driver_ok = on_driver_ok,
		.reset = on_reset,
	};
	return virtio_mmio_init(&d->mmio, &d->model);
}

void chan_device_poll(struct chan_device *d)
{
	transmit(d);
	receive(d);
}

void chan_device_channel_restarted(struct chan_device *d)
{
	d->rx_offset = 0;
	d->port_error = 0;
	chan_device_poll(d);
}

bool chan_device_irq_level(const struct chan_device *d)
{
	return virtio_mmio_irq_level(&d->mmio);
}

void chan_device_config_changed(struct chan_device *d)
{
	virtio_mmio_config_changed(&d->mmio);
}
