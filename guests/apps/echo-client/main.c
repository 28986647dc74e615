/* SPDX-License-Identifier: GPL-2.0-only */
/* Dispatch: the VM's name picks the role (client.h). */
#include "client.h"

bool check(struct tally *t, bool ok, const char *fmt, ...)
{
	va_list ap;

	if (ok)
		t->passed++;
	else
		t->failed++;
	bh_printf(ok ? "PASS " : "FAIL ");
	va_start(ap, fmt);
	bh_vprintf(fmt, ap);
	va_end(ap);
	bh_printf("\n");
	return ok;
}

int tally_summary(const struct tally *t)
{
	bh_printf("summary: %u passed, %u failed\n", t->passed, t->failed);
	return t->failed == 0 && t->passed > 0 ? 0 : 1;
}

int main(void)
{
	char name[BH_GUEST_NAME_MAX];
	int64_t id = bh_self(name, sizeof(name));

	if (id < 0) {
		bh_printf("FAIL BH_HC_SELF returned %ld\n", (long)id);
		return 1;
	}
	if (!strcmp(name, "echo-client"))
		return echo_client();
	if (!strcmp(name, "echo-crasher"))
		return echo_crasher();
	if (!strcmp(name, "intruder"))
		return probe_intruder(true);
	if (!strcmp(name, "outsider"))
		return probe_intruder(false);
	if (!strcmp(name, "ro-writer"))
		return probe_ro_writer();
	if (!strcmp(name, "ro-reader"))
		return probe_ro_reader();
	bh_printf("FAIL no role for a VM named '%s' (see guests/apps/echo-client/client.h)\n",
	          name);
	return 1;
}
