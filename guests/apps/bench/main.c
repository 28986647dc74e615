/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Bulkhead's benchmarks (docs/benchmarks.md, run by tests/bench/run.py).
 * One image, several roles; the VM's name from the boot-VM list picks one:
 *
 *   bench-null          the null-hypercall round trip, alone in its system
 *   bench-a, bench-b    the VM-switch round trip, the only two VMs of their
 *                       system; bench-a reports, bench-b cross-checks
 */
#include <bulkhead/runtime.h>

#include "bench.h"

int main(void)
{
	char name[BH_GUEST_NAME_MAX];
	int64_t id = bh_self(name, sizeof(name));

	if (id < 0) {
		bh_printf("note: BH_HC_SELF failed: %ld\n", (long)id);
		return 1;
	}
	if (!strcmp(name, "bench-null"))
		return bench_null();
	if (!strcmp(name, "bench-a"))
		return bench_switch(true);
	if (!strcmp(name, "bench-b"))
		return bench_switch(false);
	bh_printf("note: no benchmark for a VM named '%s' "
	          "(bench-null, bench-a or bench-b)\n", name);
	return 1;
}
