/* SPDX-License-Identifier: GPL-2.0-only */
/* Rules about channels: two distinct declared ends, flows between them,
 * and ends that may use channels at all. */
#include <string.h>

#include "checks.h"

static bool same(const char *a, const char *b)
{
	return a && b && strcmp(a, b) == 0;
}

void check_channel_endpoints_distinct_and_declared(const struct policy *p, struct diag *d)
{
	char hint[64];

	for (size_t i = 0; i < p->nchannels; i++) {
		const struct channel_decl *ch = &p->channels[i];
		if (!prop_ok(&ch->p, CP_BETWEEN))
			continue;
		for (int e = 0; e < 2; e++)
			if (ch->end[e].vm < 0)
				diag_error(d, ch->end[e].at, "channel '%s' joins unknown VM '%s'%s",
				           shown(ch->name), ch->end[e].name,
				           vm_hint(p, ch->end[e].name, hint, sizeof(hint)));
		if (same(ch->end[0].name, ch->end[1].name))
			diag_error(d, ch->end[1].at, "channel '%s' joins VM '%s' to itself: a channel "
			           "joins two distinct VMs", shown(ch->name), ch->end[1].name);
	}
}

static void flow_between_ends(struct diag *d, const struct channel_decl *ch, const char *what,
                              const struct flow *f)
{
	const char *from = f->from.name, *to = f->to.name;
	const char *a = ch->end[0].name, *b = ch->end[1].name;

	if (same(from, to))
		diag_error(d, f->from.at, "%s '%s -> %s' of channel '%s' goes from a VM to itself",
		           what, from, to, shown(ch->name));
	else if (!((same(from, a) && same(to, b)) || (same(from, b) && same(to, a))))
		diag_error(d, f->from.at, "%s '%s -> %s' of channel '%s' does not go between its "
		           "ends '%s' and '%s'", what, from, to, shown(ch->name), a, b);
}

void check_channel_direction(const struct policy *p, struct diag *d)
{
	for (size_t i = 0; i < p->nchannels; i++) {
		const struct channel_decl *ch = &p->channels[i];
		if (!prop_ok(&ch->p, CP_BETWEEN) || same(ch->end[0].name, ch->end[1].name))
			continue;
		if (prop_ok(&ch->p, CP_DIRECTION) && ch->direction.kind == FLOW_ONE_WAY)
			flow_between_ends(d, ch, "direction", &ch->direction);
		if (prop_ok(&ch->p, CP_EVENTS) && ch->events.kind == FLOW_ONE_WAY)
			flow_between_ends(d, ch, "events", &ch->events);
	}
}

void check_channel_endpoints_have_right(const struct policy *p, struct diag *d)
{
	for (size_t i = 0; i < p->nchannels; i++) {
		const struct channel_decl *ch = &p->channels[i];
		if (!prop_ok(&ch->p, CP_BETWEEN) || same(ch->end[0].name, ch->end[1].name))
			continue;
		for (int e = 0; e < 2; e++) {
			const struct vm_decl *vm = ref_vm(p, &ch->end[e]);
			/* A Linux end uses it through its monitor, for a virtio
			 * device: check_linux_channels_backed. */
			if (vm && !vm_kind_is(vm, BH_POLICY_VM_LINUX) && !(vm->p.bad & (1u << VP_RIGHTS)) &&
			    !(vm->rights & BH_POLICY_RIGHT_CHANNEL))
				diag_error(d, ch->end[e].at, "VM '%s' is an end of channel '%s' but lacks "
				           "the 'channel' right", ch->end[e].name, shown(ch->name));
		}
	}
}
