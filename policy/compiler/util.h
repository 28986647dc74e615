/* SPDX-License-Identifier: GPL-2.0-only */
/* Allocation helpers of the policy compiler: out of memory ends the run. */
#ifndef POLICY_UTIL_H
#define POLICY_UTIL_H

#include <stddef.h>

__attribute__((noreturn)) void die_oom(void);
void *xrealloc(void *p, size_t size);
void *xcalloc(size_t n, size_t size);
char *xstrndup(const char *s, size_t n);

/* Makes room for one more element in a growable array *v of *n elements
 * (capacity *cap) and returns the new element, zeroed. */
#define VEC_PUSH(v, n, cap)                                                 \
	(((n) == (cap) ? ((cap) = (cap) ? 2 * (cap) : 8,                     \
	                  (v) = xrealloc((v), (cap) * sizeof(*(v)))) : 0),   \
	 memset(&(v)[(n)], 0, sizeof(*(v))), &(v)[(n)++])

#endif
