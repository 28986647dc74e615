/* SPDX-License-Identifier: GPL-2.0-only */
/* Sorting for apps that summarise samples (contract: bulkhead/runtime.h). */
#include <bulkhead/runtime.h>

/* Heapsort: O(n log n) with no extra memory. An O(n^2) sort of 10,000
 * samples would cost more emulated time than a benchmark itself. */
static void sift_down(uint64_t *a, size_t root, size_t n)
{
	for (;;) {
		size_t child = 2 * root + 1;
		if (child >= n)
			return;
		if (child + 1 < n && a[child + 1] > a[child])
			child++;
		if (a[root] >= a[child])
			return;
		uint64_t t = a[root];
		a[root] = a[child];
		a[child] = t;
		root = child;
	}
}

void bh_sort_u64(uint64_t *a, size_t n)
{
	for (size_t i = n / 2; i-- > 0;)
		sift_down(a, i, n);
	for (size_t end = n; end-- > 1;) {
		uint64_t t = a[0];
		a[0] = a[end];
		a[end] = t;
		sift_down(a, 0, end);
	}
}
