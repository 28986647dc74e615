/* SPDX-License-Identifier: GPL-2.0-only */
/* Rules about run-time launch rights: what a launcher may launch (and
 * stop), who may be a launcher, and the quotas it launches within. */
#include <stdio.h>
#include <string.h>

#include "checks.h"
#include "vocab.h"

/* What a launch rule names are VM declarations: each one is an image with
 * the memory, CPU and rights a VM launched from it gets. */
void check_launch_images_known(const struct policy *p, struct diag *d)
{
	char hint[64];

	for (size_t i = 0; i < p->nlaunches; i++) {
		const struct launch_decl *l = &p->launches[i];
		for (size_t j = 0; prop_ok(&l->p, LP_VMS) && j < l->ntargets; j++) {
			const struct ref *t = &l->targets[j];
			const struct vm_decl *vm = ref_vm(p, t);
			bool twice = false;
			for (size_t k = 0; k < j && !twice; k++)
				twice = strcmp(l->targets[k].name, t->name) == 0;
			if (twice)
				diag_error(d, t->at, "the launch rule for '%s' names VM '%s' twice",
				           shown(l->vm.name), t->name);
			else if (!vm)
				diag_error(d, t->at, "the launch rule for '%s' names unknown VM '%s'%s",
				           shown(l->vm.name), t->name, vm_hint(p, t->name, hint, sizeof(hint)));
			else if (prop_ok(&vm->p, VP_KIND) && vm->kind != BH_POLICY_VM_NATIVE &&
			         vm->kind != BH_POLICY_VM_LINUX)
				diag_error(d, t->at, "VM '%s' cannot be launched at run time: it is %s, and "
				           "only native and Linux VMs can be", t->name,
				           vm_kind_name(vm->kind));
		}
	}
}

static const struct launch_decl *rule_of(const struct policy *p, size_t vm)
{
	for (size_t i = 0; i < p->nlaunches; i++)
		if (p->launches[i].vm.vm == (int)vm)
			return &p->launches[i];
	return NULL;
}

void check_launch_rights_consistent(const struct policy *p, struct diag *d)
{
	/* Rights that mean nothing without a launch rule. */
	static const uint32_t need_rule[] = { BH_POLICY_RIGHT_LAUNCH, BH_POLICY_RIGHT_STOP };

	for (size_t i = 0; i < p->nlaunches; i++) {
		const struct launch_decl *l = &p->launches[i];
		const struct vm_decl *vm = ref_vm(p, &l->vm);
		if (!vm || !prop_ok(&vm->p, VP_KIND) || rule_of(p, (size_t)l->vm.vm) != l)
			continue;
		if (vm->kind != BH_POLICY_VM_CONTROL)
			diag_error(d, l->vm.at, "VM '%s' has a launch rule but is %s: only the control "
			           "VM launches VMs", l->vm.name, vm_kind_name(vm->kind));
		else if (!(vm->p.bad & (1u << VP_RIGHTS)) && !(vm->rights & BH_POLICY_RIGHT_LAUNCH))
			diag_error(d, l->vm.at, "VM '%s' has a launch rule but lacks the 'launch' right",
			           l->vm.name);
	}
	for (size_t i = 0; i < p->nvms; i++) {
		const struct vm_decl *vm = &p->vms[i];
		if (!vm_kind_is(vm, BH_POLICY_VM_CONTROL) || rule_of(p, i))
			continue;
		for (size_t k = 0; k < sizeof(need_rule) / sizeof(need_rule[0]); k++) {
			int r = __builtin_ctz(need_rule[k]);
			if (vm->rights & need_rule[k])
				diag_warning(d, vm->right_at[r], "VM '%s' holds the '%s' right but no "
				             "launch rule says which VMs it may %s", shown(vm->name),
				             right_names[r], right_names[r]);
		}
	}
}

void check_launch_quotas_fit(const struct policy *p, struct diag *d)
{
	char a[32], b[32];
	bool pool = p->pool.given && !p->pool.bad;

	for (size_t i = 0; i < p->nlaunches; i++) {
		const struct launch_decl *l = &p->launches[i];
		const char *who = shown(l->vm.name);
		if (prop_ok(&l->p, LP_MAX_VMS) &&
		    (l->max_vms < 1 || l->max_vms > BH_POLICY_MAX_RUNTIME_VMS))
			diag_error(d, l->p.at[LP_MAX_VMS], "max-vms %llu of the launch rule for '%s' is "
			           "not in 1..%u", (unsigned long long)l->max_vms, who,
			           BH_POLICY_MAX_RUNTIME_VMS);
		if (!prop_ok(&l->p, LP_MAX_MEMORY))
			continue;
		if (!p->pool.given)
			diag_error(d, l->p.at[LP_MAX_MEMORY], "the launch rule for '%s' draws on the "
			           "run-time pool, and the policy has none (declare it with 'pool runtime "
			           "memory SIZE;')", who);
		else if (pool && l->max_memory > p->pool.value)
			diag_error(d, l->p.at[LP_MAX_MEMORY], "max-memory %s of the launch rule for '%s' "
			           "is more than the run-time pool of %s",
			           format_size(l->max_memory, a, sizeof(a)), who,
			           format_size(p->pool.value, b, sizeof(b)));
		for (size_t j = 0; prop_ok(&l->p, LP_VMS) && j < l->ntargets; j++) {
			const struct vm_decl *vm = ref_vm(p, &l->targets[j]);
			if (vm && prop_ok(&vm->p, VP_MEMORY) && vm_total_memory(vm) > l->max_memory)
				diag_error(d, l->targets[j].at, "VM '%s' needs %s%s, more than max-memory %s "
				           "of the launch rule for '%s'", l->targets[j].name,
				           format_size(vm_total_memory(vm), a, sizeof(a)),
				           vm_total_memory(vm) > vm->memory ? " with its monitor" : "",
				           format_size(l->max_memory, b, sizeof(b)), who);
		}
	}
}
