/* SPDX-License-Identifier: GPL-2.0-only */
/* Software page walk of the guest's tables (contract in guest_walk.h). */
#include <bulkhead/errno.h>

#include "cpu/guest_walk.h"

#define PTE_P     (1ull << 0)
#define PTE_PS    (1ull << 7)
/* Bits 12-51: the physical address of the next table or the page. Bits
 * above MAXPHYADDR are not checked as reserved here: the guest-memory
 * range check refuses any address the guest does not have. */
#define PTE_ADDR  0x000ffffffffff000ull
#define PAGE_SIZE 4096ull

enum x86_mode guest_cpu_mode(const struct bh_monitor_regs *r)
{
	if ((r->efer & X86_EFER_LMA) && (r->cs_flags & BH_MON_CS_L))
		return X86_MODE_64;
	if ((r->cr0 & X86_CR0_PE) && (r->cs_flags & BH_MON_CS_DB))
		return X86_MODE_32;
	return X86_MODE_16;
}

uint64_t guest_rip_linear(const struct bh_monitor_regs *r)
{
	if (guest_cpu_mode(r) == X86_MODE_64)
		return r->rip;
	return (r->cs_base + r->rip) & 0xffffffffull;
}

static int read_entry(const struct guest_memory *m, uint64_t gpa, uint64_t *e)
{
	return guest_read(m, gpa, e, sizeof *e);
}

/* The long-mode walk from the top level down; levels is 4 or 5. */
static int walk_long(const struct guest_memory *m, uint64_t cr3, unsigned levels,
                     uint64_t la, uint64_t *gpa)
{
	unsigned va_bits = levels == 5 ? 57 : 48;
	uint64_t top = la >> (va_bits - 1);

	/* Canonical: bits va_bits-1..63 all equal. */
	if (top != 0 && top != (~0ull >> (va_bits - 1)))
		return -BH_EINVAL;

	uint64_t table = cr3 & PTE_ADDR;
	for (unsigned level = levels; level >= 1; level--) {
		unsigned shift = 12 + 9 * (level - 1);
		uint64_t e;
		int err = read_entry(m, table + ((la >> shift) & 511) * 8, &e);
		if (err)
			return err;
		if (!(e & PTE_P))
			return -BH_ENOENT;
		if (level >= 2 && (e & PTE_PS)) {
			/* 1 GiB pages at level 3, 2 MiB at level 2; PS is
			 * reserved at levels 4 and 5. */
			if (level > 3)
				return -BH_EINVAL;
			uint64_t page = 1ull << shift;
			*gpa = (e & PTE_ADDR & ~(page - 1)) | (la & (page - 1));
			return 0;
		}
		table = e & PTE_ADDR;
	}
	*gpa = table | (la & (PAGE_SIZE - 1));
	return 0;
}

/* PAE: four PDPTEs at CR3 bits 5-31, then a PD and a PT (SDM 4.4). */
static int walk_pae(const struct guest_memory *m, uint64_t cr3, uint64_t la, uint64_t *gpa)
{
	uint64_t e;
	int err = read_entry(m, (cr3 & 0xffffffe0ull) + ((la >> 30) & 3) * 8, &e);

	if (err)
		return err;
	if (!(e & PTE_P))
		return -BH_ENOENT;
	err = read_entry(m, (e & PTE_ADDR) + ((la >> 21) & 511) * 8, &e);
	if (err)
		return err;
	if (!(e & PTE_P))
		return -BH_ENOENT;
	if (e & PTE_PS) {
		*gpa = (e & PTE_ADDR & ~0x1fffffull) | (la & 0x1fffffull);
		return 0;
	}
	err = read_entry(m, (e & PTE_ADDR) + ((la >> 12) & 511) * 8, &e);
	if (err)
		return err;
	if (!(e & PTE_P))
		return -BH_ENOENT;
	*gpa = (e & PTE_ADDR) | (la & (PAGE_SIZE - 1));
	return 0;
}

int guest_translate(const struct guest_memory *m, const struct bh_monitor_regs *r,
                    uint64_t la, uint64_t *gpa)
{
	if (!(r->cr0 & X86_CR0_PG)) {
		*gpa = la & 0xffffffffull;
		return 0;
	}
	if (!(r->cr4 & X86_CR4_PAE))
		return -BH_EINVAL;
	if (r->efer & X86_EFER_LMA)
		return walk_long(m, r->cr3, (r->cr4 & X86_CR4_LA57) ? 5 : 4, la, gpa);
	return walk_pae(m, r->cr3, la & 0xffffffffull, gpa);
}

int guest_fetch(const struct guest_memory *m, const struct bh_monitor_regs *r,
                uint64_t la, uint8_t *buf, size_t n, size_t *got)
{
	*got = 0;
	while (*got < n) {
		uint64_t gpa;
		int err = guest_translate(m, r, la, &gpa);
		if (err)
			return err;
		size_t chunk = (size_t)(PAGE_SIZE - (la & (PAGE_SIZE - 1)));
		if (chunk > n - *got)
			chunk = n - *got;
		err = guest_read(m, gpa, buf + *got, chunk);
		if (err)
			return err;
		*got += chunk;
		la += chunk;
		if (!(r->efer & X86_EFER_LMA))
			la &= 0xffffffffull;
	}
	return 0;
}
