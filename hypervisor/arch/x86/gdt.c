/* SPDX-License-Identifier: GPL-2.0-only */
#include "arch/x86/gdt.h"

#include "arch/x86/cpu.h"
#include "lib/string.h"

/* 64-bit TSS (SDM Vol. 3A §8.7, Figure 8-11). */
struct __attribute__((packed)) tss64 {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1;
	uint64_t ist[7];
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iomap_base;
};

#define IST_STACK_SIZE 8192

struct cpu_tables {
	uint64_t gdt[5];       /* null, code, data, TSS (two slots) */
	struct tss64 tss;
	uint8_t ist_stack[3][IST_STACK_SIZE] __attribute__((aligned(16)));
};

/* The boot CPU's are static; each AP's come from smp.c's allocation
 * (gdt_assign_cpu_tables), so MAX_CPUS costs a pointer per CPU, not 25 KiB. */
static struct cpu_tables boot_cpu_tables __attribute__((aligned(64)));
static struct cpu_tables *cpu_tables[MAX_CPUS] = { &boot_cpu_tables };

size_t gdt_cpu_tables_size(void)
{
	return sizeof(struct cpu_tables);
}

void gdt_assign_cpu_tables(unsigned cpu, void *mem)
{
	cpu_tables[cpu] = mem;
}


static void set_tss_descriptor(uint64_t *slot, uint64_t base, uint32_t limit)
{
	/* Available 64-bit TSS, type 9, present (SDM Vol. 3A §8.2.3). */
	slot[0] = (limit & 0xffffull) | ((base & 0xffffffull) << 16) |
	          (0x89ull << 40) | (((uint64_t)limit >> 16 & 0xf) << 48) |
	          ((base >> 24 & 0xff) << 56);
	slot[1] = base >> 32;
}

void gdt_init_cpu(unsigned cpu)
{
	struct cpu_tables *t = cpu_tables[cpu];

	memset(&t->tss, 0, sizeof(t->tss));
	for (int i = 0; i < 3; i++)
		t->tss.ist[i] = (uint64_t)(uintptr_t)(t->ist_stack[i] + IST_STACK_SIZE);
	t->tss.iomap_base = sizeof(t->tss);   /* no I/O bitmap: all ports privileged */

	t->gdt[0] = 0;
	t->gdt[1] = GDT_KCODE;
	t->gdt[2] = GDT_KDATA;
	set_tss_descriptor(&t->gdt[3], (uint64_t)(uintptr_t)&t->tss, sizeof(t->tss) - 1);

	struct desc_ptr p = { sizeof(t->gdt) - 1, (uint64_t)(uintptr_t)t->gdt };
	lgdt(&p);
	/* Reload CS with a far return; data segments are plain moves. */
	__asm__ volatile(
		"pushq %[cs]\n\t"
		"leaq 1f(%%rip), %%rax\n\t"
		"pushq %%rax\n\t"
		"lretq\n"
		"1:\n\t"
		"movl %[ds], %%eax\n\t"
		"movl %%eax, %%ds\n\t"
		"movl %%eax, %%es\n\t"
		"movl %%eax, %%ss\n\t"
		"xorl %%eax, %%eax\n\t"
		"movl %%eax, %%fs\n\t"
		"movl %%eax, %%gs\n\t"
		: : [cs] "i"(SEL_KCODE), [ds] "i"(SEL_KDATA) : "rax", "memory");
	ltr(SEL_TSS);
}

uint64_t gdt_tss_base(unsigned cpu)
{
	return (uint64_t)(uintptr_t)&cpu_tables[cpu]->tss;
}

bool gdt_ist_stack_bounds(uint64_t addr, uint64_t *lo, uint64_t *hi)
{
	for (unsigned cpu = 0; cpu < MAX_CPUS; cpu++) {
		const struct cpu_tables *t = cpu_tables[cpu];
		if (!t)
			continue;
		for (int i = 0; i < 3; i++) {
			uint64_t bottom = (uint64_t)(uintptr_t)t->ist_stack[i];
			if (addr >= bottom && addr < bottom + IST_STACK_SIZE) {
				*lo = bottom;
				*hi = bottom + IST_STACK_SIZE;
				return true;
			}
		}
	}
	return false;
}
