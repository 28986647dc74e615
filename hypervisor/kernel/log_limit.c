/* SPDX-License-Identifier: GPL-2.0-only */
#include "kernel/log_limit.h"

/* Each line let through moves full_at one interval later; the bucket holds
 * burst lines, so a line fits while full_at is less than burst intervals
 * ahead (the generic cell rate algorithm: one number, no division). */
bool log_limit_allow(struct log_limit *l, uint64_t now, uint64_t interval, unsigned burst)
{
	uint64_t full_at = l->full_at > now ? l->full_at : now;

	if (full_at - now > (uint64_t)(burst - 1) * interval) {
		l->suppressed++;
		return false;
	}
	l->full_at = full_at + interval;
	return true;
}
