/* SPDX-License-Identifier: GPL-2.0-only */
/* A channel's ends coming and going (hypervisor/kernel/channel_state.c):
 * when it is up, when the peer is told, when the region may be freed. */
#include "check.h"
#include "kernel/channel_state.h"

TEST(up_only_while_both_ends_run_and_each_coming_up_counts)
{
	struct channel_state s;
	channel_state_init(&s, false, true);
	CHECK(channel_state_may_take(&s, 0));
	CHECK(!channel_state_started(&s, 0));   /* alone: down */
	CHECK(!channel_state_up(&s));
	CHECK(!channel_state_may_take(&s, 0));  /* one VM per end */
	CHECK_EQ(s.generation, 0u);
	CHECK(channel_state_started(&s, 1));
	CHECK(channel_state_up(&s));
	CHECK_EQ(s.generation, 1u);
}

TEST(a_stopped_template_end_comes_back_and_the_region_stays)
{
	struct channel_state s;
	channel_state_init(&s, false, true);    /* a boot VM and a template */
	channel_state_started(&s, 0);
	channel_state_started(&s, 1);
	CHECK(channel_state_stopped(&s, 1));    /* the boot VM is told */
	CHECK(!channel_state_up(&s));
	CHECK(!channel_state_reaped(&s, 1));    /* the boot VM still maps it */
	CHECK(channel_state_may_take(&s, 1));
	CHECK(channel_state_started(&s, 1));
	CHECK_EQ(s.generation, 2u);
	/* Relaunched before the old VM was reaped: the stop came first. */
	CHECK(channel_state_stopped(&s, 1));
	CHECK(channel_state_started(&s, 1));
	CHECK_EQ(s.generation, 3u);
}

TEST(a_stop_while_down_tells_nobody)
{
	struct channel_state s;
	channel_state_init(&s, true, true);
	channel_state_started(&s, 0);
	CHECK(!channel_state_stopped(&s, 0));
	CHECK(!channel_state_up(&s));
}

TEST(freed_once_nobody_holds_it_and_a_boot_end_cannot_return)
{
	struct channel_state s;
	channel_state_init(&s, false, true);
	channel_state_started(&s, 0);
	channel_state_started(&s, 1);
	channel_state_stopped(&s, 0);
	CHECK(!channel_state_reaped(&s, 0));    /* the template end still maps it */
	channel_state_stopped(&s, 1);
	CHECK(channel_state_reaped(&s, 1));
	CHECK(s.freed);
	CHECK(!channel_state_may_take(&s, 1));  /* a later launch gets no channel */
	CHECK(!channel_state_reaped(&s, 1));    /* freed once only */
}

TEST(kept_while_both_ends_are_templates)
{
	struct channel_state s;
	channel_state_init(&s, true, true);
	channel_state_started(&s, 0);
	channel_state_started(&s, 1);
	channel_state_stopped(&s, 0);
	channel_state_stopped(&s, 1);
	CHECK(!channel_state_reaped(&s, 0));
	CHECK(!channel_state_reaped(&s, 1));
	CHECK(!s.freed);
	CHECK(!channel_state_started(&s, 1));
	CHECK(channel_state_started(&s, 0));
	CHECK_EQ(s.generation, 2u);
}

TEST(a_boot_end_that_never_started_frees_it_when_the_other_goes)
{
	struct channel_state s;
	channel_state_init(&s, false, true);
	channel_state_started(&s, 1);
	CHECK(!channel_state_stopped(&s, 1));
	CHECK(channel_state_reaped(&s, 1));
}

TEST(a_survivor_told_of_the_gone_peer_lets_the_region_go_and_gets_it_back_when_up)
{
	struct channel_state s;
	channel_state_init(&s, true, true);
	channel_state_started(&s, 0);
	channel_state_started(&s, 1);
	CHECK(s.mapped[0] && s.mapped[1]);
	CHECK(!channel_state_let_go(&s, 0));    /* up: nothing to let go */
	channel_state_stopped(&s, 1);
	CHECK(s.mapped[0]);                     /* kept to read what the peer left */
	CHECK(channel_state_let_go(&s, 0));
	CHECK(!s.mapped[0]);
	CHECK(!channel_state_let_go(&s, 0));    /* once */
	CHECK(!channel_state_remap_peer(&s, 0)); /* down: nobody to map */
	channel_state_reaped(&s, 1);
	CHECK(channel_state_started(&s, 1));
	CHECK(s.mapped[1]);
	CHECK(channel_state_remap_peer(&s, 1));
	CHECK(s.mapped[0]);
	CHECK(!channel_state_remap_peer(&s, 1)); /* mapped already */
}

TEST(a_peer_back_before_the_survivor_waits_again_leaves_the_region_mapped)
{
	struct channel_state s;
	channel_state_init(&s, true, true);
	channel_state_started(&s, 0);
	channel_state_started(&s, 1);
	channel_state_stopped(&s, 1);
	channel_state_started(&s, 1);           /* relaunched before the wait */
	CHECK(!channel_state_let_go(&s, 0));
	CHECK(s.mapped[0]);
	CHECK(!channel_state_remap_peer(&s, 1));
}

TEST(a_reaped_end_maps_nothing_and_a_stopped_one_lets_nothing_go)
{
	struct channel_state s;
	channel_state_init(&s, true, true);
	channel_state_started(&s, 0);
	channel_state_started(&s, 1);
	channel_state_stopped(&s, 0);
	CHECK(!channel_state_let_go(&s, 0));    /* not running: its EPT goes whole */
	channel_state_reaped(&s, 0);
	CHECK(!s.mapped[0]);
	CHECK(s.mapped[1]);
}
