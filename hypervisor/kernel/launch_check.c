/* SPDX-License-Identifier: GPL-2.0-only */
#include "kernel/launch_check.h"

#include <bulkhead/errno.h>

int launch_check(const struct vm_config *c, const struct bh_policy_launch *rule,
                 uint64_t pool_free, const struct vm *first)
{
	uint32_t count = 0, count_stopped = 0;
	uint64_t held = 0, held_stopped = 0, pool_coming = 0, ppm = c->cpu_ppm;

	if (vm_find_live(first, c->name))
		return -BH_EEXIST;
	for (const struct vm *v = first; v; v = v->next) {
		bool reclaiming = v->state == VM_STOPPED && v->mem_hpa;
		if (v->launched_by == c->launched_by && v->mem_hpa) {
			/* A Linux VM's monitor counts in its memory, not as a VM. */
			count += v->kind != VM_KIND_MONITOR;
			held += v->mem_size;
			count_stopped += reclaiming && v->kind != VM_KIND_MONITOR;
			held_stopped += reclaiming ? v->mem_size : 0;
		}
		/* A launched VM's memory is the pool's, back once it is reaped. */
		if (reclaiming && v->launched_by)
			pool_coming += v->mem_size;
		if (vm_is_live(v) && v->cpu == c->cpu)
			ppm += v->cpu_ppm;
	}
	uint64_t memory = c->memory + c->monitor_memory;
	/* Whether every check passes once the stopped VMs are reaped: only
	 * then is a refusal for now (-BH_EAGAIN) rather than for good. */
	bool fits_later = memory <= pool_free + pool_coming &&
	                  count - count_stopped < rule->max_vms &&
	                  held - held_stopped + memory <= rule->max_memory && ppm <= CPU_PPM_ALL;
	/* vm_create also fails if none of it is contiguous. */
	if (memory > pool_free)
		return fits_later ? -BH_EAGAIN : -BH_ENOMEM;
	if (count >= rule->max_vms || held + memory > rule->max_memory)
		return fits_later ? -BH_EAGAIN : -BH_EDQUOT;
	if (ppm > CPU_PPM_ALL)
		return -BH_EBUSY;
	return 0;
}
