/* SPDX-License-Identifier: GPL-2.0-only */
/* The kernel's own address space (contract in arch/arch.h). */
#include "arch/arch.h"

#include <bulkhead/errno.h>

#include "arch/x86/cpu.h"
#include "arch/x86/gdt.h"
#include "arch/x86/mm/kernel_space.h"
#include "arch/x86/mm/pagetable.h"
#include "lib/string.h"

#define HIDDEN __attribute__((visibility("hidden")))
/* Section bounds from firmware/efi/bulkhead.lds, and the stack guard. */
extern char ImageBase[] HIDDEN, __text_start[] HIDDEN, __text_end[] HIDDEN;
extern char __data_start[] HIDDEN, __data_end[] HIDDEN, __image_end[] HIDDEN;
extern char boot_stack_guard[] HIDDEN;

static struct page_table kernel_pt;
static uint64_t pool_next, pool_end, pool_start;

static uint64_t pool_alloc(void *ctx)
{
	(void)ctx;
	if (pool_end - pool_next < PAGE_SIZE)
		return 0;
	uint64_t frame = pool_next;
	pool_next += PAGE_SIZE;
	memset((void *)(uintptr_t)frame, 0, PAGE_SIZE);
	return frame;
}

/* Table frames are reached through the identity map (everything but the
 * AP stacks is mapped there). */
static void *identity(void *ctx, uint64_t phys)
{
	(void)ctx;
	return (void *)(uintptr_t)phys;
}

static uint64_t addr(const char *p) { return (uint64_t)(uintptr_t)p; }

static int map_range(uint64_t start, uint64_t end, unsigned flags)
{
	if (end <= start)
		return 0;
	return pt_map(&kernel_pt, start, start, end - start, flags);
}

static int map_image(void)
{
	uint64_t guard = addr(boot_stack_guard);
	int rc = map_range(addr(__text_start), addr(__text_end), PT_EXEC);
	if (!rc) /* .reloc, .rodata, relocated pointers: read-only */
		rc = map_range(addr(__text_end), addr(__data_start), 0);
	if (!rc)
		rc = map_range(addr(__data_start), guard, PT_WRITE);
	if (!rc)
		rc = map_range(guard + PAGE_SIZE, addr(__data_end), PT_WRITE);
	if (!rc) /* .dynamic, .rela, .dynsym, .dynstr */
		rc = map_range(addr(__data_end), addr(__image_end), 0);
	return rc;
}

/* Maps [start, end) read+write, no execute, skipping the image itself. */
static int map_ram(uint64_t start, uint64_t end)
{
	uint64_t img_start = addr(ImageBase), img_end = addr(__image_end);
	if (start < PAGE_SIZE)
		start = PAGE_SIZE;   /* page 0 stays unmapped: NULL faults */
	if (end <= img_start || start >= img_end)
		return map_range(start, end, PT_WRITE);
	int rc = map_range(start, img_start, PT_WRITE);
	if (!rc)
		rc = map_range(img_end, end, PT_WRITE);
	return rc;
}

int arch_kernel_space_init(const struct mem_region *regions, size_t n,
                           uint64_t pool, uint64_t pool_size, const char **why)
{
	const struct pt_env env = { pool_alloc, identity, NULL };

	pool_start = pool_next = pool;
	pool_end = pool + pool_size;
	*why = "the early page-table pool is too small";
	int rc = pt_init(&kernel_pt, &env);
	if (rc)
		return rc;
	rc = map_image();
	if (rc) {
		*why = "cannot map the kernel image";
		return rc;
	}
	for (size_t i = 0; i < n; i++) {
		if (regions[i].kind != MEM_USABLE && regions[i].kind != MEM_LOADER)
			continue;
		rc = map_ram(regions[i].base, regions[i].base + regions[i].size);
		if (rc) {
			*why = rc == -BH_ENOMEM ? "the early page-table pool is too small"
			                        : "cannot map RAM";
			return rc;
		}
	}
	/* XD bits are reserved unless EFER.NXE is set (SDM Vol. 3A §4.5);
	 * CR0.WP makes read-only pages read-only for the kernel too. */
	wrmsr(MSR_IA32_EFER, rdmsr(MSR_IA32_EFER) | EFER_NXE);
	write_cr0(read_cr0() | CR0_WP);
	write_cr3(kernel_pt.root);
	return 0;
}

uint64_t arch_kernel_space_table_bytes(void)
{
	return pool_next - pool_start;
}

int kernel_space_map_mmio(uint64_t phys, uint64_t size)
{
	/* A new mapping of a page that was absent: no TLB entry to drop. */
	return map_range(phys, phys + size, PT_WRITE | PT_UNCACHED | PT_NO_LARGE);
}

_Static_assert(KERNEL_AP_STACK_SLOT >= (KERNEL_AP_STACK_PAGES + 1) * PAGE_SIZE,
               "a slot holds the guard page and the stack");

/* Bit s: slot s is mapped. */
static uint64_t ap_stack_slots;
_Static_assert(MAX_CPUS <= 64, "a bit per slot");

uint64_t kernel_space_map_ap_stack(unsigned slot, uint64_t phys)
{
	uint64_t bottom = KERNEL_AP_STACKS + slot * KERNEL_AP_STACK_SLOT + PAGE_SIZE;
	uint64_t size = KERNEL_AP_STACK_PAGES * PAGE_SIZE;
	if (slot >= MAX_CPUS || (ap_stack_slots & (1ull << slot)) ||
	    pt_map(&kernel_pt, bottom, phys, size, PT_WRITE | PT_NO_LARGE))
		return 0;
	ap_stack_slots |= 1ull << slot;
	return bottom + size;
}

bool kernel_space_ap_stack_bounds(uint64_t addr, uint64_t *lo, uint64_t *hi)
{
	if (addr < KERNEL_AP_STACKS)
		return false;
	uint64_t slot = (addr - KERNEL_AP_STACKS) / KERNEL_AP_STACK_SLOT;
	uint64_t bottom = KERNEL_AP_STACKS + slot * KERNEL_AP_STACK_SLOT + PAGE_SIZE;
	uint64_t top = bottom + KERNEL_AP_STACK_PAGES * PAGE_SIZE;
	if (slot >= MAX_CPUS || !(ap_stack_slots & (1ull << slot)) || addr < bottom || addr >= top)
		return false;
	*lo = bottom;
	*hi = top;
	return true;
}
