/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Inter-VM channels, the runtime's side (docs/channels.md): finding a
 * channel the policy gives this VM, mapping its shared memory, notifying
 * the peer and waiting for its events. The message rings that run over the
 * shared memory are in bulkhead/ring.h, included here.
 *
 * Self-standing and free of inline assembly, so host tests can include it.
 */
#ifndef BULKHEAD_CHANNEL_H
#define BULKHEAD_CHANNEL_H

#include <stdbool.h>
#include <stdint.h>

#include <bulkhead/hypercall.h>
#include <bulkhead/ring.h>

/* An open channel, as bh_channel_open fills it. Plain data: copy it freely.
 * Rings made from it keep a pointer to it, so it must outlive them. */
struct bh_channel {
	void     *base;     /* the shared memory, mapped at VA == its GPA */
	uint64_t  size;     /* bytes, a page multiple */
	uint32_t  handle;   /* < BH_CHANNELS_PER_VM */
	uint32_t  flags;    /* BH_CHANNEL_* for this end */
	uint32_t  end;      /* 0 or 1: this VM's place in the policy's "between" */
	uint32_t  generation;   /* times the channel had come up when opened
	                         * (struct bh_channel_info.generation) */
};

/*
 * BH_HC_CHANNEL_FIND(name), then maps [gpa, gpa + size) into this VM's own
 * page tables at VA == GPA: writable only with BH_CHANNEL_WRITE, never
 * executable. Fills *ch. Returns 0, or
 *   -BH_EPERM    this VM is not an end of a channel of that name (or lacks
 *                the "channel" right);
 *   -BH_EINVAL   name is NULL, empty or not NUL-terminated within
 *                BH_CHANNEL_NAME_MAX bytes; ch is NULL;
 *   -BH_ENOMEM   no memory for new page-table pages;
 *   -BH_EIO      the kernel's answer breaks the ABI (address outside the
 *                channel window, size not a page multiple...);
 * or another error of the hypercall. On failure *ch is unchanged. Opening
 * the same channel again is harmless (same handle, same mapping); after
 * the peer is gone it is how an end learns that a peer was launched anew:
 * flags has BH_CHANNEL_UP and generation grew (the region is zeroed: rings
 * made before must be made again), and bh_channel_peer_gone is false again.
 */
int bh_channel_open(const char *name, struct bh_channel *ch);

/*
 * BH_HC_CHANNEL_NOTIFY: raises the peer's data event for this channel.
 * Returns 0; -BH_EPERM if this end may not signal (no BH_CHANNEL_SIGNAL);
 * -BH_EPIPE if the peer is gone (which bh_channel_peer_gone then reports).
 */
int bh_channel_notify(const struct bh_channel *ch);

/* This channel's WAIT bits. */
static inline uint64_t bh_channel_data_bit(const struct bh_channel *ch)
{
	return BH_EVENT_CHANNEL_DATA(ch->handle);
}

static inline uint64_t bh_channel_gone_bit(const struct bh_channel *ch)
{
	return BH_EVENT_CHANNEL_GONE(ch->handle);
}

static inline uint64_t bh_channel_event_bits(const struct bh_channel *ch)
{
	return bh_channel_data_bit(ch) | bh_channel_gone_bit(ch);
}

/* Tests of a bh_wait (or bh_channel_wait) result: did the peer notify / is
 * the peer gone? False for a negative result. */
static inline bool bh_channel_has_data(const struct bh_channel *ch,
                                       int64_t events)
{
	return events > 0 && ((uint64_t)events & bh_channel_data_bit(ch));
}

static inline bool bh_channel_is_gone(const struct bh_channel *ch,
                                      int64_t events)
{
	return events > 0 && ((uint64_t)events & bh_channel_gone_bit(ch));
}

/*
 * Waits (costing no CPU) until this channel has an event or timeout_ns
 * pass (BH_WAIT_POLL, BH_WAIT_FOREVER as for bh_wait). Returns this
 * channel's pending bits (> 0: BH_EVENT_CHANNEL_DATA and/or _GONE of its
 * handle, now cleared) or -BH_ETIMEDOUT. Events of anything else that
 * arrive meanwhile are kept for the next bh_wait. Once the peer is known
 * to be gone, returns the GONE bit at once, every time.
 */
int64_t bh_channel_wait(const struct bh_channel *ch, uint64_t timeout_ns);

/*
 * True once the runtime has seen this channel's peer go: a wait it made
 * for the app (bh_wait, bh_channel_wait, bh_sleep_ns, bh_monitor_run)
 * returned the GONE bit, bh_channel_note_events was given it, or a notify
 * returned -BH_EPIPE; false again once bh_channel_open finds the channel
 * up (a peer launched anew).
 */
bool bh_channel_peer_gone(const struct bh_channel *ch);

/*
 * True once the channel's memory may be gone: this VM was told its peer is
 * gone (a wait returned the GONE bit) and has waited again since, and the
 * channel was not reopened up. The kernel then unmaps the memory, and a
 * touch of it is a fault that stops the VM (docs/channels.md, "When a peer
 * stops"): read what the peer left before the next wait. The ring helpers
 * return -BH_EPIPE without touching it.
 */
bool bh_channel_closed(const struct bh_channel *ch);

/* Records the GONE bits of every channel in a bh_wait result (any value;
 * negative ones are ignored). The runtime's own waits do this already;
 * it is harmless to do it again. */
void bh_channel_note_events(int64_t events);

/*
 * Maps [gpa, gpa + size) into this VM's own page tables at VA == GPA,
 * present, supervisor, writable if asked, never executable (XD), replacing
 * any mapping there; 2 MiB pages where the range allows, 4 KiB elsewhere.
 * New table pages come zeroed from a static pool, then from the heap.
 * Returns 0; -BH_EINVAL if gpa or size is not page-aligned, size is 0, the
 * range wraps, touches page 0, or leaves the lower canonical half;
 * -BH_ENOMEM if table pages ran out (what was mapped so far stays mapped).
 * (paging.c)
 */
int bh_map_range(uint64_t gpa, uint64_t size, bool writable);

#endif
