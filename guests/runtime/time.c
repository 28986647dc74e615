/* SPDX-License-Identifier: GPL-2.0-only */
/* Sleeping on BH_HC_WAIT timeouts (contract: bulkhead/runtime.h). */
#include <bulkhead/runtime.h>

#include "rt.h"

/*
 * A wait can end early (an event arrives) and the ABI lets it end late, so
 * loop until the clock says the deadline has passed. Events are not ours
 * to consume: they are stashed for the app's next bh_wait.
 */
void bh_sleep_ns(uint64_t ns)
{
	uint64_t now = bh_time_ns();
	uint64_t deadline = ns > UINT64_MAX - now ? UINT64_MAX : now + ns;

	while (now < deadline) {
		int64_t r = rt_hc_wait(deadline - now);
		if (r > 0)
			rt_stash_events((uint64_t)r);
		now = bh_time_ns();
	}
}
