/* SPDX-License-Identifier: GPL-2.0-only */
/* Rules about sizes: alignment, ranges, and what fits the machine. */
#include <stdio.h>

#include "checks.h"
#include "vocab.h"

/* One size of the policy, for the rules that apply to all of them. */
struct sized {
	uint64_t bytes;
	struct loc at;
	const char *what;        /* "memory", "size", ... */
	char whose[64];          /* "of VM 'hello'" */
	uint64_t align, min, max;
	const char *align_why;
};

/* Calls fn on every size that parsed. */
static void each_size(const struct policy *p, struct diag *d,
                      void (*fn)(struct diag *d, const struct sized *s))
{
	struct sized s;

	for (size_t i = 0; i < p->nvms; i++) {
		const struct vm_decl *vm = &p->vms[i];
		if (!prop_ok(&vm->p, VP_MEMORY))
			continue;
		s = (struct sized){ vm->memory, vm->p.at[VP_MEMORY], "memory", "",
		                    BH_POLICY_VM_MEMORY_ALIGN, BH_POLICY_VM_MEMORY_MIN,
		                    BH_POLICY_VM_MEMORY_MAX, "VM memory comes in 2 MiB pages" };
		snprintf(s.whose, sizeof(s.whose), " of VM '%s'", shown(vm->name));
		fn(d, &s);
	}
	for (size_t i = 0; i < p->nvms; i++) {
		const struct vm_decl *vm = &p->vms[i];
		if (!prop_ok(&vm->p, VP_MONITOR) || !prop_ok(&vm->monitor.p, MP_MEMORY))
			continue;
		s = (struct sized){ vm->monitor.memory, vm->monitor.p.at[MP_MEMORY], "memory", "",
		                    BH_POLICY_VM_MEMORY_ALIGN, BH_POLICY_VM_MEMORY_MIN,
		                    BH_POLICY_VM_MEMORY_MAX, "VM memory comes in 2 MiB pages" };
		snprintf(s.whose, sizeof(s.whose), " of the monitor of VM '%s'", shown(vm->name));
		fn(d, &s);
	}
	for (size_t i = 0; i < p->nchannels; i++) {
		const struct channel_decl *ch = &p->channels[i];
		if (!prop_ok(&ch->p, CP_SIZE))
			continue;
		s = (struct sized){ ch->size, ch->p.at[CP_SIZE], "size", "", BH_POLICY_CHANNEL_ALIGN,
		                    BH_POLICY_CHANNEL_MIN, BH_POLICY_CHANNEL_MAX,
		                    "channels are shared in whole 4 KiB pages" };
		snprintf(s.whose, sizeof(s.whose), " of channel '%s'", shown(ch->name));
		fn(d, &s);
	}
	for (size_t i = 0; i < p->nlaunches; i++) {
		const struct launch_decl *l = &p->launches[i];
		if (!prop_ok(&l->p, LP_MAX_MEMORY))
			continue;
		s = (struct sized){ l->max_memory, l->p.at[LP_MAX_MEMORY], "max-memory", "",
		                    BH_POLICY_MEMORY_ALIGN, BH_POLICY_MEMORY_ALIGN,
		                    BH_POLICY_MACHINE_MAX, "VM memory comes in 2 MiB pages" };
		snprintf(s.whose, sizeof(s.whose), " of the launch rule for '%s'", shown(l->vm.name));
		fn(d, &s);
	}
	if (p->machine.given && !p->machine.bad) {
		s = (struct sized){ p->machine.value, p->machine.value_at, "machine memory", "",
		                    BH_POLICY_MEMORY_ALIGN, BH_POLICY_MACHINE_MIN,
		                    BH_POLICY_MACHINE_MAX, "memory is handed out in 2 MiB pages" };
		fn(d, &s);
	}
	if (p->pool.given && !p->pool.bad) {
		s = (struct sized){ p->pool.value, p->pool.value_at, "pool memory", "",
		                    BH_POLICY_MEMORY_ALIGN, BH_POLICY_MEMORY_ALIGN,
		                    BH_POLICY_MACHINE_MAX, "VM memory comes in 2 MiB pages" };
		fn(d, &s);
	}
}

static void aligned(struct diag *d, const struct sized *s)
{
	char a[32], b[32];
	if (s->bytes % s->align)
		diag_error(d, s->at, "%s %s%s is not a multiple of %s (%s)", s->what,
		           format_size(s->bytes, a, sizeof(a)), s->whose,
		           format_size(s->align, b, sizeof(b)), s->align_why);
}

static void in_range(struct diag *d, const struct sized *s)
{
	char a[32], b[32];
	if (s->bytes % s->align)   /* check_sizes_page_aligned said so */
		return;
	if (s->bytes < s->min)
		diag_error(d, s->at, "%s %s%s is below the minimum of %s", s->what,
		           format_size(s->bytes, a, sizeof(a)), s->whose,
		           format_size(s->min, b, sizeof(b)));
	else if (s->bytes > s->max)
		diag_error(d, s->at, "%s %s%s is above the maximum of %s", s->what,
		           format_size(s->bytes, a, sizeof(a)), s->whose,
		           format_size(s->max, b, sizeof(b)));
}

void check_sizes_page_aligned(const struct policy *p, struct diag *d)
{
	each_size(p, d, aligned);
}

void check_sizes_in_range(const struct policy *p, struct diag *d)
{
	each_size(p, d, in_range);
}

/*
 * Everything the policy hands out at boot or reserves for later must fit
 * the machine memory it declares (or the default): the pool, every boot
 * VM's memory, every channel. The first item that goes over is reported.
 */
void check_memory_totals_fit(const struct policy *p, struct diag *d)
{
	uint64_t machine = policy_machine_memory(p), total = 0;
	char a[32], b[32];
	const char *source = p->machine.given ? ""
	                     : " (the default; declare it with 'machine memory SIZE;')";

	if (p->machine.given && p->machine.bad)
		return;
	format_size(machine, b, sizeof(b));
	if (p->pool.given && !p->pool.bad) {
		total = p->pool.value;
		if (total > machine) {
			diag_error(d, p->pool.value_at, "the run-time pool of %s is more than the "
			           "machine memory of %s%s", format_size(total, a, sizeof(a)), b, source);
			return;
		}
	}
	for (size_t i = 0; i < p->nvms; i++) {
		const struct vm_decl *vm = &p->vms[i];
		if (!vm->boot || !prop_ok(&vm->p, VP_MEMORY))
			continue;
		total = add_sat(total, vm_total_memory(vm));
		if (total > machine) {
			diag_error(d, vm->p.at[VP_MEMORY], "VM '%s' brings the memory handed out to %s, "
			           "more than the machine memory of %s%s: boot VMs, "
			           "channels and the pool must fit in it", shown(vm->name), format_size(total, a, sizeof(a)),
			           b, source);
			return;
		}
	}
	for (size_t i = 0; i < p->nchannels; i++) {
		const struct channel_decl *ch = &p->channels[i];
		if (!prop_ok(&ch->p, CP_SIZE))
			continue;
		total = add_sat(total, ch->size);
		if (total > machine) {
			diag_error(d, ch->p.at[CP_SIZE], "channel '%s' brings the memory handed out to "
			           "%s, more than the machine memory of %s%s: boot VMs, channels and the "
			           "pool must fit in it", shown(ch->name), format_size(total, a, sizeof(a)),
			           b, source);
			return;
		}
	}
}
