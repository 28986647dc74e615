/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A ring made from an open channel (contract: bulkhead/ring.h). The rings
 * themselves are common/lib/channel_ring.c, which the monitor shares; this
 * only hands the channel's memory and flags over and remembers the
 * channel, which the blocking helpers (channel.c) wait on.
 */
#include <bulkhead/channel.h>
#include <bulkhead/ring.h>

int bh_ring_init_channel(struct bh_ring *r, const struct bh_channel *ch,
                         enum bh_ring_role role, bh_ring_notify_fn notify,
                         void *ctx)
{
	if (!ch)
		return -BH_EINVAL;
	int ret = bh_ring_init_channel_memory(r, ch->base, ch->size, ch->end,
	                                      ch->flags, role, notify, ctx);
	if (ret == 0)
		r->ch = ch;
	return ret;
}
