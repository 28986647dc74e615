/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * scrub-check: shows that memory passed from one VM to the next holds
 * nothing of the first tenant (tests/system/test_cli.py). Its VM name
 * picks what it does, so one image serves every role:
 *
 *   mark...  writes the marker over all its free memory (below the image,
 *            from the end of the kernel-built page tables; the heap; the
 *            stack below its own frame), prints "mark: wrote N bytes" and
 *            exits 0. The heap is gone after that: no bh_malloc.
 *   scan...  reads every mapped byte of its memory, [0x1000, mem_size),
 *            for the marker and prints "scan: clean (N bytes checked)",
 *            or "FAIL scan: found marker at 0x..." for the first few
 *            places and exits 1.
 *   fill...  one end of channel "probe" (tests/system/test_smp.py): once
 *            the channel is up, writes the marker over the channel and
 *            over its memory below the image, notifies the peer, prints
 *            "fill: wrote the channel" and spins until it is stopped.
 *   touch... the other end: once notified, reads the whole channel for
 *            the marker, again and again, polling its events between
 *            passes. Told the peer is gone, it reads it once more (what
 *            the peer left is still there until it waits again) and goes
 *            on: the kernel has unmapped the channel by the next pass,
 *            and stops it. A word that is not the marker (memory scrubbed
 *            or reused under it) prints "FAIL touch: ..." and exits 1.
 *   other    waits until it is stopped, doing nothing (for launch/stop
 *            cycles that should cost as little as possible).
 *
 * The marker is made at run time from a seed, so its value is in no
 * image (the scanner's own text and data would otherwise match), and
 * lives only in registers while the loops run.
 */
#include <bulkhead/role.h>
#include <bulkhead/runtime.h>

#define SHOW_MAX 4

static volatile uint64_t seed = 0x5bd1e9955bd1e995ull;

static uint64_t marker(void)
{
	uint64_t x = seed;
	x ^= x >> 29;
	x *= 0xbf58476d1ce4e5b9ull;
	return x ^ (x >> 32);
}

static uint64_t fill(uint64_t from, uint64_t to, uint64_t m)
{
	from = (from + 7) & ~7ull;
	to &= ~7ull;
	for (uint64_t a = from; a < to; a += 8)
		*(volatile uint64_t *)(uintptr_t)a = m;
	return to > from ? to - from : 0;
}

/* Below this function's frame nothing is live: it calls nothing while
 * it fills, so the stack under RSP (minus a margin) is free to write. */
__attribute__((noinline)) static uint64_t mark(const struct bh_start_info *si)
{
	uint64_t m = marker(), rsp;

	asm volatile("mov %%rsp, %0" : "=r"(rsp));
	uint64_t n = fill(BH_GUEST_PT_END, BH_GUEST_IMAGE_BASE, m);
	n += fill(si->image_end, si->stack_top - si->stack_size, m);
	return n + fill(si->stack_top - si->stack_size, rsp - 256, m);
}

static int marking(void)
{
	uint64_t n = mark(bh_start_info());

	bh_printf("mark: wrote %llu bytes\n", (unsigned long long)n);
	return 0;
}

static int scan(void)
{
	const struct bh_start_info *si = bh_start_info();
	uint64_t m = marker(), found = 0;

	for (uint64_t a = BH_GUEST_PAGE_SIZE; a < si->mem_size; a += 8) {
		if (*(volatile uint64_t *)(uintptr_t)a != m)
			continue;
		if (found++ < SHOW_MAX)
			bh_printf("FAIL scan: found marker at 0x%llx\n", (unsigned long long)a);
	}
	if (found) {
		bh_printf("FAIL scan: the marker is in %llu places\n",
		          (unsigned long long)found);
		return 1;
	}
	bh_printf("scan: clean (%llu bytes checked)\n",
	          (unsigned long long)(si->mem_size - BH_GUEST_PAGE_SIZE));
	return 0;
}

#define PROBE_CHANNEL "probe"

static int open_probe(struct bh_channel *ch)
{
	int rc = bh_channel_open(PROBE_CHANNEL, ch);
	if (rc)
		bh_printf("FAIL cannot open channel %s: error %d\n", PROBE_CHANNEL, rc);
	return rc;
}

static int filling(void)
{
	struct bh_channel ch;
	if (open_probe(&ch))
		return 1;
	/* The region is scrubbed as the second end starts: write after. */
	while (!(ch.flags & BH_CHANNEL_UP)) {
		bh_wait(BH_WAIT_FOREVER);
		if (open_probe(&ch))
			return 1;
	}
	uint64_t base = (uintptr_t)ch.base;
	fill(base, base + ch.size, marker());
	fill(BH_GUEST_PT_END, BH_GUEST_IMAGE_BASE, marker());
	int rc = bh_channel_notify(&ch);
	bh_printf("fill: wrote the channel (%llu KiB), notified: %d\n",
	          (unsigned long long)(ch.size >> 10), rc);
	for (;;)
		asm volatile("pause");
	return 0;
}

/* Offset of the first word of the channel that is not the marker, or
 * size if all are. */
static uint64_t first_stranger(const struct bh_channel *ch, uint64_t m)
{
	const volatile uint64_t *w = ch->base;
	for (uint64_t i = 0; i < ch->size / 8; i++)
		if (w[i] != m)
			return i * 8;
	return ch->size;
}

static int touching(void)
{
	struct bh_channel ch;
	uint64_t m = marker(), passes = 0, at;
	bool told = false;

	fill(BH_GUEST_PT_END, BH_GUEST_IMAGE_BASE, m);
	if (open_probe(&ch))
		return 1;
	while (!bh_channel_has_data(&ch, bh_channel_wait(&ch, BH_WAIT_FOREVER)))
		;
	bh_printf("touch: reading channel %s (%llu KiB)\n", PROBE_CHANNEL,
	          (unsigned long long)(ch.size >> 10));
	for (;;) {
		at = first_stranger(&ch, m);
		if (at != ch.size) {
			bh_printf("FAIL touch: pass %llu read 0x%llx at +0x%llx, not the marker\n",
			          (unsigned long long)passes,
			          (unsigned long long)((const volatile uint64_t *)ch.base)[at / 8],
			          (unsigned long long)at);
			return 1;
		}
		passes++;
		if (told)
			bh_printf("touch: read it whole after being told (pass %llu); "
			          "waiting again\n", (unsigned long long)passes);
		int64_t ev = bh_wait(BH_WAIT_POLL);
		if (bh_channel_is_gone(&ch, ev)) {
			told = true;
			bh_printf("touch: told the peer is gone after %llu passes\n",
			          (unsigned long long)passes);
		} else if (told) {
			bh_printf("touch: waited again; the next pass must fault\n");
		}
	}
	return 0;
}

static int idle(void)
{
	for (;;)
		bh_wait(BH_WAIT_FOREVER);
	return 0;
}

static const struct bh_role roles[] = {
	{ "mark*", marking },
	{ "scan*", scan },
	{ "fill*", filling },
	{ "touch*", touching },
	{ "*",     idle },
};

int main(void)
{
	return bh_role_run(roles, sizeof(roles) / sizeof(roles[0]));
}
