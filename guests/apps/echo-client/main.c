/* SPDX-License-Identifier: GPL-2.0-only */
/* Dispatch: the VM's name picks the role (client.h). */
#include "client.h"

static int intruder(void)
{
	return probe_intruder(true);
}

static int outsider(void)
{
	return probe_intruder(false);
}

static const struct bh_role roles[] = {
	{ "echo-client",  echo_client },
	{ "echo-crasher", echo_crasher },
	{ "intruder",     intruder },
	{ "outsider",     outsider },
	{ "ro-writer",    probe_ro_writer },
	{ "ro-reader",    probe_ro_reader },
};

int main(void)
{
	return bh_role_run(roles, sizeof(roles) / sizeof(roles[0]));
}
