/* SPDX-License-Identifier: GPL-2.0-only */
/* The nested page-table entry format (contract in npt.h). */
#include "arch/x86/svm/npt.h"

#define NPT_P   (1ull << 0)
#define NPT_RW  (1ull << 1)
#define NPT_US  (1ull << 2)
#define NPT_PWT (1ull << 3)
#define NPT_PCD (1ull << 4)
#define NPT_NX  (1ull << 63)

static uint64_t npt_leaf_bits(unsigned flags)
{
	uint64_t bits = NPT_P | NPT_US;
	if (flags & EPT_WRITE)
		bits |= NPT_RW;
	if (!(flags & EPT_EXEC))
		bits |= NPT_NX;
	if (flags & EPT_UNCACHED)
		bits |= NPT_PCD | NPT_PWT;
	return bits;
}

const struct ept_format npt_format = {
	.walk = { .present = NPT_P, .table = NPT_P | NPT_RW | NPT_US },
	.leaf_bits = npt_leaf_bits,
};
