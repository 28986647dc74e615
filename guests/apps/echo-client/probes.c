/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The channel probes (client.h): what a VM may not do with channels.
 *
 * intruder, outsider   look up and notify channels they do not hold.
 * ro-writer, ro-reader the two ends of one-way channel "oneway": the
 *                      reader may read and be woken, nothing more.
 *
 * The lookups and notifications are made twice: through the runtime
 * (bh_channel_open, bh_channel_notify), and with a VMCALL of this file's
 * own, so that the kernel's answer is checked even where the runtime could
 * refuse on its own before asking.
 */
#include "client.h"

/* The one-way channel: messages the writer sends before the reader's
 * probe, and after the reader has gone. */
#define RO_CHANNEL      "oneway"
#define RO_MESSAGES     8u
#define RO_LEN          1000u
#define RO_MORE         4u
#define RO_TIMEOUT_NS   (30ull * BH_NS_PER_S)

/* Handles a VM holding no channel must not be able to use: the first, the
 * last a VM could hold, one past it, and ones that only fit in 64 bits. */
static const uint64_t not_held[] = {
	0, 1, 2, BH_CHANNELS_PER_VM - 1, BH_CHANNELS_PER_VM, 63, 1ull << 32,
	0xffffffffffffffffull,
};

static int64_t raw_hypercall(uint64_t nr, uint64_t a0, uint64_t a1)
{
	int64_t ret;

	asm volatile("vmcall" : "=a"(ret) : "a"(nr), "D"(a0), "S"(a1) : "memory", "cc");
	return ret;
}

static int64_t raw_find(const char *name, struct bh_channel_info *info)
{
	return raw_hypercall(BH_HC_CHANNEL_FIND, (uintptr_t)name, (uintptr_t)info);
}

static int64_t raw_notify(uint64_t handle)
{
	return raw_hypercall(BH_HC_CHANNEL_NOTIFY, handle, 0);
}

/* FIND of name is refused with -EPERM and leaves *info untouched. */
static void check_find_refused(struct bh_tally *t, const char *name, const char *why)
{
	struct bh_channel_info info;
	struct bh_channel ch;

	memset(&info, 0xa5, sizeof(info));
	memset(&ch, 0x5a, sizeof(ch));
	int64_t raw = raw_find(name, &info);
	bool untouched = true;
	for (size_t i = 0; i < sizeof(info); i++)
		untouched &= ((unsigned char *)&info)[i] == 0xa5;
	bh_check(t, raw == -BH_EPERM && untouched, "BH_HC_CHANNEL_FIND \"%s\" (%s): %lld, "
	         "info %s", name, why, (long long)raw, untouched ? "untouched" : "WRITTEN");
	int rc = bh_channel_open(name, &ch);
	bh_check(t, rc == -BH_EPERM && ch.handle == 0x5a5a5a5au,
	         "bh_channel_open \"%s\": %d, nothing filled in", name, rc);
}

int probe_intruder(bool has_right)
{
	struct bh_tally t = { 0 };
	const char *why = has_right ? "it joins two other VMs" : "no channel right";

	check_find_refused(&t, "echo", why);
	check_find_refused(&t, "no-such-channel", "no channel of that name");
	for (size_t i = 0; i < sizeof(not_held) / sizeof(not_held[0]); i++) {
		int64_t rc = raw_notify(not_held[i]);
		bh_check(&t, rc == -BH_EPERM,
		         "BH_HC_CHANNEL_NOTIFY of handle %#llx, not held: %lld",
		         (unsigned long long)not_held[i], (long long)rc);
	}
	struct bh_channel fake = { .handle = 0, .flags = BH_CHANNEL_READ | BH_CHANNEL_SIGNAL };
	int rc = bh_channel_notify(&fake);
	bh_check(&t, rc == -BH_EPERM, "bh_channel_notify of a made-up handle 0: %d", rc);
	int64_t ev = bh_wait(BH_WAIT_POLL);
	bh_check(&t, ev == -BH_ETIMEDOUT, "no event reached this VM: BH_HC_WAIT(poll) %lld",
	         (long long)ev);
	int status = bh_tally_summary(&t);
	if (!has_right)
		return status;

	/* No channel, no shared memory: nothing is mapped where this VM's
	 * first channel would be, even once its own page tables map it. */
	uint64_t gpa = BH_GUEST_CHANNEL_BASE;
	rc = bh_map_range(gpa, BH_GUEST_PAGE_SIZE, false);
	if (rc) {
		bh_printf("FAIL cannot map 0x%llx in this VM's page tables: %d\n",
		          (unsigned long long)gpa, rc);
		return 1;
	}
	bh_probe_say("read 0x%llx, where a first channel would be mapped", (unsigned long long)gpa);
	uint64_t v = *(volatile uint64_t *)(uintptr_t)gpa;
	return bh_probe_not_contained("read 0x%llx returned 0x%llx", (unsigned long long)gpa,
	                              (unsigned long long)v);
}

/* Opens RO_CHANNEL and checks this end's flags against want, plus
 * BH_CHANNEL_UP: both ends are boot VMs, so the channel is up. */
static bool open_oneway(struct bh_tally *t, struct bh_channel *ch, uint32_t want)
{
	int rc = bh_channel_open(RO_CHANNEL, ch);

	want |= BH_CHANNEL_UP;
	if (!bh_check(t, rc == 0, "bh_channel_open \"%s\": %d", RO_CHANNEL, rc))
		return false;
	bh_check(t, ch->flags == want, "flags %#x (want %#x), %llu KiB at 0x%llx", ch->flags, want,
	         (unsigned long long)(ch->size >> 10), (unsigned long long)(uintptr_t)ch->base);
	return true;
}

static void fill(unsigned char *buf, uint32_t msg, uint32_t len)
{
	for (uint32_t j = 0; j < len; j++)
		buf[j] = echo_pattern(msg, j);
}

int probe_ro_writer(void)
{
	struct bh_tally t = { 0 };
	struct bh_channel ch;
	struct bh_ring ring, other;
	unsigned char msg[RO_LEN];

	if (!open_oneway(&t, &ch, BH_CHANNEL_READ | BH_CHANNEL_WRITE | BH_CHANNEL_SIGNAL))
		return bh_tally_summary(&t);
	int rc = bh_ring_init_consumer(&other, &ch);
	bh_check(&t, rc == -BH_EPERM, "the writing end cannot be a consumer: %d", rc);
	rc = bh_ring_init_producer(&ring, &ch);
	if (!bh_check(&t, rc == 0 && ring.mode == BH_RING_OVERWRITE,
	              "producer of an overwrite ring: %d, mode %u", rc, ring.mode))
		return bh_tally_summary(&t);

	int failed = 0;
	for (uint32_t i = 0; i < RO_MESSAGES; i++) {
		fill(msg, i, RO_LEN);
		failed |= bh_ring_send(&ring, msg, RO_LEN) != 0;
	}
	bh_check(&t, !failed, "wrote %u messages of %u bytes", RO_MESSAGES, RO_LEN);
	unsigned char *snapshot = bh_malloc(ch.size);
	if (!snapshot) {
		bh_printf("FAIL no memory for a copy of the channel\n");
		return 1;
	}
	memcpy(snapshot, ch.base, ch.size);

	int64_t ev;
	do
		ev = bh_channel_wait(&ch, RO_TIMEOUT_NS);
	while (ev > 0 && !bh_channel_is_gone(&ch, ev));
	if (!bh_check(&t, ev > 0 && bh_channel_peer_gone(&ch),
	              "told the reader is gone: events %#llx", (unsigned long long)ev))
		return bh_tally_summary(&t);
	bh_printf("the reader is gone; still running\n");

	bh_check(&t, !memcmp(snapshot, ch.base, ch.size),
	         "the channel's %llu bytes are as this end left them",
	         (unsigned long long)ch.size);
	failed = 0;
	for (uint32_t i = 0; i < RO_MORE; i++) {
		fill(msg, RO_MESSAGES + i, RO_LEN);
		rc = bh_ring_send(&ring, msg, RO_LEN);
		failed |= rc != 0 && rc != -BH_EPIPE;
	}
	bh_check(&t, !failed, "wrote %u more messages after the reader stopped (last: %d)",
	         RO_MORE, rc);
	rc = bh_channel_notify(&ch);
	bh_check(&t, rc == -BH_EPIPE, "notify after the reader stopped: %d", rc);
	return bh_tally_summary(&t);
}

int probe_ro_reader(void)
{
	struct bh_tally t = { 0 };
	struct bh_channel ch;
	struct bh_ring ring, other;
	unsigned char msg[RO_LEN];

	if (!open_oneway(&t, &ch, BH_CHANNEL_READ | BH_CHANNEL_EVENTS))
		return bh_tally_summary(&t);
	int rc = bh_ring_init_producer(&other, &ch);
	bh_check(&t, rc == -BH_EPERM, "the reading end cannot be a producer: %d", rc);
	rc = bh_ring_init_consumer(&ring, &ch);
	if (!bh_check(&t, rc == 0, "consumer: %d", rc))
		return bh_tally_summary(&t);

	uint32_t good = 0;
	for (uint32_t i = 0; i < RO_MESSAGES; i++) {
		int n = bh_ring_recv_wait(&ring, msg, sizeof(msg), RO_TIMEOUT_NS);
		if (n != (int)RO_LEN) {
			bh_printf("FAIL message %u: %d\n", i + 1, n);
			break;
		}
		uint32_t j = 0;
		while (j < RO_LEN && msg[j] == echo_pattern(i, j))
			j++;
		if (j < RO_LEN) {
			bh_printf("FAIL message %u byte %u is 0x%02x, written 0x%02x\n", i + 1, j,
			          msg[j], echo_pattern(i, j));
			break;
		}
		good++;
	}
	bh_check(&t, good == RO_MESSAGES, "read %u of %u messages, every byte as written", good,
	         RO_MESSAGES);
	rc = bh_channel_notify(&ch);
	bh_check(&t, rc == -BH_EPERM, "bh_channel_notify, this end may not signal: %d", rc);
	int64_t raw = raw_notify(ch.handle);
	bh_check(&t, raw == -BH_EPERM, "BH_HC_CHANNEL_NOTIFY of its own handle %u: %lld", ch.handle,
	         (long long)raw);
	if (bh_tally_summary(&t))
		return 1;

	/* EPT alone must keep the view read-only: map it writable in this
	 * VM's own page tables (ring 0 may), then write. */
	uint64_t gpa = (uintptr_t)ch.base;
	rc = bh_map_range(gpa, ch.size, true);
	if (rc) {
		bh_printf("FAIL cannot map 0x%llx writable in this VM's page tables: %d\n",
		          (unsigned long long)gpa, rc);
		return 1;
	}
	bh_probe_say("write 0x%llx, this VM's read-only view of channel %s",
	             (unsigned long long)gpa, RO_CHANNEL);
	*(volatile uint64_t *)(uintptr_t)gpa = 0x5a5a5a5a5a5a5a5aull;
	return bh_probe_not_contained("the write to 0x%llx went through", (unsigned long long)gpa);
}
