/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What a channel's policy flags (BH_POLICY_CH_*) give each of its two ends:
 * how its EPT maps the memory, whether it may notify its peer, and the
 * BH_CHANNEL_* flags it is shown (docs/channels.md). Pure, so host tests
 * cover every combination; kernel/channel.c only applies the answers.
 * end is 0 for the VM the policy's "between" names first, 1 for the other.
 */
#ifndef KERNEL_CHANNEL_RIGHTS_H
#define KERNEL_CHANNEL_RIGHTS_H

#include <stdbool.h>
#include <stdint.h>

/* True if end may write the memory: its EPT maps it writable, else
 * read-only (never executable either way). */
bool channel_end_writes(uint32_t flags, unsigned end);

/* True if end may raise its peer's data event (BH_HC_CHANNEL_NOTIFY). */
bool channel_end_signals(uint32_t flags, unsigned end);

/* The flags BH_HC_CHANNEL_FIND gives end (struct bh_channel_info):
 * READ always, WRITE, SIGNAL, EVENTS (the peer may signal it), BOTH. */
uint32_t channel_end_flags(uint32_t flags, unsigned end);

/* The flags BH_HC_CHANNELS shows for the channel (struct
 * bh_channel_stat): BH_CHANNEL_BOTH if both ends write, else 0. */
uint32_t channel_stat_flags(uint32_t flags);

/* Which way data flows, as the kernel logs it: "both ways", "one way,
 * first to second" or "one way, second to first". */
const char *channel_direction(uint32_t flags);

#endif
