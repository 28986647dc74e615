/* SPDX-License-Identifier: GPL-2.0-only */
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void die_oom(void)
{
	fputs("bulkhead-policy: out of memory\n", stderr);
	exit(2);
}

void *xrealloc(void *p, size_t size)
{
	p = realloc(p, size ? size : 1);
	if (!p)
		die_oom();
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		die_oom();
	return p;
}

char *xstrndup(const char *s, size_t n)
{
	char *p = strndup(s, n);
	if (!p)
		die_oom();
	return p;
}
