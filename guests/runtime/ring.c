/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A ring made from an open channel (contract: bulkhead/ring.h). The rings
 * themselves are common/lib/channel_ring.c, which the monitor shares; this
 * only hands the channel's memory and flags over, remembers the channel,
 * which the blocking helpers (channel.c) wait on, and points the ring at
 * the runtime's record of unmapped channels.
 */
#include <bulkhead/channel.h>
#include <bulkhead/ring.h>

#include "rt.h"

int bh_ring_init_channel(struct bh_ring *r, const struct bh_channel *ch,
                         enum bh_ring_role role, bh_ring_notify_fn notify,
                         void *ctx)
{
	if (!ch)
		return -BH_EINVAL;
	int ret = bh_ring_init_channel_memory(r, ch->base, ch->size, ch->end,
	                                      ch->flags, role, notify, ctx);
	if (ret == 0) {
		r->ch = ch;
		/* Once the kernel may have unmapped it, no call touches it. */
		r->closed = &rt_closed_handles;
		r->closed_bit = ch->handle < 32 ? 1u << ch->handle : 0;
	}
	return ret;
}
