/* SPDX-License-Identifier: GPL-2.0-only */
/* Rules about VM declarations: properties, kinds, rights and CPU. */
#include <stdio.h>
#include <string.h>

#include "checks.h"
#include "vocab.h"

/* Reports a declaration that lacks some of its required properties
 * (bits of need), naming them all in one error. */
static void require(struct diag *d, const struct props *p, unsigned need,
                    const char *const words[], const char *what, const char *name,
                    struct loc at, const char *all)
{
	unsigned missing = need & ~p->given;
	char list[128] = "";
	int n = 0, total = __builtin_popcount(missing);

	if (!missing || !name)   /* unnamed: the parser reported it */
		return;
	for (unsigned i = 0; i < PROP_MAX; i++) {
		if (!(missing & (1u << i)))
			continue;
		n++;
		snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s'%s'",
		         n == 1 ? "" : n == total ? " and " : ", ", words[i]);
	}
	diag_error(d, at, "%s '%s' lacks %s (%s)", what, shown(name), list, all);
}

void check_required_properties(const struct policy *p, struct diag *d)
{
	static const char *const vm_words[] = { "kind", "image", "memory" };
	static const char *const linux_words[VP_COUNT] = {
		[VP_KERNEL] = "kernel", [VP_INITRAMFS] = "initramfs", [VP_MEMORY] = "memory",
		[VP_MONITOR] = "monitor",
	};
	static const char *const monitor_words[] = { "image", "memory" };
	static const char *const ch_words[] = { "between", "size", "direction" };
	static const char *const launch_words[] = { "vms", "max-vms", "max-memory" };
	static const char *const dev_words[] = { "pci", "to" };

	for (size_t i = 0; i < p->nvms; i++) {
		const struct vm_decl *vm = &p->vms[i];
		if (vm_kind_is(vm, BH_POLICY_VM_LINUX)) {
			require(d, &vm->p, 1u << VP_KERNEL | 1u << VP_INITRAMFS | 1u << VP_MEMORY |
			        1u << VP_MONITOR, linux_words, "Linux VM", vm->name, vm->at,
			        "a Linux VM needs kernel, initramfs, memory and monitor");
			if (prop_ok(&vm->p, VP_MONITOR))
				require(d, &vm->monitor.p, 1u << MP_IMAGE | 1u << MP_MEMORY, monitor_words,
				        "the monitor of VM", vm->name, vm->p.at[VP_MONITOR],
				        "a monitor needs image and memory");
			continue;
		}
		require(d, &vm->p, 1u << VP_KIND | 1u << VP_IMAGE | 1u << VP_MEMORY, vm_words,
		        "VM", vm->name, vm->at, "every VM needs kind, image and memory");
	}
	for (size_t i = 0; i < p->nchannels; i++)
		require(d, &p->channels[i].p, 1u << CP_BETWEEN | 1u << CP_SIZE | 1u << CP_DIRECTION,
		        ch_words, "channel", p->channels[i].name, p->channels[i].at,
		        "every channel needs between, size and direction");
	for (size_t i = 0; i < p->nlaunches; i++)
		require(d, &p->launches[i].p, 1u << LP_VMS | 1u << LP_MAX_VMS | 1u << LP_MAX_MEMORY,
		        launch_words, "launch rule for", p->launches[i].vm.name, p->launches[i].vm.at,
		        "every launch rule needs vms, max-vms and max-memory");
	for (size_t i = 0; i < p->ndevices; i++)
		require(d, &p->devices[i].p, 1u << DP_PCI | 1u << DP_TO, dev_words, "device",
		        p->devices[i].name, p->devices[i].at, "every device needs pci and to");
}

void check_control_vm_unique(const struct policy *p, struct diag *d)
{
	const struct vm_decl *first = NULL;

	for (size_t i = 0; i < p->nvms; i++) {
		const struct vm_decl *vm = &p->vms[i];
		if (!vm_kind_is(vm, BH_POLICY_VM_CONTROL))
			continue;
		if (!first)
			first = vm;
		else
			diag_error(d, vm->p.at[VP_KIND], "VM '%s' is a second control VM (the first is "
			           "'%s' at line %u): a system has at most one", shown(vm->name),
			           shown(first->name), first->at.line);
	}
}

void check_rights_fit_kind(const struct policy *p, struct diag *d)
{
	for (size_t i = 0; i < p->nvms; i++) {
		const struct vm_decl *vm = &p->vms[i];
		/* A Linux VM's rights are check_fields_fit_kind's. */
		if (!prop_ok(&vm->p, VP_KIND) || vm->kind == BH_POLICY_VM_CONTROL ||
		    vm->kind == BH_POLICY_VM_LINUX)
			continue;
		for (unsigned r = 0; r < BH_POLICY_RIGHT_COUNT; r++)
			if ((vm->rights & BH_POLICY_RIGHTS_CONTROL) & (1u << r))
				diag_error(d, vm->right_at[r], "right '%s' is for the control VM only, and "
				           "VM '%s' is %s", right_names[r], shown(vm->name),
				           vm_kind_name(vm->kind));
	}
}

void check_cpu_shares_valid(const struct policy *p, struct diag *d)
{
	char a[32], b[32];

	for (size_t i = 0; i < p->nvms; i++) {
		const struct vm_decl *vm = &p->vms[i];
		struct loc at = vm->p.at[VP_CPU];
		if (!prop_ok(&vm->p, VP_CPU))
			continue;
		if (vm->cpu == CPU_PERCENT && (vm->cpu_percent < 1 || vm->cpu_percent > 100))
			diag_error(d, at, "CPU share %llu%% of VM '%s' is not in 1%%..100%%",
			           (unsigned long long)vm->cpu_percent, shown(vm->name));
		if (vm->cpu != CPU_BUDGET)
			continue;
		if (vm->cpu_period_us < BH_POLICY_CPU_PERIOD_MIN_US ||
		    vm->cpu_period_us > BH_POLICY_CPU_PERIOD_MAX_US)
			diag_error(d, at, "CPU period %s of VM '%s' is not in 1ms..1s",
			           format_duration(vm->cpu_period_us, a, sizeof(a)), shown(vm->name));
		else if (vm->cpu_budget_us == 0 || vm->cpu_budget_us > vm->cpu_period_us)
			diag_error(d, at, "CPU budget %s of VM '%s' is not in 1us..%s (its period)",
			           format_duration(vm->cpu_budget_us, a, sizeof(a)), shown(vm->name),
			           format_duration(vm->cpu_period_us, b, sizeof(b)));
	}
}

/* Whether a VM's cpu property is usable for sums: parsed and valid. */
static bool cpu_valid(const struct vm_decl *vm)
{
	if (!prop_ok(&vm->p, VP_CPU))
		return false;
	switch (vm->cpu) {
	case CPU_PERCENT:
		return vm->cpu_percent >= 1 && vm->cpu_percent <= 100;
	case CPU_BUDGET:
		return vm->cpu_period_us >= BH_POLICY_CPU_PERIOD_MIN_US &&
		       vm->cpu_period_us <= BH_POLICY_CPU_PERIOD_MAX_US &&
		       vm->cpu_budget_us >= 1 && vm->cpu_budget_us <= vm->cpu_period_us;
	case CPU_BEST_EFFORT:
		break;
	}
	return true;   /* a pin alone */
}

/* In the kernel's terms (its validator sums the same way): the boot VMs
 * pinned to a CPU share that CPU, and the boot VMs without a pin share
 * 100% between them, since the kernel places each on one CPU of the
 * 'machine cpus' set. Each sum is reported once, at the VM that takes it
 * past 100%. */
void check_cpu_totals_fit(const struct policy *p, struct diag *d)
{
	uint64_t pinned[BH_POLICY_MAX_CPUS] = { 0 }, unpinned = 0;

	for (size_t i = 0; i < p->nvms; i++) {
		const struct vm_decl *vm = &p->vms[i];
		if (!vm->boot || !cpu_valid(vm))
			continue;
		uint64_t *total = vm->cpu_pinned ? &pinned[vm->cpu_index] : &unpinned;
		bool fit = *total <= 1000000;
		*total += cpu_ppm(vm);
		if (!fit || *total <= 1000000)
			continue;
		unsigned long long pct = (*total + 9999) / 10000;
		if (vm->cpu_pinned)
			diag_error(d, vm->p.at[VP_CPU], "VM '%s' brings the CPU shares of the boot VMs "
			           "pinned to CPU %u to %llu%%, more than 100%%", shown(vm->name),
			           vm->cpu_index, pct);
		else
			diag_error(d, vm->p.at[VP_CPU], "VM '%s' brings the CPU shares of the boot VMs "
			           "without a CPU pin to %llu%%, more than 100%% (the kernel places each "
			           "on one CPU)", shown(vm->name), pct);
	}
}

void check_vms_started_somehow(const struct policy *p, struct diag *d)
{
	for (size_t i = 0; i < p->nvms; i++) {
		const struct vm_decl *vm = &p->vms[i];
		bool named = false;
		if (vm->boot || !vm->name || (vm->p.bad & (1u << VP_BOOT)))
			continue;
		for (size_t j = 0; j < p->nlaunches && !named; j++)
			for (size_t k = 0; k < p->launches[j].ntargets && !named; k++)
				named = p->launches[j].targets[k].vm == (int)i;
		if (!named)
			diag_warning(d, vm->at, "VM '%s' never runs: it does not start at boot "
			             "('boot yes;') and no launch rule names it", vm->name);
	}
}
