/* SPDX-License-Identifier: GPL-2.0-only */
/* A channel's ends coming and going (contract in channel_state.h). */
#include "kernel/channel_state.h"

void channel_state_init(struct channel_state *s, bool relaunchable0, bool relaunchable1)
{
	*s = (struct channel_state){ .relaunchable = { relaunchable0, relaunchable1 } };
}

bool channel_state_may_take(const struct channel_state *s, unsigned e)
{
	return !s->freed && !s->running[e];
}

bool channel_state_up(const struct channel_state *s)
{
	return s->running[0] && s->running[1];
}

bool channel_state_started(struct channel_state *s, unsigned e)
{
	s->held[e] = true;
	s->running[e] = true;
	s->mapped[e] = true;
	if (!channel_state_up(s))
		return false;
	s->generation++;
	return true;
}

bool channel_state_remap_peer(struct channel_state *s, unsigned e)
{
	if (!channel_state_up(s) || s->mapped[1 - e])
		return false;
	s->mapped[1 - e] = true;
	return true;
}

bool channel_state_stopped(struct channel_state *s, unsigned e)
{
	bool was_up = channel_state_up(s);
	s->running[e] = false;
	return was_up;
}

bool channel_state_let_go(struct channel_state *s, unsigned e)
{
	if (!s->running[e] || !s->mapped[e] || channel_state_up(s))
		return false;
	s->mapped[e] = false;
	return true;
}

bool channel_state_reaped(struct channel_state *s, unsigned e)
{
	s->held[e] = false;
	s->running[e] = false;
	s->mapped[e] = false;   /* its EPT goes with it */
	/* Both ends can start again only if both are templates: a boot VM's
	 * declaration never runs a second time. */
	bool may_return = s->relaunchable[0] && s->relaunchable[1];
	if (s->freed || s->held[0] || s->held[1] || may_return)
		return false;
	s->freed = true;
	return true;
}
