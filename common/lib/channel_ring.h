/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Single-producer/single-consumer rings of variable-size messages over a
 * channel's shared memory (layout and protocol: docs/channels.md): the
 * format every end of a channel speaks, whether it is a native VM through
 * the guest runtime (bulkhead/ring.h adds the channel-opening and blocking
 * helpers) or a Linux VM's monitor (vmm/virtio/chan_port.h). The data
 * path makes no hypercall; the producer notifies only when the consumer
 * asked to be woken at a position the new data crosses, and the consumer
 * likewise for freed space (event suppression, as virtio's event index).
 *
 * The peer is another VM and may be hostile: every index and length read
 * from shared memory is checked before use, nothing outside the ring's
 * memory is ever touched, and a broken invariant makes the ring return
 * -BH_EIO (for good) rather than crash.
 *
 * Kinds of ring, chosen from the channel by bh_ring_init_channel_memory:
 *   BH_RING_FLOW       both ends may write the memory (direction both):
 *                      flow-controlled, nothing is lost, full means
 *                      -BH_ENOSPC. The region is split in two halves: the
 *                      first carries end 0 -> end 1, the second end 1 -> 0.
 *   BH_RING_OVERWRITE  one-way channel: the reader's view is read-only, so
 *                      it cannot publish how far it has read. The writer
 *                      never blocks and overwrites the oldest data; a
 *                      reader that falls behind by more than the ring gets
 *                      -BH_ERANGE once (messages were lost) and carries on
 *                      from the newest data. The whole region is one ring.
 *
 * Pure C, no hypercalls: host-tested by tests/guests/runtime/ring_test.c.
 * One ring per role per end; not thread-safe (a native VM has one vCPU).
 */
#ifndef LIB_CHANNEL_RING_H
#define LIB_CHANNEL_RING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bulkhead/errno.h"

/* The guest runtime's open channel (bulkhead/channel.h), which rings made
 * by its bh_ring_init_channel point back to; opaque here. */
struct bh_channel;

/* ---- Shared layout (docs/channels.md, "Ring layout") -------------------- */

#define BH_RING_CACHELINE 64u
#define BH_RING_HDR_SIZE  256u         /* header bytes before the data area */
#define BH_RING_ALIGN     8u           /* records start 8-byte aligned */
#define BH_RING_LEN_SIZE  4u           /* the u32 length before a payload */
#define BH_RING_WRAP      0xffffffffu  /* length word: skip to data start */
/* Smallest memory a ring accepts: the header plus one 8-byte record. */
#define BH_RING_MIN_SIZE  (BH_RING_HDR_SIZE + BH_RING_ALIGN)

/*
 * The header at the start of a ring's memory. Each word is written by one
 * side only and sits on a cache line of its own. All positions are
 * free-running byte counts of the stream (never wrap in practice); the
 * byte offset in the data area is position % capacity. All zero (as the
 * kernel hands a channel out) is the empty ring.
 */
struct bh_ring_hdr {
	uint64_t head;         /* 0x00 producer: end of the last published record */
	uint64_t reserve;      /* 0x08 producer, OVERWRITE only: end of the
	                        * range being written (head when idle) */
	uint8_t  pad0[BH_RING_CACHELINE - 16];
	uint64_t tail;         /* 0x40 consumer, FLOW only: start of the next
	                        * record to read */
	uint8_t  pad1[BH_RING_CACHELINE - 8];
	uint64_t data_event;   /* 0x80 consumer, FLOW only: notify me once head
	                        * passes this position */
	uint8_t  pad2[BH_RING_CACHELINE - 8];
	uint64_t space_event;  /* 0xc0 producer, FLOW only: notify me once tail
	                        * passes this position */
	uint8_t  pad3[BH_RING_CACHELINE - 8];
};

_Static_assert(sizeof(struct bh_ring_hdr) == BH_RING_HDR_SIZE, "ring header");
_Static_assert(offsetof(struct bh_ring_hdr, tail) == 0x40, "ring header");
_Static_assert(offsetof(struct bh_ring_hdr, data_event) == 0x80, "ring header");
_Static_assert(offsetof(struct bh_ring_hdr, space_event) == 0xc0, "ring header");

/* ---- The ring ------------------------------------------------------------ */

enum bh_ring_role { BH_RING_PRODUCER, BH_RING_CONSUMER };
enum bh_ring_mode { BH_RING_FLOW, BH_RING_OVERWRITE };

/* Rings the peer's doorbell. Returns 0 or a negative BH_E* (-BH_EPIPE: the
 * peer is gone). */
typedef int (*bh_ring_notify_fn)(void *ctx);

/* One end's private view of a ring. Fields are the library's; an app may
 * read notifies and waits. */
struct bh_ring {
	volatile struct bh_ring_hdr *hdr;
	volatile unsigned char *data;   /* the data area: hdr + BH_RING_HDR_SIZE */
	uint64_t cap;          /* data area bytes, a multiple of 8 */
	uint32_t max_msg;      /* largest message: cap - 4 */
	uint8_t  role;         /* enum bh_ring_role */
	uint8_t  mode;         /* enum bh_ring_mode */
	bool     broken;       /* an invariant failed: every call is -BH_EIO */
	bool     holding;      /* a reserve or a peek is outstanding */
	uint64_t pos;          /* our own index (producer: head, consumer: tail),
	                        * never read back from shared memory */
	uint64_t peer;         /* the peer's index as last checked */
	uint64_t kicked;       /* producer: head at the last notify decision */
	uint64_t held;         /* producer: position of the reserved record;
	                        * consumer: end of the peeked one */
	uint32_t held_len;     /* producer: the length reserved */
	bh_ring_notify_fn notify;   /* NULL: this end may not signal */
	void    *notify_ctx;
	const struct bh_channel *ch;   /* NULL unless made from a channel */
	/* Made from a channel by the guest runtime: while *closed & closed_bit,
	 * the kernel may have unmapped the memory, and every call returns
	 * -BH_EPIPE without touching it. NULL: the memory stays. */
	const uint32_t *closed;
	uint32_t closed_bit;
	uint64_t notifies;     /* notify calls made, for tests and benchmarks */
	uint64_t waits;        /* BH_HC_WAIT calls made by the *_wait helpers */
};

/*
 * Makes r one end of the ring in [mem, mem + size): mem 8-byte aligned
 * (64 is better), size at least BH_RING_MIN_SIZE. Does not write the
 * memory: all-zero memory is an empty ring, and the two ends may start in
 * any order. notify may be NULL (never notify). Returns 0 or -BH_EINVAL.
 */
int bh_ring_init(struct bh_ring *r, void *mem, uint64_t size,
                 enum bh_ring_role role, enum bh_ring_mode mode,
                 bh_ring_notify_fn notify, void *ctx);

/*
 * Makes r this end's producer or consumer of the ring(s) a channel's memory
 * [base, base + size) carries, for the end (0 or 1) whose BH_CHANNEL_* flags
 * are given (struct bh_channel_info): with BH_CHANNEL_BOTH the first half
 * carries end 0 -> end 1 and the second end 1 -> end 0 (BH_RING_FLOW); else
 * the whole region is one BH_RING_OVERWRITE ring from the writing end.
 * notify is used only if the flags let this end signal. Returns 0;
 * -BH_EPERM if this end cannot take that role (producer without
 * BH_CHANNEL_WRITE, consumer at the writing end of a one-way channel);
 * -BH_EINVAL if base is NULL, end is not 0 or 1, or the memory is too small.
 */
int bh_ring_init_channel_memory(struct bh_ring *r, void *base, uint64_t size,
                                uint32_t end, uint32_t flags,
                                enum bh_ring_role role,
                                bh_ring_notify_fn notify, void *ctx);

/* The largest message len r takes. */
static inline uint32_t bh_ring_max_msg(const struct bh_ring *r)
{
	return r->max_msg;
}

/*
 * Queues one message of len bytes (0 is fine) and publishes it; then, as
 * bh_ring_kick, notifies the consumer if it asked to be woken. Returns 0;
 * -BH_ENOSPC if there is no room now (nothing queued: wait for an event
 * and retry, or use bh_ring_send_wait); -BH_E2BIG if len > max_msg;
 * -BH_EINVAL if r is a consumer; -BH_EIO if the consumer broke the ring;
 * -BH_EPIPE (message queued) if the notify found the peer gone.
 */
int bh_ring_send(struct bh_ring *r, const void *msg, uint32_t len);

/* bh_ring_send without the notification: queue a batch with bh_ring_post,
 * then one bh_ring_kick. */
int bh_ring_post(struct bh_ring *r, const void *msg, uint32_t len);

/*
 * Producer: notifies the consumer if a message published since the last
 * kick crossed the consumer's wake-up position (OVERWRITE: if anything was
 * published since the last kick at all, the reader cannot say). Returns 0,
 * or the notify's error.
 */
int bh_ring_kick(struct bh_ring *r);

/*
 * Zero-copy sending: a pointer to room for len payload bytes inside the
 * ring (the same checks and errors as bh_ring_post, nothing published),
 * then bh_ring_commit(r, n) publishes the first n <= len of them and kicks
 * as bh_ring_send does. A post, send or reserve before the commit drops
 * the reservation. A commit without one, or with n > len, is -BH_EINVAL.
 */
int bh_ring_reserve(struct bh_ring *r, uint32_t len, void **payload);
int bh_ring_commit(struct bh_ring *r, uint32_t len);

/*
 * Takes the next message into buf (at most max bytes) and returns its
 * length (>= 0); notifies the producer if it waits for the space freed.
 * Returns -BH_ENODATA if the ring is empty; -BH_E2BIG if the message is
 * longer than max (it stays queued: see bh_ring_next_len); -BH_EINVAL if r
 * is a producer; -BH_EIO if the producer broke the ring; OVERWRITE only:
 * -BH_ERANGE if messages were lost (the ring resumed at the newest data,
 * call again).
 */
int bh_ring_recv(struct bh_ring *r, void *buf, uint32_t max);

/* Consumer: the length of the next message, without taking it; errors as
 * bh_ring_recv (never -BH_E2BIG). */
int bh_ring_next_len(struct bh_ring *r);

/*
 * Zero-copy receiving: points *msg at the next message inside the ring and
 * returns its length (errors as bh_ring_next_len); bh_ring_release then
 * frees it (and notifies as bh_ring_recv does). The message stays in place
 * until the release; peeking again returns it again, and a recv or
 * next_len drops the peek. The bounds are
 * checked, the content is not frozen: in a both-ways channel the peer can
 * still change the bytes while they are read, so copy out whatever must be
 * checked and then used. bh_ring_release returns 0; -BH_EINVAL if nothing
 * is peeked; OVERWRITE: -BH_ERANGE if the writer overwrote the message
 * while it was held (what was read may be torn; the ring resumed at the
 * newest data).
 */
int bh_ring_peek(struct bh_ring *r, const void **msg);
int bh_ring_release(struct bh_ring *r);

/*
 * Before sleeping: publishes where this end wants its wake-up, then looks
 * again. Consumer: returns -BH_ENODATA if still empty (safe to sleep: the
 * producer will notify on its next message), 0 if something arrived.
 * Producer: first kicks (a sleeping consumer must hear of what was posted,
 * or it never frees room), then returns -BH_ENOSPC if a message of len
 * still does not fit (the consumer will notify once it has freed the
 * room), 0 if it fits now; -BH_E2BIG if len > max_msg; the kick's error.
 * Either: -BH_EIO if the ring is broken. OVERWRITE: a producer never
 * waits (0), and a consumer cannot publish, so the producer notifies on
 * every kick.
 */
int bh_ring_arm(struct bh_ring *r, uint32_t len);

#endif
