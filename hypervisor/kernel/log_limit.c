/* SPDX-License-Identifier: GPL-2.0-only */
#include "kernel/log_limit.h"

/* Each item let through moves full_at `cost` later; an item fits while that
 * leaves full_at at most `capacity` ahead of now (the generic cell rate
 * algorithm: one number, no division). */
bool log_limit_allow(struct log_limit *l, uint64_t now, uint64_t cost, uint64_t capacity)
{
	uint64_t full_at = l->full_at > now ? l->full_at : now;

	if (full_at - now > capacity - cost) {
		l->suppressed++;
		return false;
	}
	l->full_at = full_at + cost;
	return true;
}
