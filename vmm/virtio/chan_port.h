/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * One end of a channel, as a monitor's device sees it: a stream of
 * messages out (to the peer) and a stream of messages in (from it), each a
 * byte record (console data, or one Ethernet frame).
 *
 * The messages travel in the runtime's own ring format (lib/channel_ring.h,
 * docs/channels.md), so a native VM or the CLI at the other end uses
 * bulkhead/ring.h unchanged. A both-ways channel carries a ring each way;
 * a one-way channel one ring, so a port on it only sends (the writing end)
 * or only receives. The channel's memory is written by the peer at any
 * time: the ring code checks every index and length it reads there, and a
 * broken ring answers -BH_EIO from then on (the other direction goes on).
 *
 * Notifying the peer is the monitor's business (BH_HC_CHANNEL_NOTIFY on
 * the channel's handle): it passes a callback, called only when the peer
 * asked to be woken. The monitor learns of the peer's doorbell from its
 * event bits and then lets the device look at the port again.
 *
 * Pure and freestanding; not thread-safe (a monitor has one vCPU).
 */
#ifndef VMM_VIRTIO_CHAN_PORT_H
#define VMM_VIRTIO_CHAN_PORT_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/channel_ring.h"

/* Rings the peer's doorbell: 0, or a negative BH_E* (-BH_EPIPE: the peer
 * is gone, which changes nothing for the port). */
typedef int (*chan_port_notify_fn)(void *ctx);

struct chan_port {
	struct bh_ring out;   /* producer: this end -> peer */
	struct bh_ring in;    /* consumer: peer -> this end */
	bool can_send;        /* the channel has a ring from this end */
	bool can_receive;     /* the channel has a ring to this end */
	bool peer_gone;       /* nobody will read what is sent any more */
	bool closed;          /* the memory is gone: nothing touches it */
	/* What chan_port_init was given, for chan_port_restart. */
	void *base;
	uint64_t size;
	uint32_t end, flags;
	chan_port_notify_fn notify;
	void *ctx;
};

/*
 * Sets p up over a channel's memory [base, base + size), mapped writable
 * by the monitor if flags has BH_CHANNEL_WRITE: this end is `end` (0 or 1,
 * struct bh_channel_info.end) with the BH_CHANNEL_* flags of its
 * struct bh_channel_info. notify (may be NULL) is used only if the flags
 * let this end signal. Writes nothing into the memory (all zero is two
 * empty rings). Returns 0, or -BH_EINVAL (base NULL, end not 0 or 1,
 * memory too small for a ring), with p unusable.
 */
int chan_port_init(struct chan_port *p, void *base, uint64_t size, uint32_t end,
                   uint32_t flags, chan_port_notify_fn notify, void *ctx);

/* The largest message each way (0 where there is no ring that way). */
uint32_t chan_port_max_send(const struct chan_port *p);
uint32_t chan_port_max_receive(const struct chan_port *p);

/*
 * Sending without a copy: *payload points at room for len bytes inside the
 * ring; fill it, then chan_port_commit(p, n) publishes the first n <= len
 * bytes as one message and wakes the peer if it waits for data. Returns 0;
 * -BH_ENOSPC while the peer has not freed room (nothing queued: see
 * chan_port_wait_room); -BH_E2BIG if len > chan_port_max_send; -BH_EPERM
 * if this end cannot send; -BH_EIO if the peer broke the ring; -BH_EPIPE
 * once the peer is gone (chan_port_peer_gone, or a notification found it
 * gone: the commit that found it still published its message).
 */
int chan_port_reserve(struct chan_port *p, uint32_t len, void **payload);
int chan_port_commit(struct chan_port *p, uint32_t len);

/* Copying send: reserve, copy, commit. Returns as chan_port_reserve. */
int chan_port_send(struct chan_port *p, const void *msg, uint32_t len);

/*
 * "Is there room": whether a message of len bytes fits now. If it does
 * not, also asks the peer to notify once it has freed enough room, so
 * the caller may stop and wait for the channel event. Returns 0 (fits
 * now), -BH_ENOSPC (the peer will notify), or -BH_E2BIG, -BH_EPERM,
 * -BH_EIO, -BH_EPIPE as above.
 */
int chan_port_wait_room(struct chan_port *p, uint32_t len);

/*
 * Receiving without a copy: *msg points at the next message inside the
 * ring, and the length is returned. The message stays until
 * chan_port_release; peeking again returns it again. The peer can still
 * change its bytes (not its bounds), so what decides anything must be
 * copied out first. Returns the length (>= 0); -BH_ENODATA if nothing
 * waits; -BH_EPERM if this end cannot receive; -BH_EIO if the peer broke
 * the ring; -BH_ERANGE (one-way channel) if the writer lapped this end and
 * messages were lost (call again for the newest). chan_port_release
 * frees the peeked message and wakes the peer if it waits for room:
 * 0, -BH_EINVAL if nothing is peeked, or -BH_ERANGE as above.
 */
int chan_port_peek(struct chan_port *p, const void **msg);
int chan_port_release(struct chan_port *p);

/* Copying receive: the next message into buf (at most max bytes), its
 * length returned; -BH_E2BIG (message kept) if max is too small; else
 * as chan_port_peek. */
int chan_port_receive(struct chan_port *p, void *buf, uint32_t max);

/*
 * The peer is gone (the monitor saw BH_EVENT_CHANNEL_GONE): what it sent
 * can still be received, but sending fails with -BH_EPIPE from now on,
 * so nothing waits for room that will never come.
 */
void chan_port_peer_gone(struct chan_port *p);

/*
 * The channel's memory is gone (bh_channel_closed: the monitor was told the
 * peer is gone and has waited since, so the kernel unmapped it): from now
 * on no call touches it. Receiving finds nothing (-BH_ENODATA, and
 * chan_port_wait_data -BH_EPIPE), sending fails with -BH_EPIPE, until
 * chan_port_restart.
 */
void chan_port_close(struct chan_port *p);

/*
 * The channel is up again (a peer was launched anew at the other end, and
 * the kernel zeroed the region: BH_CHANNEL_UP with a larger generation):
 * both rings start over empty, as chan_port_init left them, and sending
 * works again. A message peeked or room reserved before is forgotten.
 * Call it before touching the port again: the positions it held belong to
 * the rings the zeroing erased.
 */
void chan_port_restart(struct chan_port *p);

/*
 * Before waiting for the peer's data: asks to be notified of the next
 * message, then looks again. Returns -BH_ENODATA if still empty (the
 * peer will notify), 0 if a message arrived meanwhile, -BH_EPERM or
 * -BH_EIO as above.
 */
int chan_port_wait_data(struct chan_port *p);

#endif
