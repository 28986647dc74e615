/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Single-producer/single-consumer message rings in shared memory
 * (contract: lib/channel_ring.h; layout and protocol: docs/channels.md).
 * Pure C: the same file runs in native guests (the runtime), in Linux VMs'
 * monitors (vmm/virtio/chan_port.c) and in host tests.
 *
 * Trust. Everything in the ring's memory may be written by the peer at any
 * moment. So each end keeps its own index privately (r->pos) and only ever
 * writes it out; it reads each peer word once into a local, checks it, and
 * uses only the checked copy. Lengths are checked against the published
 * range and the end of the data area before a byte is copied. A failed
 * check marks the ring broken (-BH_EIO from then on).
 *
 * Memory ordering (SDM Vol. 3A 9.2.2, x86-64 only). The processor keeps
 * loads in order with loads and stores in order with stores, and never lets
 * a store pass an earlier load. Publishing therefore needs only that the
 * compiler keep program order (barrier()): the producer writes a record,
 * then the new head; the consumer reads head, then the record, then writes
 * the new tail, which no store of the producer's can overtake. The one
 * reordering x86 does, a load passing an earlier store to another address,
 * would break the sleep/wake handshake: each side stores its own word
 * (head, or the event position it sleeps on) and then loads the other's,
 * Dekker's pattern. Both places that decide about a notification put a
 * full fence (MFENCE) between the store and the load.
 */
#include "bulkhead/hypercall.h"
#include "lib/channel_ring.h"
#include "lib/string.h"

/* Keeps the compiler from moving memory accesses across it. */
#define barrier() __asm__ __volatile__("" ::: "memory")
/* Orders every earlier load and store before every later one (MFENCE). */
#define full_fence() __atomic_thread_fence(__ATOMIC_SEQ_CST)

/* Larger rings would need wider length words; 16 MiB channels are far
 * below this. */
#define RING_SIZE_MAX (1ull << 31)

static uint64_t record_size(uint32_t len)
{
	return ((uint64_t)len + BH_RING_LEN_SIZE + BH_RING_ALIGN - 1) &
	       ~(uint64_t)(BH_RING_ALIGN - 1);
}

/* True if an index moving from old to new passed event: old <= event < new,
 * in modular arithmetic (virtio's vring_need_event). */
static bool crossed(uint64_t event, uint64_t new_pos, uint64_t old_pos)
{
	return new_pos - event - 1 < new_pos - old_pos;
}

static int broken(struct bh_ring *r)
{
	r->broken = true;
	return -BH_EIO;
}

static volatile uint32_t *word_at(const struct bh_ring *r, uint64_t off)
{
	return (volatile uint32_t *)(r->data + off);
}

static int do_notify(struct bh_ring *r)
{
	if (!r->notify)
		return 0;
	r->notifies++;
	return r->notify(r->notify_ctx);
}

int bh_ring_init(struct bh_ring *r, void *mem, uint64_t size,
                 enum bh_ring_role role, enum bh_ring_mode mode,
                 bh_ring_notify_fn notify, void *ctx)
{
	uintptr_t base = (uintptr_t)mem;

	if (!r || !mem || (base & (BH_RING_ALIGN - 1)) ||
	    size < BH_RING_MIN_SIZE || size > RING_SIZE_MAX ||
	    base + size < base ||
	    (role != BH_RING_PRODUCER && role != BH_RING_CONSUMER) ||
	    (mode != BH_RING_FLOW && mode != BH_RING_OVERWRITE))
		return -BH_EINVAL;

	uint64_t cap = (size - BH_RING_HDR_SIZE) & ~(uint64_t)(BH_RING_ALIGN - 1);
	/* A flow-controlled ring can wait for the wrap marker to be read, so a
	 * record may fill the whole data area. An overwriting ring writes the
	 * marker and the record in one go, and that must not exceed the data
	 * area or a reader that kept up would lose the record. */
	uint64_t max_rec = mode == BH_RING_FLOW
	                 ? cap : (cap / 2) & ~(uint64_t)(BH_RING_ALIGN - 1);
	if (max_rec < BH_RING_ALIGN)
		return -BH_EINVAL;

	*r = (struct bh_ring){
		.hdr = (volatile struct bh_ring_hdr *)mem,
		.data = (volatile unsigned char *)mem + BH_RING_HDR_SIZE,
		.cap = cap,
		.max_msg = (uint32_t)(max_rec - BH_RING_LEN_SIZE),
		.role = (uint8_t)role,
		.mode = (uint8_t)mode,
		.notify = notify,
		.notify_ctx = ctx,
	};
	return 0;
}

int bh_ring_init_channel_memory(struct bh_ring *r, void *base, uint64_t size,
                                uint32_t end, uint32_t flags,
                                enum bh_ring_role role,
                                bh_ring_notify_fn notify, void *ctx)
{
	if (!base || end > 1)
		return -BH_EINVAL;

	bool writes = flags & BH_CHANNEL_WRITE;
	bh_ring_notify_fn fn = (flags & BH_CHANNEL_SIGNAL) ? notify : NULL;
	unsigned char *mem = base;

	if (flags & BH_CHANNEL_BOTH) {
		/* First half: end 0 -> end 1; second half: end 1 -> end 0. */
		uint64_t half = size / 2;
		uint32_t which = role == BH_RING_PRODUCER ? end : 1 - end;
		if (!writes)
			return -BH_EPERM;
		return bh_ring_init(r, mem + which * half, half, role,
		                    BH_RING_FLOW, fn, ctx);
	}
	if (writes != (role == BH_RING_PRODUCER))
		return -BH_EPERM;
	return bh_ring_init(r, mem, size, role, BH_RING_OVERWRITE, fn, ctx);
}

/* ---- Producer ------------------------------------------------------------ */

/* Reads the consumer's tail. A sane one lies between the last tail seen and
 * our head, on a record boundary; anything else is corruption. */
static int load_tail(struct bh_ring *r)
{
	uint64_t tail = r->hdr->tail;

	barrier();
	if ((tail & (BH_RING_ALIGN - 1)) || tail - r->peer > r->pos - r->peer)
		return broken(r);
	r->peer = tail;
	return 0;
}

/* The channel's memory may have been unmapped (struct bh_ring.closed). */
static inline bool memory_gone(const struct bh_ring *r)
{
	return r->closed && (*r->closed & r->closed_bit);
}

/*
 * Makes room for a record of len at r->pos and returns where its payload
 * goes. The wrap marker, if one is needed, is written now; the length word
 * and the new head only by publish(). OVERWRITE claims the range first: a
 * reader that sees data change under it will also see the claim (stores
 * stay in order).
 */
static int reserve(struct bh_ring *r, uint32_t len, unsigned char **payload)
{
	if (memory_gone(r))
		return -BH_EPIPE;
	if (r->broken)
		return -BH_EIO;
	if (r->role != BH_RING_PRODUCER)
		return -BH_EINVAL;
	if (len > r->max_msg)
		return -BH_E2BIG;

	uint64_t head = r->pos;
	uint64_t rec = record_size(len);
	uint64_t off = head % r->cap;
	uint64_t waste = rec > r->cap - off ? r->cap - off : 0;

	r->holding = false;
	if (r->mode == BH_RING_FLOW) {
		int ret = load_tail(r);
		if (ret)
			return ret;
		uint64_t room = r->cap - (head - r->peer);
		if (waste + rec > room) {
			if (waste == 0 || waste > room)
				return -BH_ENOSPC;
			/* The record will go at the start, once the consumer
			 * frees it: publish the marker now, so the consumer can
			 * read past it meanwhile. */
			*word_at(r, off) = BH_RING_WRAP;
			barrier();
			r->pos = head + waste;
			r->hdr->head = r->pos;
			return -BH_ENOSPC;
		}
	} else {
		r->hdr->reserve = head + waste + rec;
		barrier();
	}

	if (waste)
		*word_at(r, off) = BH_RING_WRAP;
	r->held = head + waste;
	r->held_len = len;
	r->holding = true;
	*payload = (unsigned char *)r->data + (waste ? 0 : off) + BH_RING_LEN_SIZE;
	return 0;
}

/* Publishes the reserved record, with len <= the length reserved. */
static void publish(struct bh_ring *r, uint32_t len)
{
	*word_at(r, r->held % r->cap) = len;
	barrier();   /* the record is written before head says so */
	r->pos = r->held + record_size(len);
	r->hdr->head = r->pos;
	r->holding = false;
}

int bh_ring_post(struct bh_ring *r, const void *msg, uint32_t len)
{
	unsigned char *payload;
	int ret = reserve(r, len, &payload);

	if (ret)
		return ret;
	memcpy(payload, msg, len);
	publish(r, len);
	return 0;
}

int bh_ring_reserve(struct bh_ring *r, uint32_t len, void **payload)
{
	unsigned char *p;
	int ret = reserve(r, len, &p);

	if (ret == 0)
		*payload = p;
	return ret;
}

int bh_ring_commit(struct bh_ring *r, uint32_t len)
{
	if (memory_gone(r))
		return -BH_EPIPE;
	if (r->broken)
		return -BH_EIO;
	if (r->role != BH_RING_PRODUCER || !r->holding || len > r->held_len)
		return -BH_EINVAL;
	publish(r, len);
	return bh_ring_kick(r);
}

int bh_ring_kick(struct bh_ring *r)
{
	if (memory_gone(r))
		return -BH_EPIPE;
	if (r->broken)
		return -BH_EIO;
	if (r->role != BH_RING_PRODUCER)
		return -BH_EINVAL;

	uint64_t old = r->kicked;
	uint64_t head = r->pos;
	if (head == old)
		return 0;
	r->kicked = head;

	if (r->mode == BH_RING_FLOW) {
		full_fence();   /* head is visible before data_event is read */
		if (!crossed(r->hdr->data_event, head, old))
			return 0;
	}
	return do_notify(r);
}

int bh_ring_send(struct bh_ring *r, const void *msg, uint32_t len)
{
	int ret = bh_ring_post(r, msg, len);
	/* Kick even after -BH_ENOSPC: a wrap marker may have gone out, and a
	 * sleeping consumer must read it before the room appears. */
	if (ret == 0 || ret == -BH_ENOSPC) {
		int k = bh_ring_kick(r);
		if (ret == 0)
			ret = k;
	}
	return ret;
}

/* ---- Consumer ------------------------------------------------------------ */

/* OVERWRITE: true if nothing has been written over [pos, pos + cap) since
 * the producer claimed pos's record, i.e. what was read there is real. */
static bool intact(const struct bh_ring *r, uint64_t pos)
{
	barrier();   /* the data was read before reserve is */
	return r->hdr->reserve - pos <= r->cap;
}

/* OVERWRITE: the producer lapped us. Resume at its newest head. */
static int overrun(struct bh_ring *r)
{
	uint64_t head = r->hdr->head;

	if (head & (BH_RING_ALIGN - 1))
		return broken(r);
	r->pos = r->peer = head;
	return -BH_ERANGE;
}

/* A record that fails a check: in an overwriting ring it may just have been
 * overwritten while we read it; otherwise the producer is broken. */
static int bad_record(struct bh_ring *r, uint64_t pos)
{
	if (r->mode == BH_RING_OVERWRITE && !intact(r, pos))
		return overrun(r);
	return broken(r);
}

/* Takes the next message into buf; with buf NULL, only measures it; with
 * peek set, hands out where it is and remembers it for bh_ring_release. */
static int consume(struct bh_ring *r, void *buf, uint32_t max,
                   const void **peek)
{
	r->holding = false;
	for (;;) {
		uint64_t tail = r->pos;
		uint64_t head = r->hdr->head;

		barrier();
		/* On a record boundary and never behind what we saw before. */
		if ((head & (BH_RING_ALIGN - 1)) || head - tail < r->peer - tail)
			return broken(r);
		r->peer = head;
		uint64_t avail = head - tail;
		if (avail > r->cap)
			return r->mode == BH_RING_OVERWRITE ? overrun(r) : broken(r);
		if (avail == 0)
			return -BH_ENODATA;

		uint64_t off = tail % r->cap;
		uint32_t len = *word_at(r, off);
		barrier();

		if (len == BH_RING_WRAP) {
			uint64_t waste = r->cap - off;
			if (off == 0 || waste > avail)
				return bad_record(r, tail);
			if (r->mode == BH_RING_OVERWRITE && !intact(r, tail))
				return overrun(r);
			r->pos = tail + waste;
			continue;
		}

		uint64_t rec = record_size(len);
		if (len > r->max_msg || rec > r->cap - off || rec > avail)
			return bad_record(r, tail);
		if (!buf) {
			if (r->mode == BH_RING_OVERWRITE && !intact(r, tail))
				return overrun(r);
			if (peek) {
				*peek = (const unsigned char *)r->data + off +
				        BH_RING_LEN_SIZE;
				r->held = tail + rec;
				r->holding = true;
			}
			return (int)len;
		}
		if (len > max)
			return -BH_E2BIG;
		memcpy(buf, (const unsigned char *)r->data + off +
		       BH_RING_LEN_SIZE, len);
		if (r->mode == BH_RING_OVERWRITE && !intact(r, tail))
			return overrun(r);
		r->pos = tail + rec;
		return (int)len;
	}
}

/* FLOW: writes our tail out and wakes the producer if it sleeps on a
 * position the tail just reached (space_event: notify once tail >= it). */
static void publish_tail(struct bh_ring *r, uint64_t old)
{
	barrier();   /* the records were read before the tail frees them */
	r->hdr->tail = r->pos;
	full_fence();   /* tail is visible before space_event is read */
	if (crossed(r->hdr->space_event - 1, r->pos, old))
		do_notify(r);   /* a failure (peer gone) changes nothing here */
}

static int consume_and_publish(struct bh_ring *r, void *buf, uint32_t max,
                               const void **peek)
{
	if (memory_gone(r))
		return -BH_EPIPE;
	if (r->broken)
		return -BH_EIO;
	if (r->role != BH_RING_CONSUMER)
		return -BH_EINVAL;

	uint64_t old = r->pos;
	int ret = consume(r, buf, max, peek);
	if (r->mode == BH_RING_FLOW && !r->broken && r->pos != old)
		publish_tail(r, old);
	return ret;
}

int bh_ring_recv(struct bh_ring *r, void *buf, uint32_t max)
{
	static unsigned char none;

	/* consume() takes buf NULL as "measure only". */
	return consume_and_publish(r, buf ? buf : &none, buf ? max : 0, NULL);
}

int bh_ring_next_len(struct bh_ring *r)
{
	return consume_and_publish(r, NULL, 0, NULL);
}

int bh_ring_peek(struct bh_ring *r, const void **msg)
{
	return consume_and_publish(r, NULL, 0, msg);
}

int bh_ring_release(struct bh_ring *r)
{
	if (memory_gone(r))
		return -BH_EPIPE;
	if (r->broken)
		return -BH_EIO;
	if (r->role != BH_RING_CONSUMER || !r->holding)
		return -BH_EINVAL;

	uint64_t old = r->pos;
	r->holding = false;
	/* An overwriting writer may have lapped the message while the app
	 * read it in place: what it read may be torn. */
	if (r->mode == BH_RING_OVERWRITE && !intact(r, old))
		return overrun(r);
	r->pos = r->held;
	if (r->mode == BH_RING_FLOW)
		publish_tail(r, old);
	return 0;
}

/* ---- Sleeping ------------------------------------------------------------ */

int bh_ring_arm(struct bh_ring *r, uint32_t len)
{
	if (memory_gone(r))
		return -BH_EPIPE;
	if (r->broken)
		return -BH_EIO;

	if (r->role == BH_RING_CONSUMER) {
		if (r->mode == BH_RING_FLOW) {
			r->hdr->data_event = r->pos;   /* wake me once head > tail */
			full_fence();
		}
		return r->hdr->head != r->pos ? 0 : -BH_ENODATA;
	}

	/* Producer. Whatever was posted must be kicked before we sleep, or a
	 * sleeping consumer never frees the room we wait for. */
	int ret = bh_ring_kick(r);
	if (ret || r->mode == BH_RING_OVERWRITE)
		return ret;
	if (len > r->max_msg)
		return -BH_E2BIG;

	uint64_t rec = record_size(len);
	uint64_t off = r->pos % r->cap;
	uint64_t waste = rec > r->cap - off ? r->cap - off : 0;
	/* As bh_ring_post: if marker and record don't fit together, the
	 * marker goes first, alone. */
	uint64_t need = waste + rec > r->cap ? waste : waste + rec;

	r->hdr->space_event = r->pos + need - r->cap;   /* tail giving room */
	full_fence();
	ret = load_tail(r);
	if (ret)
		return ret;
	return r->cap - (r->pos - r->peer) >= need ? 0 : -BH_ENOSPC;
}
