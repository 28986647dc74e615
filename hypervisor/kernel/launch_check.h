/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The checks BH_HC_VM_LAUNCH makes once it knows the template and the
 * caller's launch rule, before it takes anything: the name, the run-time
 * pool, the rule's quota and the CPU. Pure: it reads the VM list it is
 * given and changes nothing, so host tests cover every edge.
 */
#ifndef KERNEL_LAUNCH_CHECK_H
#define KERNEL_LAUNCH_CHECK_H

#include <stdint.h>

#include <bulkhead/policy_blob.h>

#include "kernel/vm.h"

/* The whole CPU, in parts per million. */
#define CPU_PPM_ALL 1000000u

/*
 * Whether c (vm_config_from_policy, c->launched_by the caller) may be
 * launched under the caller's rule, with pool_free bytes free in the
 * run-time pool, beside the VMs on the list from first. A Linux VM's
 * memory is its own plus its monitor's (c->monitor_memory), and the pair
 * counts as one VM. Returns 0, or the first that applies, in this order
 * (docs/hypercalls.md):
 *   -BH_EEXIST  a live VM is called c->name;
 *   -BH_ENOMEM  c->memory is more than the pool has free (the pool comes
 *               first: when it is full, that is what the user must hear,
 *               even if the rule's quota, never above the pool, is reached
 *               too);
 *   -BH_EDQUOT  the caller already holds rule->max_vms VMs, or their
 *               memory plus c->memory is above rule->max_memory (a VM
 *               counts until its memory is reclaimed, stopped or not);
 *   -BH_EAGAIN  instead of either of the two above, when every check
 *               passes once what stopped VMs not yet reaped hold is back:
 *               their memory is being scrubbed (on another CPU, or
 *               between this CPU's turns), and the same launch a moment
 *               later may succeed (it may still find the pool's free
 *               memory in pieces: -BH_ENOMEM from vm_create);
 *   -BH_EBUSY   the CPU shares of the live VMs on c's CPU (c->cpu, chosen
 *               by vm_place) plus c's exceed that CPU (budgeted VMs run
 *               before all others, so their sum must fit; exactly 100%
 *               fits).
 */
int launch_check(const struct vm_config *c, const struct bh_policy_launch *rule,
                 uint64_t pool_free, const struct vm *first);

#endif
