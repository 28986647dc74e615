/* SPDX-License-Identifier: GPL-2.0-only */
/* The runtime's console and start info, faked on the host (fake_console.h). */
#include "fake_console.h"

#include <stdio.h>
#include <stdlib.h>

#include <bulkhead/runtime.h>

static char output[4096];
static size_t used;
static struct bh_start_info start_info;

const char *fake_console_output(void)
{
	return output;
}

void fake_console_reset(const char *name)
{
	used = 0;
	output[0] = '\0';
	memset(&start_info, 0, sizeof(start_info));
	snprintf(start_info.name, sizeof(start_info.name), "%s", name);
}

int bh_vprintf(const char *fmt, va_list ap)
{
	int n = vsnprintf(output + used, sizeof(output) - used, fmt, ap);

	if (n < 0 || (size_t)n >= sizeof(output) - used)
		abort();   /* a test printing this much is broken */
	used += (size_t)n;
	return n;
}

int bh_printf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	int n = bh_vprintf(fmt, ap);
	va_end(ap);
	return n;
}

const struct bh_start_info *bh_start_info(void)
{
	return &start_info;
}
