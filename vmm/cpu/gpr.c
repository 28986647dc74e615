/* SPDX-License-Identifier: GPL-2.0-only */
/* General registers by number (contract in gpr.h). */
#include "cpu/gpr.h"

static uint64_t *slot(struct bh_monitor_regs *r, unsigned n)
{
	uint64_t *regs[16] = {
		&r->rax, &r->rcx, &r->rdx, &r->rbx, &r->rsp, &r->rbp, &r->rsi, &r->rdi,
		&r->r8, &r->r9, &r->r10, &r->r11, &r->r12, &r->r13, &r->r14, &r->r15,
	};
	return n < 16 ? regs[n] : 0;
}

static uint64_t mask_of(unsigned size)
{
	return size >= 8 ? ~0ull : (1ull << (8 * size)) - 1;
}

uint64_t gpr_read(const struct bh_monitor_regs *r, unsigned n, unsigned size, bool high_byte)
{
	uint64_t *p = slot((struct bh_monitor_regs *)r, n);

	if (!p || (high_byte && (n > 3 || size != 1)))
		return 0;
	if (high_byte)
		return (*p >> 8) & 0xff;
	return *p & mask_of(size);
}

void gpr_write(struct bh_monitor_regs *r, unsigned n, unsigned size, bool high_byte, uint64_t value)
{
	uint64_t *p = slot(r, n);

	if (!p || (size != 1 && size != 2 && size != 4 && size != 8))
		return;
	if (high_byte) {
		if (n <= 3 && size == 1)
			*p = (*p & ~0xff00ull) | ((value & 0xff) << 8);
		return;
	}
	if (size == 4)
		*p = value & 0xffffffffull;   /* 32-bit writes zero-extend */
	else
		*p = (*p & ~mask_of(size)) | (value & mask_of(size));
}
