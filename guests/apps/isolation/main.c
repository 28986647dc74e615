/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Dispatch: the VM's name (BH_HC_SELF) picks the probe, its prefix the
 * area. The same image serves every probe VM of a system, so a test lists
 * probes only in its `vms` file.
 */
#include "isolation.h"

static const struct {
	const char *prefix;
	int (*run)(const char *name);
} areas[] = {
	{ "mem-",  memory_probe },
	{ "io-",   ioport_probe },
	{ "msr-",  msr_probe },
	{ "insn-", insn_probe },
	{ "hc-",   hypercall_probe },
};

static void vsay(const char *prefix, const char *fmt, va_list ap)
{
	bh_printf("%s", prefix);
	bh_vprintf(fmt, ap);
	bh_printf("\n");   /* the newline sends the line before the action */
}

void probe_say(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsay("probe: ", fmt, ap);
	va_end(ap);
}

int probe_not_contained(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsay("probe: NOT CONTAINED: ", fmt, ap);
	va_end(ap);
	return PROBE_NOT_CONTAINED;
}

bool check(struct tally *t, bool ok, const char *fmt, ...)
{
	va_list ap;

	if (ok)
		t->passed++;
	else
		t->failed++;
	va_start(ap, fmt);
	vsay(ok ? "PASS " : "FAIL ", fmt, ap);
	va_end(ap);
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
		return PROBE_UNKNOWN;
	}
	for (size_t i = 0; i < sizeof(areas) / sizeof(areas[0]); i++) {
		size_t n = strlen(areas[i].prefix);
		if (strncmp(name, areas[i].prefix, n) == 0) {
			int status = areas[i].run(name);
			if (status != PROBE_UNKNOWN)
				return status;
			break;
		}
	}
	bh_printf("FAIL no probe is called '%s'\n", name);
	return PROBE_UNKNOWN;
}
