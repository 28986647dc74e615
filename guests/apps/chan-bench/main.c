/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * chan-bench: channel throughput, round trip and exits (chanbench.h,
 * docs/benchmarks.md). Dispatch by VM name, and the pieces both roles use.
 */
#include "chanbench.h"

int end_open(struct end *e)
{
	int rc = bh_channel_open(BENCH_CHANNEL, &e->ch);

	if (rc) {
		bh_printf("note: cannot open channel %s: error %d\n", BENCH_CHANNEL, rc);
		return rc;
	}
	rc = bh_ring_init_producer(&e->tx, &e->ch);
	if (!rc)
		rc = bh_ring_init_consumer(&e->rx, &e->ch);
	if (rc) {
		bh_printf("note: channel %s: no ring pair (error %d): flags %#x\n", BENCH_CHANNEL,
		          rc, e->ch.flags);
		return rc;
	}
	if (bh_ring_max_msg(&e->tx) < BENCH_MSG || bh_ring_max_msg(&e->rx) < BENCH_MSG) {
		bh_printf("note: channel %s takes messages up to %u bytes, not %u: make it "
		          "larger\n", BENCH_CHANNEL, bh_ring_max_msg(&e->tx), BENCH_MSG);
		return -BH_E2BIG;
	}
	return 0;
}

const char *decimal(char *buf, size_t size, uint64_t value, uint64_t div, unsigned digits)
{
	uint64_t scale = 1;

	for (unsigned i = 0; i < digits; i++)
		scale *= 10;
	uint64_t fixed = div ? value * scale / div : 0;   /* truncated */
	bh_snprintf(buf, size, "%llu.%0*llu", (unsigned long long)(fixed / scale), (int)digits,
	            (unsigned long long)(fixed % scale));
	return buf;
}

static const struct bh_role roles[] = {
	{ "bench-tx", bench_tx },
	{ "bench-rx", bench_rx },
};

int main(void)
{
	return bh_role_run(roles, sizeof(roles) / sizeof(roles[0]));
}
