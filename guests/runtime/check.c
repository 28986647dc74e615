/* SPDX-License-Identifier: GPL-2.0-only */
/* Checks, their tally and the probe lines (contracts: bulkhead/check.h). */
#include <bulkhead/check.h>
#include <bulkhead/runtime.h>

/* One line: prefix, the message, '\n'. The newline ends the line in the
 * console buffer, which writes it out before the caller's next action. */
static void say(const char *prefix, const char *fmt, va_list ap)
{
	bh_printf("%s", prefix);
	bh_vprintf(fmt, ap);
	bh_printf("\n");
}

bool bh_check(struct bh_tally *t, bool ok, const char *fmt, ...)
{
	va_list ap;

	if (ok)
		t->passed++;
	else
		t->failed++;
	va_start(ap, fmt);
	say(ok ? "PASS " : "FAIL ", fmt, ap);
	va_end(ap);
	return ok;
}

int bh_tally_summary(const struct bh_tally *t)
{
	bh_printf("summary: %u passed, %u failed\n", t->passed, t->failed);
	return t->failed == 0 && t->passed > 0 ? 0 : 1;
}

void bh_probe_say(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	say("probe: ", fmt, ap);
	va_end(ap);
}

int bh_probe_not_contained(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	say("probe: NOT CONTAINED: ", fmt, ap);
	va_end(ap);
	return BH_PROBE_NOT_CONTAINED;
}
