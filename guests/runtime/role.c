/* SPDX-License-Identifier: GPL-2.0-only */
/* Picking an app's role by the VM's name (contracts: bulkhead/role.h). */
#include <bulkhead/role.h>
#include <bulkhead/runtime.h>

bool bh_role_matches(const char *pattern, const char *name)
{
	size_t n = strlen(pattern);

	if (n > 0 && pattern[n - 1] == '*')
		return strncmp(pattern, name, n - 1) == 0;
	return strcmp(pattern, name) == 0;
}

const struct bh_role *bh_role_find(const struct bh_role *roles, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (bh_role_matches(roles[i].name, name))
			return &roles[i];
	return NULL;
}

int bh_role_run(const struct bh_role *roles, size_t n)
{
	/* The start-info name: checked NUL-terminated before main ran, and
	 * no hypercall that could fail. */
	const char *name = bh_start_info()->name;
	const struct bh_role *role = bh_role_find(roles, n, name);

	if (role)
		return role->run();
	bh_printf("FAIL no role for a VM named '%s'; roles:", name);
	for (size_t i = 0; i < n; i++)
		bh_printf("%s %s", i ? "," : "", roles[i].name);
	bh_printf("\n");
	return BH_ROLE_NONE;
}
