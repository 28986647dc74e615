/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The hypercall rights gate: which policy right each hypercall needs, as
 * the hypercall list (BH_HYPERCALLS, bulkhead/hypercall.h) says. Pure, so
 * the host tests hold it to the list and to docs/hypercalls.md; inline,
 * because every hypercall passes it.
 */
#ifndef KERNEL_HYPERCALL_GATE_H
#define KERNEL_HYPERCALL_GATE_H

#include <stdint.h>

#include <bulkhead/errno.h>
#include <bulkhead/hypercall.h>
#include <bulkhead/policy_blob.h>

/*
 * Whether a VM holding `rights` may make hypercall nr: 0 if so;
 * -BH_ENOSYS if nr is not assigned (whatever the rights), else -BH_EPERM
 * if the right it needs is not among them (deny by default: the policy did
 * not grant it). docs/hypercalls.md: the number check, then the right,
 * before any of the call's own.
 */
static inline int hypercall_gate(uint64_t nr, uint32_t rights)
{
#define HYPERCALL_RIGHT(nr, NAME, handler, right) [nr] = (right),
	static const uint32_t needs[BH_HC_COUNT] = { BH_HYPERCALLS(HYPERCALL_RIGHT) };
#undef HYPERCALL_RIGHT
	if (nr >= BH_HC_COUNT || !(BH_HC_ASSIGNED >> nr & 1))
		return -BH_ENOSYS;
	if ((rights & needs[nr]) != needs[nr])
		return -BH_EPERM;
	return 0;
}

#endif
