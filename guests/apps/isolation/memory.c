/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Memory: reads, writes and instruction fetches outside the VM's own
 * guest-physical memory [0, mem_size) (docs/guest-abi.md, "Memory"). EPT
 * maps nothing else, so each must end in an EPT violation that stops the
 * VM:
 *
 *     vm NAME: stopped: EPT violation: read at guest-physical 0x...
 *
 * Probe names are mem-TARGET-ACCESS, ACCESS one of read, write, exec;
 * TARGET a name below or an address in hex, "0x..." (a test launches a
 * probe by name at run time, at an address it learnt then: where, in host
 * memory, another VM lives).
 *
 * The VM's own page tables map only [0x1000, mem_size), so a probe first
 * maps its target into its own address space (the guest runs in ring 0
 * and may edit its tables; isolation must come from EPT alone): a 2 MiB
 * page, present, writable and executable, from page tables of its own
 * where the path has none.
 */
#include "isolation.h"
#include "lib/hex.h"

#define PTE_P    (1ull << 0)
#define PTE_RW   (1ull << 1)
#define PTE_PS   (1ull << 7)
#define PTE_XD   (1ull << 63)
#define PTE_ADDR 0x000ffffffffff000ull
#define TWO_MIB  0x200000ull

/* Where a target lies. The guest knows nothing of host addresses: "high"
 * ones are where, in host memory, the kernel and other VMs may live. */
static const struct {
	const char *name;
	uint64_t gpa;   /* 0: the first byte past the VM's memory */
} targets[] = {
	{ "past",   0 },
	{ "high",   0x0d000000 },
	{ "high2",  0x0e000000 },
	{ "ecam",   0xb0000000 },   /* PCI express configuration space */
	{ "pci",    0xe0000000 },   /* PCI MMIO BARs */
	{ "ioapic", 0xfec00000 },
	{ "lapic",  0xfee00000 },
	{ "flash",  0xffe00000 },   /* firmware flash */
	{ "4g",     0x100000000 },  /* above 4 GiB */
};

/* Page tables the probe may have to add: a PDPT and a PD (the PML4 is
 * CR3's). */
static uint64_t new_tables[2][512] __attribute__((aligned(4096)));
static unsigned new_used;

static uint64_t read_cr3(void)
{
	uint64_t cr3;

	asm volatile("mov %%cr3, %0" : "=r"(cr3));
	return cr3;
}

/* The table *e points to, made first if *e is not present; *e then allows
 * writes and instruction fetches (the leaf decides). */
static uint64_t *table_under(uint64_t *e)
{
	if (!(*e & PTE_P)) {
		if (new_used == sizeof(new_tables) / sizeof(new_tables[0]))
			bh_panic("out of page tables");
		uint64_t *t = new_tables[new_used++];
		memset(t, 0, sizeof(new_tables[0]));
		*e = (uintptr_t)t | PTE_P | PTE_RW;
	} else if (*e & PTE_PS) {
		bh_panic("a large page is in the way");
	}
	*e = (*e | PTE_RW) & ~PTE_XD;
	return (uint64_t *)(uintptr_t)(*e & PTE_ADDR);
}

/* Maps the 2 MiB page around gpa at the same virtual address, read, write
 * and execute. */
static void map_2m(uint64_t gpa)
{
	uint64_t *pml4 = (uint64_t *)(uintptr_t)(read_cr3() & PTE_ADDR);
	uint64_t *pdpt = table_under(&pml4[(gpa >> 39) & 511]);
	uint64_t *pd = table_under(&pdpt[(gpa >> 30) & 511]);

	pd[(gpa >> 21) & 511] = (gpa & ~(TWO_MIB - 1)) | PTE_P | PTE_RW | PTE_PS;
	asm volatile("invlpg (%0)" : : "r"(gpa) : "memory");
}

static int do_read(uint64_t gpa)
{
	bh_probe_say("read 0x%llx", (unsigned long long)gpa);
	uint32_t v = *(volatile uint32_t *)(uintptr_t)gpa;
	return bh_probe_not_contained("read 0x%llx returned 0x%x", (unsigned long long)gpa, v);
}

static int do_write(uint64_t gpa)
{
	bh_probe_say("write 0x%llx", (unsigned long long)gpa);
	*(volatile uint32_t *)(uintptr_t)gpa = 0x5a5a5a5a;
	return bh_probe_not_contained("write 0x%llx went through", (unsigned long long)gpa);
}

static int do_exec(uint64_t gpa)
{
	bh_probe_say("execute 0x%llx", (unsigned long long)gpa);
	((void (*)(void))(uintptr_t)gpa)();
	return bh_probe_not_contained("execute at 0x%llx returned", (unsigned long long)gpa);
}

static const struct {
	const char *name;
	int (*run)(uint64_t gpa);
} accesses[] = {
	{ "read", do_read },
	{ "write", do_write },
	{ "exec", do_exec },
};

/* The address in "0x" and len-2 hex digits at text, or 0 if it is not
 * one (0 is the VM's own memory: never a target). */
static uint64_t hex_target(const char *text, size_t len)
{
	uint64_t gpa = 0;

	if (len < 3 || len > 18 || text[0] != '0' || text[1] != 'x')
		return 0;
	for (size_t i = 2; i < len; i++) {
		int digit = hex_digit_value(text[i]);
		if (digit < 0)
			return 0;
		gpa = gpa << 4 | (uint64_t)digit;
	}
	return gpa;
}

static int run_access(const char *access, uint64_t gpa)
{
	for (size_t a = 0; a < sizeof(accesses) / sizeof(accesses[0]); a++) {
		if (strcmp(accesses[a].name, access) == 0) {
			map_2m(gpa);
			return accesses[a].run(gpa);
		}
	}
	return probe_unknown();
}

int memory_probe(void)
{
	const char *target = probe_name() + strlen("mem-");
	const char *access = target;

	/* mem-TARGET-ACCESS: ACCESS follows the last '-'. */
	for (const char *p = target; *p; p++)
		if (*p == '-')
			access = p + 1;
	size_t target_len = access > target ? (size_t)(access - 1 - target) : 0;

	uint64_t at = hex_target(target, target_len);
	if (at)
		return run_access(access, at);
	for (size_t t = 0; t < sizeof(targets) / sizeof(targets[0]); t++) {
		if (strlen(targets[t].name) != target_len ||
		    strncmp(targets[t].name, target, target_len) != 0)
			continue;
		return run_access(access, targets[t].gpa ? targets[t].gpa :
						      bh_start_info()->mem_size);
	}
	return probe_unknown();
}
