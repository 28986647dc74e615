/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Dispatch: the VM's name picks the probe, its prefix the area. The same
 * image serves every probe VM of a system, so a test lists probes only in
 * its `vms` file.
 */
#include "isolation.h"

static const struct bh_role areas[] = {
	{ "mem-*",  memory_probe },
	{ "io-*",   ioport_probe },
	{ "msr-*",  msr_probe },
	{ "insn-*", insn_probe },
	{ "hc-*",   hypercall_probe },
	{ "state-*", state_probe },
	{ "cpuid-*", cpuid_probe },
};

const char *probe_name(void)
{
	return bh_start_info()->name;
}

int probe_unknown(void)
{
	bh_printf("FAIL no probe is called '%s'\n", probe_name());
	return PROBE_UNKNOWN;
}

int main(void)
{
	return bh_role_run(areas, sizeof(areas) / sizeof(areas[0]));
}
