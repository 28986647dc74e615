/* SPDX-License-Identifier: GPL-2.0-only */
/* Formatting for an output path (contract: bulkhead/runtime.h, bh_vformat). */
#include <bulkhead/runtime.h>

/* Most output fits this stack buffer; only longer output costs a heap
 * allocation. */
#define SMALL_BUF 256

int bh_vformat(bh_emit_fn emit, void *ctx, const char *fmt, va_list ap)
{
	char small[SMALL_BUF];
	va_list again;

	/* ap is spent by the first pass; the second needs its own copy. */
	va_copy(again, ap);
	int n = bh_vsnprintf(small, sizeof(small), fmt, ap);
	if (n >= 0 && (size_t)n < sizeof(small)) {
		emit(ctx, small, (size_t)n);
	} else if (n > 0) {
		char *big = bh_malloc((size_t)n + 1);
		if (big) {
			bh_vsnprintf(big, (size_t)n + 1, fmt, again);
			emit(ctx, big, (size_t)n);
			bh_free(big);
		} else {
			emit(ctx, small, sizeof(small) - 1);
		}
	}
	va_end(again);
	return n;
}
