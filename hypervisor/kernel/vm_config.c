/* SPDX-License-Identifier: GPL-2.0-only */
#include "kernel/vm_config.h"

#include <bulkhead/errno.h>
#include <bulkhead/policy_blob.h>

#include "policy/blob.h"

uint64_t cpu_share_ppm(uint32_t budget_us, uint32_t period_us)
{
	return period_us ? (uint64_t)budget_us * 1000000 / period_us : 0;
}

void vm_config_from_policy(struct vm_config *c, const void *policy, uint32_t index,
                           const char *name, struct vm *launched_by)
{
	const struct bh_policy_vm *p = policy_vm(policy, index);

	*c = (struct vm_config){
		.name = name ? name : policy_vm_name(policy, p),
		.image = policy_vm_image(policy, p),
		.memory = p->memory,
		.rights = p->rights,
		.budget_us = p->cpu_budget_us,
		.period_us = p->cpu_period_us,
		.cpu_ppm = (uint32_t)cpu_share_ppm(p->cpu_budget_us, p->cpu_period_us),
		.policy_line = p->line,
		.policy_index = index,
		.control = !launched_by && p->kind == BH_POLICY_VM_CONTROL,
		.launched_by = launched_by,
		.kind = p->kind == BH_POLICY_VM_LINUX ? VM_KIND_LINUX : VM_KIND_NATIVE,
		.cpu = p->cpu,
	};
	const struct bh_policy_linux *lx = policy_linux_for(policy, index);
	if (lx)
		c->monitor_memory = lx->monitor_memory;
}
