/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The guest runtime's message rings over a channel (docs/channels.md): the
 * rings themselves are lib/channel_ring.h (common/lib, shared with the
 * monitor); this adds making them from an open struct bh_channel
 * (ring.c) and the blocking helpers (channel.c, guest only).
 */
#ifndef BULKHEAD_RING_H
#define BULKHEAD_RING_H

#include "lib/channel_ring.h"

/*
 * Makes r this end's producer or consumer of ch's ring (the split of
 * bh_ring_init_channel_memory), with notify called only if ch allows this
 * end to signal, and r->ch pointing at ch. Once bh_channel_closed(ch)
 * every call on r returns -BH_EPIPE without touching the memory, which
 * the kernel may have unmapped. Returns 0;
 * -BH_EPERM if this end cannot take that role (producer without
 * BH_CHANNEL_WRITE, consumer at the writing end of a one-way channel);
 * -BH_EINVAL if ch's memory is too small.
 */
int bh_ring_init_channel(struct bh_ring *r, const struct bh_channel *ch,
                         enum bh_ring_role role, bh_ring_notify_fn notify,
                         void *ctx);

/* ---- Blocking helpers (guest only: channel.c) ---------------------------- */

/* bh_ring_init_channel with bh_channel_notify as the doorbell. */
int bh_ring_init_producer(struct bh_ring *r, const struct bh_channel *ch);
int bh_ring_init_consumer(struct bh_ring *r, const struct bh_channel *ch);

/*
 * bh_ring_send, sleeping on the channel's events while the ring is full,
 * for at most timeout_ns (BH_WAIT_FOREVER: no limit). Returns 0; -BH_EPIPE
 * if the peer is gone (whether or not the message was queued);
 * -BH_ETIMEDOUT; or bh_ring_send's other errors. Without BH_CHANNEL_EVENTS
 * it polls every millisecond instead of sleeping.
 */
int bh_ring_send_wait(struct bh_ring *r, const void *msg, uint32_t len,
                      uint64_t timeout_ns);

/*
 * bh_ring_recv, sleeping while the ring is empty. Returns the length;
 * -BH_EPIPE once the peer is gone and everything it sent has been read;
 * -BH_ETIMEDOUT; or bh_ring_recv's other errors (-BH_ERANGE included).
 */
int bh_ring_recv_wait(struct bh_ring *r, void *buf, uint32_t max,
                      uint64_t timeout_ns);

/*
 * bh_ring_peek, sleeping while the ring is empty: *msg points at the
 * message in the ring until bh_ring_release. Returns as bh_ring_recv_wait.
 */
int bh_ring_peek_wait(struct bh_ring *r, const void **msg, uint64_t timeout_ns);

#endif
