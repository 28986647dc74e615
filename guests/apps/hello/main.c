/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The smallest useful native app: says who it is (BH_HC_SELF) and what it
 * was given (start-info page, heap), then exits with status 0.
 */
#include <bulkhead/runtime.h>

int main(void)
{
	char name[BH_GUEST_NAME_MAX];
	int64_t id = bh_self(name, sizeof(name));

	if (id < 0) {
		bh_printf("hello: BH_HC_SELF failed: %ld\n", (long)id);
		return 1;
	}
	bh_printf("hello from %s (vm %ld)\n", name, (long)id);

	const struct bh_start_info *si = bh_start_info();
	struct bh_malloc_stats ms;
	bh_malloc_stats(&ms);
	bh_printf("memory %lu KiB, heap %zu KiB free, up %lu us\n",
	          (unsigned long)(si->mem_size / 1024), ms.free_bytes / 1024,
	          (unsigned long)(bh_time_ns() / BH_NS_PER_US));
	return 0;
}
