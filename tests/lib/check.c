/* SPDX-License-Identifier: GPL-2.0-only */
/* Runner for tests written with check.h: runs every registered case. */
#include "check.h"

#include <stdarg.h>
#include <stdlib.h>

#define CHECK_MAX_CASES 512

static struct { const char *file, *name; check_fn fn; } cases[CHECK_MAX_CASES];
static int ncases;
static jmp_buf case_abort;

void check_register(const char *file, const char *name, check_fn fn)
{
	if (ncases == CHECK_MAX_CASES) {
		fprintf(stderr, "check: too many test cases\n");
		exit(2);
	}
	const char *slash = strrchr(file, '/');
	cases[ncases].file = slash ? slash + 1 : file;
	cases[ncases].name = name;
	cases[ncases].fn = fn;
	ncases++;
}

void check_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	printf("#   %s:%d: ", file, line);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	longjmp(case_abort, 1);
}

int main(int argc, char **argv)
{
	volatile int failed = 0;
	for (volatile int i = 0; i < ncases; i++) {
		/* Optional filter: run only cases whose name contains argv[1]. */
		if (argc > 1 && !strstr(cases[i].name, argv[1]))
			continue;
		fflush(stdout);
		if (setjmp(case_abort) == 0) {
			cases[i].fn();
			printf("ok - %s:%s\n", cases[i].file, cases[i].name);
		} else {
			printf("not ok - %s:%s\n", cases[i].file, cases[i].name);
			failed++;
		}
	}
	return failed ? 1 : 0;
}
