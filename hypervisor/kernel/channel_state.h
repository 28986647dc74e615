/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The life of one channel (docs/channels.md, "Ends that come and go"): which
 * of its two ends a VM holds, which are running, when the channel is up,
 * and when its region may go back to the allocator. Pure, so host tests
 * walk every order of starts, stops and reaps; kernel/channel.c maps,
 * scrubs and signals as the answers say.
 *
 * The region is allocated once, at boot. An end is taken by its VM when
 * that VM starts (at boot, or launched later from a "boot no" declaration)
 * and given back when the VM is reaped. The channel is up while both ends
 * are running; each time it comes up its generation grows by one. A
 * stopped end whose declaration can be launched may come back, so the
 * region is kept; it is freed only once no VM holds either end and one of
 * them can never start again (a boot VM's declaration).
 *
 * A running end keeps the region mapped after its peer stops, long enough
 * to read what the peer left: until it has been told (BH_EVENT_CHANNEL_GONE
 * returned by a wait) and waits again. Then, if the channel is still down,
 * the region is taken from it, and a touch is a fault; the region comes
 * back, scrubbed, when the channel comes up again.
 */
#ifndef KERNEL_CHANNEL_STATE_H
#define KERNEL_CHANNEL_STATE_H

#include <stdbool.h>
#include <stdint.h>

struct channel_state {
	bool relaunchable[2];   /* that end's declaration is a template ("boot no") */
	bool held[2];           /* a VM, running or stopped, holds that end */
	bool running[2];        /* that end's VM is running */
	bool mapped[2];         /* that end's VM maps the region now */
	bool freed;             /* the region went back to the allocator: for good */
	uint32_t generation;    /* times the channel has come up */
};

/* A channel no VM holds yet, its ends' declarations launchable or not. */
void channel_state_init(struct channel_state *s, bool relaunchable0, bool relaunchable1);

/* Whether a VM that starts may take end e: the region is still there and
 * no running VM holds that end. */
bool channel_state_may_take(const struct channel_state *s, unsigned e);

/* True while both ends run. */
bool channel_state_up(const struct channel_state *s);

/*
 * End e's VM started and took the end (channel_state_may_take said it
 * may). Returns true if that brought the channel up: the region is to be
 * scrubbed before the new end runs, and the peer, already running, told.
 */
bool channel_state_started(struct channel_state *s, unsigned e);

/* The channel just came up by end e's start: true if the peer had the
 * region taken from it (channel_state_let_go), so it is to be mapped into
 * the peer again (before the peer is told). */
bool channel_state_remap_peer(struct channel_state *s, unsigned e);

/* End e's VM stopped. Returns true if the channel was up: the peer,
 * still running, is to be told it is gone. */
bool channel_state_stopped(struct channel_state *s, unsigned e);

/* End e's VM, told that its peer is gone, waits again. Returns true if
 * the region is now to be unmapped from it: it maps it and the channel is
 * still down (a peer launched anew in between brought it up again). */
bool channel_state_let_go(struct channel_state *s, unsigned e);

/* End e's VM was reaped: it holds the end no more. Returns true if the
 * region is now to be scrubbed and freed (the channel can never come up
 * again and nobody maps it). */
bool channel_state_reaped(struct channel_state *s, unsigned e);

#endif
