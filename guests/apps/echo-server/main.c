/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * echo-server: sends every request that arrives on channel "echo" back
 * unchanged, until the peer is gone (tests/system/test_channels.py).
 *
 * The channel must be two-way (docs/channels.md): requests arrive on the
 * ring the peer produces, replies leave on the ring this end produces.
 * Either end of the policy's "between" may be the server.
 *
 * It ends when the peer does, however the peer ended (it exited, or the
 * kernel stopped it mid-stream): the ring helpers return -BH_EPIPE, and
 * the server says where it was at that moment and exits 0. Exit status 1
 * means the channel or a ring misbehaved; the line before says how.
 */
#include <bulkhead/channel.h>
#include <bulkhead/ring.h>
#include <bulkhead/runtime.h>

#define CHANNEL "echo"

int main(void)
{
	struct bh_channel ch;
	struct bh_ring requests, replies;
	uint64_t served = 0, bytes = 0;
	int rc;

	rc = bh_channel_open(CHANNEL, &ch);
	if (rc) {
		bh_printf("FAIL cannot open channel %s: error %d\n", CHANNEL, rc);
		return 1;
	}
	rc = bh_ring_init_consumer(&requests, &ch);
	if (!rc)
		rc = bh_ring_init_producer(&replies, &ch);
	if (rc) {
		bh_printf("FAIL channel %s: no ring pair (error %d): flags %#x, %llu bytes\n",
		          CHANNEL, rc, ch.flags, (unsigned long long)ch.size);
		return 1;
	}
	uint32_t max = bh_ring_max_msg(&requests);
	if (bh_ring_max_msg(&replies) < max)
		max = bh_ring_max_msg(&replies);
	unsigned char *buf = bh_malloc(max);
	if (!buf) {
		bh_printf("FAIL no memory for a %u-byte message\n", max);
		return 1;
	}
	bh_printf("serving channel %s: end %u, %llu KiB, messages up to %u bytes\n",
	          CHANNEL, ch.end, (unsigned long long)(ch.size >> 10), max);

	for (;;) {
		int n = bh_ring_recv_wait(&requests, buf, max, BH_WAIT_FOREVER);
		if (n == -BH_EPIPE) {
			bh_printf("peer gone while waiting for request %llu: served %llu requests, "
			          "%llu bytes; exiting\n", (unsigned long long)served + 1,
			          (unsigned long long)served, (unsigned long long)bytes);
			return 0;
		}
		if (n < 0) {
			bh_printf("FAIL receiving request %llu: error %d\n",
			          (unsigned long long)served + 1, n);
			return 1;
		}
		rc = bh_ring_send_wait(&replies, buf, (uint32_t)n, BH_WAIT_FOREVER);
		if (rc == -BH_EPIPE) {
			bh_printf("peer gone while sending reply %llu (%d bytes): served %llu "
			          "requests, %llu bytes; exiting\n", (unsigned long long)served + 1,
			          n, (unsigned long long)served, (unsigned long long)bytes);
			return 0;
		}
		if (rc) {
			bh_printf("FAIL sending reply %llu (%d bytes): error %d\n",
			          (unsigned long long)served + 1, n, rc);
			return 1;
		}
		served++;
		bytes += (uint64_t)n;
	}
}
