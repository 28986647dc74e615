/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * echo-server: sends every request that arrives on channel "echo" back
 * unchanged (tests/system/test_channels.py, test_channels_runtime.py). Its
 * role is picked by the VM's name:
 *
 *   echo-keeper   serves every peer in turn: when one is gone it waits for
 *                 the peer's end to be launched anew (the channel comes up
 *                 again, docs/channels.md) and serves that one too; it
 *                 never exits by itself
 *   any other     serves until the peer is gone, then exits 0
 *
 * The channel must be two-way (docs/channels.md): requests arrive on the
 * ring the peer produces, replies leave on the ring this end produces.
 * Either end of the policy's "between" may be the server.
 *
 * A peer ends however it ends (it exited, or the kernel stopped it
 * mid-stream): the ring helpers return -BH_EPIPE, and the server says
 * where it was at that moment. Exit status 1 means the channel or a ring
 * misbehaved; the line before says how.
 */
#include <bulkhead/channel.h>
#include <bulkhead/ring.h>
#include <bulkhead/role.h>
#include <bulkhead/runtime.h>

#define CHANNEL "echo"

/* The channel, kept for the VM's life: rings point at it. */
static struct bh_channel ch;

static int open_channel(void)
{
	int rc = bh_channel_open(CHANNEL, &ch);
	if (rc)
		bh_printf("FAIL cannot open channel %s: error %d\n", CHANNEL, rc);
	return rc;
}

/* Serves the current peer until it is gone, then says so, ending the line
 * with `then`: 0, or 1 after a FAIL line. */
static int serve(const char *then)
{
	struct bh_ring requests, replies;
	static unsigned char *buf;
	uint64_t served = 0, bytes = 0;

	int rc = bh_ring_init_consumer(&requests, &ch);
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
	if (!buf)
		buf = bh_malloc(max);   /* the same size for every peer */
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
			          "%llu bytes%s\n", (unsigned long long)served + 1,
			          (unsigned long long)served, (unsigned long long)bytes, then);
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
			          "requests, %llu bytes%s\n", (unsigned long long)served + 1,
			          n, (unsigned long long)served, (unsigned long long)bytes, then);
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

static int echo_server(void)
{
	return open_channel() ? 1 : serve("; exiting");
}

/* Waits until the channel is up with a generation above served: the
 * kernel raises the channel's data event as a peer launched anew brings
 * it up, and a reopen shows it. 0, or 1 after a FAIL line. */
static int wait_for_peer(uint32_t served)
{
	for (;;) {
		if ((ch.flags & BH_CHANNEL_UP) && ch.generation > served)
			return 0;
		bh_channel_note_events(bh_wait(BH_WAIT_FOREVER));
		if (open_channel())
			return 1;
	}
}

static int echo_keeper(void)
{
	if (open_channel())
		return 1;
	for (;;) {
		/* The peer served is the one running now, or else the next to
		 * come: the channel's generation then. */
		uint32_t served = ch.generation + ((ch.flags & BH_CHANNEL_UP) ? 0 : 1);
		if (serve(""))
			return 1;
		bh_printf("waiting for a peer launched anew (generation %u served)\n", served);
		if (open_channel() || wait_for_peer(served))
			return 1;
		bh_printf("a peer is back: generation %u\n", ch.generation);
	}
}

static const struct bh_role roles[] = {
	{ "echo-keeper", echo_keeper },
	{ "*",           echo_server },
};

int main(void)
{
	return bh_role_run(roles, sizeof(roles) / sizeof(roles[0]));
}
