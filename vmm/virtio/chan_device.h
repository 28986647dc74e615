/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The part every channel-backed virtio device shares (docs/virtio-devices.md):
 * a virtio-mmio transport with a receive queue (0) and a transmit queue
 * (1), and a channel end (chan_port.h) behind them. What the driver puts
 * on the transmit queue becomes channel messages, in order; channel
 * messages go into the buffers the driver posts on the receive queue.
 * virtio-console (console.h) and virtio-net (net.h) are this with their
 * own device ID, features, configuration space and message rules.
 *
 * Nothing here ever waits. When the channel is full, the device keeps the
 * transmit chain it holds, asks the peer to notify once there is room,
 * and takes no more from the guest until then: nothing is dropped for
 * want of room. When the guest has posted no receive buffer, the
 * message stays in the channel until it does.
 *
 * How the monitor drives a device:
 *   - every guest access to the device's window: virtio_mmio_read or
 *     virtio_mmio_write on &dev->mmio (a notification runs the queue's
 *     work inside that call);
 *   - the channel's data event (BH_EVENT_CHANNEL_DATA of its handle,
 *     whichever direction it concerns): chan_device_poll. If the peer
 *     may not notify this end (no BH_CHANNEL_EVENTS), poll on a timer
 *     instead;
 *   - the peer's departure (BH_EVENT_CHANNEL_GONE): chan_port_peer_gone
 *     on the port, then chan_device_poll, which delivers what the peer
 *     left and drops (counting) what waits to be sent;
 *   - the channel up again (the peer launched anew; the port restarted with
 *     chan_port_restart): chan_device_channel_restarted, which forgets
 *     what it had half-received from the old rings and polls;
 *   - after any of these: chan_device_irq_level is the interrupt line, which the
 *     monitor routes to the device's IOAPIC pin.
 * Pure and freestanding; not thread-safe (a monitor has one vCPU).
 */
#ifndef VMM_VIRTIO_CHAN_DEVICE_H
#define VMM_VIRTIO_CHAN_DEVICE_H

#include <stdbool.h>
#include <stdint.h>

#include "mem/guest_memory.h"
#include "virtio/chan_port.h"
#include "virtio/mmio.h"
#include "virtio/virtqueue.h"

#define CHAN_DEVICE_RXQ         0u     /* receiveq: the device writes */
#define CHAN_DEVICE_TXQ         1u     /* transmitq: the device reads */
#define CHAN_DEVICE_QUEUE_MAX   256u   /* QueueNumMax of both queues */
/* Buffers a chain may have. Linux's drivers use one or two per chain
 * here (no scatter-gather offloads are offered); a longer chain breaks
 * the queue (VIRTQ_E_TOO_MANY_BUFFERS, then DEVICE_NEEDS_RESET). */
#define CHAN_DEVICE_CHAIN_MAX   64u
#define CHAN_DEVICE_CONFIG_MAX  16u    /* bytes of configuration space */
#define CHAN_DEVICE_HDR_MAX     16u    /* bytes of per-message header */
#define CHAN_DEVICE_VENDOR_ID   0x484b4c42u   /* "BLKH", little-endian */

/* What makes one kind of channel-backed device. */
struct chan_device_kind {
	uint32_t device_id;      /* virtio 1.x §5: 1 net, 3 console */
	uint64_t features;       /* offered; the transport adds VERSION_1 */
	/* Header before each message in the guest's buffers: hdr_len bytes
	 * skipped at the start of every transmit chain, and rx_hdr written
	 * before every received message. 0 for none. */
	uint32_t hdr_len;        /* <= CHAN_DEVICE_HDR_MAX */
	const uint8_t *rx_hdr;   /* hdr_len bytes */
	/* Frames (frame_max > 0): one transmit chain is one message and one
	 * message fills one receive chain. A chain or a message outside
	 * [frame_min, frame_max], or larger than the channel takes, and a
	 * message larger than the receive chain, is dropped and counted.
	 * A byte stream (frame_max == 0): a transmit chain is sent in as
	 * many messages as the channel's largest message needs, and a
	 * message is spread over as many receive chains as it fills. */
	uint32_t frame_min;
	uint32_t frame_max;
};

/* Counters, for the monitor's log and for tests. */
struct chan_device_stats {
	uint64_t tx_messages;    /* messages sent on the channel */
	uint64_t tx_bytes;
	uint64_t tx_dropped;     /* transmit chains not sent: malformed or
	                          * oversize, or the channel cannot carry
	                          * them (no ring out, broken by the peer) */
	uint64_t rx_messages;    /* messages delivered to the guest whole */
	uint64_t rx_bytes;
	uint64_t rx_dropped;     /* messages not delivered: outside the frame
	                          * limits, or larger than the receive chain */
	uint64_t rx_lost;        /* one-way channel: the writer lapped us */
	uint64_t tx_waits;       /* times transmission stopped on a full channel */
};

/* A chain taken from a queue and not yet given back. */
struct chan_device_chain {
	bool held;
	struct virtq_chain chain;
	struct virtq_buffer bufs[CHAN_DEVICE_CHAIN_MAX];
};

struct chan_device {
	struct virtio_mmio mmio;            /* the transport: the window's accesses */
	struct virtio_mmio_device model;    /* what mmio is bound to */
	const struct chan_device_kind *kind;
	const struct guest_memory *mem;
	struct chan_port *port;
	uint8_t config[CHAN_DEVICE_CONFIG_MAX];   /* the configuration space */
	bool live;                          /* DRIVER_OK: the queues are ours */
	struct virtq rxq, txq;
	struct chan_device_chain tx;        /* held while the channel is full */
	uint64_t tx_sent;                   /* stream: bytes of tx already sent */
	struct chan_device_chain rx;        /* held while no message fits it */
	uint32_t rx_offset;                 /* stream: bytes of the peeked
	                                     * message already delivered */
	int queue_error;                    /* -(enum virtq_error) that broke a
	                                     * queue since the last reset, or 0 */
	int port_error;                     /* the last channel error, or 0 */
	struct chan_device_stats stats;
};

/*
 * Sets d up as a device of the given kind over guest memory mem and
 * channel end port (both must outlive d), with config_size bytes of
 * configuration space copied from config. d is in the reset state: the
 * guest's driver finds it through its window. Returns 0, or -BH_EINVAL
 * (config larger than CHAN_DEVICE_CONFIG_MAX, header larger than
 * CHAN_DEVICE_HDR_MAX or without rx_hdr).
 */
int chan_device_init(struct chan_device *d, const struct chan_device_kind *kind,
                     const struct guest_memory *mem, struct chan_port *port,
                     const void *config, uint32_t config_size);

/*
 * Looks at the channel and the queues again: sends what the guest has
 * queued while the channel has room, and delivers what the peer sent
 * while the guest has posted buffers. For the channel's events, a timer,
 * or any time: it does nothing when there is nothing to do.
 */
void chan_device_poll(struct chan_device *d);

/* The port was restarted (chan_port_restart): a message half-delivered
 * from the old rings is forgotten, the channel's last error cleared, and
 * the device polls the new rings. */
void chan_device_channel_restarted(struct chan_device *d);

/* The interrupt line: high while an interrupt is pending (InterruptStatus
 * not 0); the driver lowers it by acknowledging. */
bool chan_device_irq_level(const struct chan_device *d);

/* The configuration space changed (bytes in d->config): tells the driver. */
void chan_device_config_changed(struct chan_device *d);

#endif
