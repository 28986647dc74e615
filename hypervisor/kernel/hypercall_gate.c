/* SPDX-License-Identifier: GPL-2.0-only */
#include "kernel/hypercall_gate.h"

#include <bulkhead/errno.h>
#include <bulkhead/hypercall.h>
#include <bulkhead/policy_blob.h>

#define RIGHT(nr, NAME, handler, right) [nr] = (right),
static const uint32_t needs[BH_HC_COUNT] = { BH_HYPERCALLS(RIGHT) };
#undef RIGHT

int hypercall_gate(uint64_t nr, uint32_t rights)
{
	if (nr >= BH_HC_COUNT)
		return -BH_ENOSYS;
	if ((rights & needs[nr]) != needs[nr])
		return -BH_EPERM;
	return 0;
}
