/* SPDX-License-Identifier: GPL-2.0-only */
#include "kernel/launch_check.h"

#include <bulkhead/errno.h>

int launch_check(const struct vm_config *c, const struct bh_policy_launch *rule,
                 uint64_t pool_free, const struct vm *first)
{
	uint32_t count = 0;
	uint64_t held = 0, ppm = c->cpu_ppm;

	if (vm_find_live(first, c->name))
		return -BH_EEXIST;
	for (const struct vm *v = first; v; v = v->next) {
		if (v->launched_by == c->launched_by && v->mem_hpa) {
			/* A Linux VM's monitor counts in its memory, not as a VM. */
			count += v->kind != VM_KIND_MONITOR;
			held += v->mem_size;
		}
		if (vm_is_live(v) && v->cpu == c->cpu)
			ppm += v->cpu_ppm;
	}
	uint64_t memory = c->memory + c->monitor_memory;
	if (memory > pool_free)
		return -BH_ENOMEM;   /* vm_create also fails if none of it is contiguous */
	if (count >= rule->max_vms || held + memory > rule->max_memory)
		return -BH_EDQUOT;
	if (ppm > CPU_PPM_ALL)
		return -BH_EBUSY;
	return 0;
}
