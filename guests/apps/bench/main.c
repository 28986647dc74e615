/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Bulkhead's benchmarks (docs/benchmarks.md, run by tests/bench/run.py).
 * One image, several roles; the VM's name from the boot-VM list picks one:
 *
 *   bench-null          the null-hypercall round trip, alone in its system
 *   bench-a, bench-b    the VM-switch round trip, the only two VMs of their
 *                       system; bench-a reports, bench-b cross-checks
 *
 * Each first notes the kernel's TSC frequency: where the TSC follows the
 * host's clock (QEMU), the runner turns cycles into nanoseconds with it.
 */
#include <bulkhead/role.h>
#include <bulkhead/runtime.h>

#include "bench.h"

static int bench_a(void)
{
	return bench_switch(true);
}

static int bench_b(void)
{
	return bench_switch(false);
}

static const struct bh_role roles[] = {
	{ "bench-null", bench_null },
	{ "bench-a",    bench_a },
	{ "bench-b",    bench_b },
};

int main(void)
{
	bh_printf("note: tsc_hz %llu\n", (unsigned long long)bh_start_info()->tsc_hz);
	return bh_role_run(roles, sizeof(roles) / sizeof(roles[0]));
}
