/* SPDX-License-Identifier: GPL-2.0-only */
#include "kernel/channel_rights.h"

#include <bulkhead/hypercall.h>
#include <bulkhead/policy_blob.h>

bool channel_end_writes(uint32_t flags, unsigned end)
{
	return flags & (end == 0 ? BH_POLICY_CH_WRITE_01 : BH_POLICY_CH_WRITE_10);
}

bool channel_end_signals(uint32_t flags, unsigned end)
{
	return flags & (end == 0 ? BH_POLICY_CH_EVENT_01 : BH_POLICY_CH_EVENT_10);
}

static bool both_write(uint32_t flags)
{
	return (flags & BH_POLICY_CH_WRITE) == BH_POLICY_CH_WRITE;
}

uint32_t channel_end_flags(uint32_t flags, unsigned end)
{
	return BH_CHANNEL_READ |
	       (channel_end_writes(flags, end) ? BH_CHANNEL_WRITE : 0) |
	       (channel_end_signals(flags, end) ? BH_CHANNEL_SIGNAL : 0) |
	       (channel_end_signals(flags, 1 - end) ? BH_CHANNEL_EVENTS : 0) |
	       channel_stat_flags(flags);
}

uint32_t channel_stat_flags(uint32_t flags)
{
	return both_write(flags) ? BH_CHANNEL_BOTH : 0;
}

const char *channel_direction(uint32_t flags)
{
	if (both_write(flags))
		return "both ways";
	return flags & BH_POLICY_CH_WRITE_01 ? "one way, first to second"
	                                     : "one way, second to first";
}
