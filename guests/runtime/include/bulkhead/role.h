/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Roles: one app image serving several VMs, each doing what its name
 * says. The policy names the VMs; an app lists its roles in a table and
 * the VM's name on its start-info page picks the entry:
 *
 *     static const struct bh_role roles[] = {
 *             { "echo-client", echo_client },
 *             { "mem-*",       memory_probe },
 *     };
 *
 *     int main(void)
 *     {
 *             return bh_role_run(roles, sizeof(roles) / sizeof(roles[0]));
 *     }
 */
#ifndef BULKHEAD_ROLE_H
#define BULKHEAD_ROLE_H

#include <stdbool.h>
#include <stddef.h>

struct bh_role {
	/* The VM name the role serves; or, ending in '*', every name that
	 * starts with what comes before it ("*" alone: every name). */
	const char *name;
	/* Does the role's work; returns main's status. */
	int (*run)(void);
};

/* The exit status bh_role_run returns when no role matches. */
#define BH_ROLE_NONE 2

/* Whether the role name pattern (struct bh_role's name) matches the VM
 * name. */
bool bh_role_matches(const char *pattern, const char *name);

/* The first of roles[0..n) whose pattern matches name, in table order (so a
 * catch-all goes last); NULL if none does. */
const struct bh_role *bh_role_find(const struct bh_role *roles, size_t n, const char *name);

/*
 * Runs the role roles[0..n) has for this VM's name and returns its status.
 * If there is none, prints "FAIL no role for a VM named 'NAME'; roles: A,
 * B, ..." (the table's patterns) and returns BH_ROLE_NONE: a VM the policy
 * gave the wrong image or name says so instead of doing something else.
 */
int bh_role_run(const struct bh_role *roles, size_t n);

#endif
