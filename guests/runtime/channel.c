/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Channels: the two channel hypercalls, mapping the shared memory, waiting
 * for a channel's events, and the rings' blocking helpers (contracts:
 * bulkhead/channel.h, bulkhead/ring.h; model: docs/channels.md).
 */
#include <bulkhead/runtime.h>

#include "rt.h"
#include "vmcall.h"

/* How often a ring helper looks again when the peer cannot notify us. */
#define POLL_NS BH_NS_PER_MS

_Static_assert(BH_CHANNELS_PER_VM <= 32, "gone_handles has a bit per handle");
_Static_assert(2 * BH_CHANNELS_PER_VM <= 63, "event bits fit BH_EVENT_MASK");

/* Bit h: the peer of this VM's channel h is gone (until it is launched
 * again and the channel reopened). */
static uint32_t gone_handles;

/* Bit h: a wait returned channel h's GONE bit; and the kernel has since
 * been asked to wait again, so the channel's memory may be unmapped
 * (docs/channels.md, "When a peer stops"). Both clear as gone_handles. */
static uint32_t told_handles;
uint32_t rt_closed_handles;

/* The handles whose GONE bit events has: on every wait's result, so the
 * common case (none) is one test. */
static uint32_t gone_bits_to_handles(uint64_t events)
{
	uint64_t gone = events & BH_EVENT_CHANNEL_GONE_ALL;
	uint32_t handles = 0;
	for (; gone; gone &= gone - 1)
		handles |= 1u << (__builtin_ctzll(gone) / 2);
	return handles;
}

void rt_channels_before_wait(void)
{
	rt_closed_handles |= told_handles;
}

void rt_channels_after_wait(int64_t result)
{
	if (result <= 0)
		return;
	uint32_t told = gone_bits_to_handles((uint64_t)result);
	told_handles |= told;
	gone_handles |= told;
}

/* The kernel is trusted to keep isolation, not to be free of bugs: a
 * reply outside the ABI is refused rather than mapped. */
static bool info_ok(const struct bh_channel_info *in, int64_t h)
{
	return h < BH_CHANNELS_PER_VM && in->handle == (uint64_t)h &&
	       in->gpa == BH_GUEST_CHANNEL_BASE + (uint64_t)h * BH_GUEST_CHANNEL_STRIDE &&
	       in->size != 0 && in->size % BH_GUEST_PAGE_SIZE == 0 &&
	       in->size <= BH_GUEST_CHANNEL_STRIDE &&
	       (in->flags & BH_CHANNEL_READ) && in->end <= 1;
}

int bh_channel_open(const char *name, struct bh_channel *ch)
{
	if (!name || !ch)
		return -BH_EINVAL;
	size_t n = strnlen(name, BH_CHANNEL_NAME_MAX);
	if (n == 0 || n == BH_CHANNEL_NAME_MAX)
		return -BH_EINVAL;

	struct bh_channel_info info;
	memset(&info, 0, sizeof(info));
	int64_t h = vmcall2(BH_HC_CHANNEL_FIND, (uintptr_t)name, (uintptr_t)&info);
	if (h < 0)
		return (int)h;
	if (!info_ok(&info, h))
		return -BH_EIO;

	int ret = bh_map_range(info.gpa, info.size,
	                       info.flags & BH_CHANNEL_WRITE);
	if (ret)
		return ret;

	*ch = (struct bh_channel){
		.base = (void *)(uintptr_t)info.gpa,
		.size = info.size,
		.handle = info.handle,
		.flags = info.flags,
		.end = info.end,
		.generation = info.generation,
	};
	if (info.flags & BH_CHANNEL_UP) {
		gone_handles &= ~(1u << info.handle);
		told_handles &= ~(1u << info.handle);
		rt_closed_handles &= ~(1u << info.handle);
	}
	return 0;
}

int bh_channel_notify(const struct bh_channel *ch)
{
	int64_t ret = vmcall1(BH_HC_CHANNEL_NOTIFY, ch->handle);

	if (ret == -BH_EPIPE && ch->handle < BH_CHANNELS_PER_VM)
		gone_handles |= 1u << ch->handle;
	return (int)ret;
}

void bh_channel_note_events(int64_t events)
{
	if (events > 0)
		gone_handles |= gone_bits_to_handles((uint64_t)events);
}

bool bh_channel_peer_gone(const struct bh_channel *ch)
{
	return ch->handle < BH_CHANNELS_PER_VM &&
	       (gone_handles & (1u << ch->handle));
}

bool bh_channel_closed(const struct bh_channel *ch)
{
	return ch->handle < BH_CHANNELS_PER_VM &&
	       (rt_closed_handles & (1u << ch->handle));
}

/*
 * The first wait goes through bh_wait, which hands out what bh_sleep_ns
 * stashed; later ones use the raw call, so that the other events we hold
 * (and stash only when we return) do not come straight back.
 */
int64_t bh_channel_wait(const struct bh_channel *ch, uint64_t timeout_ns)
{
	uint64_t mine = bh_channel_event_bits(ch);
	uint64_t got = 0, other = 0, deadline = BH_WAIT_FOREVER;

	if (bh_channel_peer_gone(ch))
		return (int64_t)bh_channel_gone_bit(ch);
	if (timeout_ns != BH_WAIT_FOREVER && timeout_ns != BH_WAIT_POLL) {
		uint64_t now = bh_time_ns();
		deadline = timeout_ns > UINT64_MAX - now ? BH_WAIT_FOREVER
		                                         : now + timeout_ns;
	}

	int64_t ev = bh_wait(timeout_ns);
	for (;;) {
		if (ev > 0) {
			bh_channel_note_events(ev);
			got |= (uint64_t)ev & mine;
			other |= (uint64_t)ev & ~mine;
			if (got)
				break;
		}
		if (timeout_ns == BH_WAIT_POLL)
			break;
		uint64_t left = BH_WAIT_FOREVER;
		if (deadline != BH_WAIT_FOREVER) {
			uint64_t now = bh_time_ns();
			if (now >= deadline)
				break;
			left = deadline - now;
		}
		ev = rt_hc_wait(left);
	}
	if (other)
		rt_stash_events(other);
	return got ? (int64_t)got : -BH_ETIMEDOUT;
}

/* ---- Ring helpers ---------------------------------------------------------- */

static int ring_notify(void *ctx)
{
	return bh_channel_notify(ctx);
}

int bh_ring_init_producer(struct bh_ring *r, const struct bh_channel *ch)
{
	return bh_ring_init_channel(r, ch, BH_RING_PRODUCER, ring_notify,
	                            (void *)ch);
}

int bh_ring_init_consumer(struct bh_ring *r, const struct bh_channel *ch)
{
	return bh_ring_init_channel(r, ch, BH_RING_CONSUMER, ring_notify,
	                            (void *)ch);
}

static uint64_t deadline_after(uint64_t timeout_ns)
{
	if (timeout_ns == BH_WAIT_FOREVER)
		return BH_WAIT_FOREVER;
	uint64_t now = bh_time_ns();
	return timeout_ns > UINT64_MAX - now ? BH_WAIT_FOREVER : now + timeout_ns;
}

/* Sleeps on r's channel until an event, the deadline, or (if the peer
 * cannot notify this end) a poll interval, counting the wait in r->waits.
 * Returns 0 (look at the ring again) or -BH_ETIMEDOUT. */
static int ring_sleep(struct bh_ring *r, uint64_t deadline)
{
	uint64_t t = BH_WAIT_FOREVER;

	if (deadline != BH_WAIT_FOREVER) {
		uint64_t now = bh_time_ns();
		if (now >= deadline)
			return -BH_ETIMEDOUT;
		t = deadline - now;
	}
	if (!(r->ch->flags & BH_CHANNEL_EVENTS) && t > POLL_NS)
		t = POLL_NS;
	r->waits++;
	bh_channel_wait(r->ch, t);
	return 0;
}

int bh_ring_send_wait(struct bh_ring *r, const void *msg, uint32_t len,
                      uint64_t timeout_ns)
{
	if (!r->ch)
		return -BH_EINVAL;
	uint64_t deadline = deadline_after(timeout_ns);

	for (;;) {
		if (bh_channel_peer_gone(r->ch))
			return -BH_EPIPE;
		int ret = bh_ring_send(r, msg, len);
		if (ret != -BH_ENOSPC)
			return ret;
		ret = bh_ring_arm(r, len);
		if (ret == 0)
			continue;
		if (ret != -BH_ENOSPC)
			return ret;
		ret = ring_sleep(r, deadline);
		if (ret)
			return ret;
	}
}

/* bh_ring_recv_wait, or with msg not NULL bh_ring_peek_wait: one loop, so
 * that both wait alike. */
static int take_wait(struct bh_ring *r, void *buf, uint32_t max, const void **msg,
                     uint64_t timeout_ns)
{
	if (!r->ch)
		return -BH_EINVAL;
	uint64_t deadline = deadline_after(timeout_ns);

	for (;;) {
		/* What the peer left was there to read until this VM waited
		 * again after being told; now its memory is gone. */
		if (bh_channel_closed(r->ch))
			return -BH_EPIPE;
		int ret = msg ? bh_ring_peek(r, msg) : bh_ring_recv(r, buf, max);
		if (ret != -BH_ENODATA)
			return ret;
		/* The peer's last words are read before its absence is told. */
		if (bh_channel_peer_gone(r->ch))
			return -BH_EPIPE;
		ret = bh_ring_arm(r, 0);
		if (ret == 0)
			continue;
		if (ret != -BH_ENODATA)
			return ret;
		ret = ring_sleep(r, deadline);
		if (ret)
			return ret;
	}
}

int bh_ring_recv_wait(struct bh_ring *r, void *buf, uint32_t max,
                      uint64_t timeout_ns)
{
	return take_wait(r, buf, max, NULL, timeout_ns);
}

int bh_ring_peek_wait(struct bh_ring *r, const void **msg, uint64_t timeout_ns)
{
	return take_wait(r, NULL, 0, msg, timeout_ns);
}
