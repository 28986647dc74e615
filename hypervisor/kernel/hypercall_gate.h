/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The hypercall rights gate: which policy right each hypercall needs, as
 * the hypercall list (BH_HYPERCALLS, bulkhead/hypercall.h) says. Pure, so
 * the host tests hold it to the list and to docs/hypercalls.md.
 */
#ifndef KERNEL_HYPERCALL_GATE_H
#define KERNEL_HYPERCALL_GATE_H

#include <stdint.h>

/*
 * Whether a VM holding `rights` may make hypercall nr: 0 if so;
 * -BH_ENOSYS if nr is not assigned (whatever the rights), else -BH_EPERM
 * if the right it needs is not among them (deny by default: the policy did
 * not grant it). docs/hypercalls.md: the number check, then the right,
 * before any of the call's own.
 */
int hypercall_gate(uint64_t nr, uint32_t rights);

#endif
