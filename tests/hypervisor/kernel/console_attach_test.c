/* SPDX-License-Identifier: GPL-2.0-only */
/* Which VMs the console's owner may attach the console to
 * (console_may_attach, hypervisor/kernel/console_attach.h): its own
 * launches and the boot VMs, never itself or another VM's launch. */
#include "check.h"
#include "kernel/console_attach.h"

static struct vm control = { .id = 1, .name = "control", .control = true };
static struct vm launcher = { .id = 2, .name = "launcher" };

TEST(the_owner_may_attach_to_its_own_launches_and_to_boot_vms)
{
	struct vm mine = { .id = 3, .name = "mine", .launched_by = &control };
	struct vm boot = { .id = 4, .name = "boot" };
	CHECK(console_may_attach(&control, &mine));
	CHECK(console_may_attach(&control, &boot));
	CHECK(console_may_attach(&control, &launcher));   /* a boot VM too */
}

TEST(never_to_itself_or_to_another_vms_launch)
{
	struct vm theirs = { .id = 5, .name = "theirs", .launched_by = &launcher };
	CHECK(!console_may_attach(&control, &control));
	CHECK(!console_may_attach(&control, &theirs));
	CHECK(console_may_attach(&launcher, &theirs));
}
