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

static int idle(void)
{
	for (;;)
		bh_wait(BH_WAIT_FOREVER);
	return 0;
}

static const struct bh_role roles[] = {
	{ "mark*", marking },
	{ "scan*", scan },
	{ "*",     idle },
};

int main(void)
{
	return bh_role_run(roles, sizeof(roles) / sizeof(roles[0]));
}
