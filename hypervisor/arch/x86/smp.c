/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Starting the application processors (contracts in arch/smp.h) and the
 * IPI that makes one look at its VMs again.
 *
 * Start-up follows the INIT-SIPI-SIPI sequence (SDM Vol. 3A §9.4.4.1,
 * "Typical BSP Initialization Sequence"): an INIT IPI, 10 ms, then two
 * start-up IPIs 200 us apart whose vector is the page number of the
 * trampoline (ap_trampoline.asm) copied below 1 MiB. One AP at a time:
 * each gets its own stack and parameter block, takes its tables, turns on
 * VMX or SVM, and says how that went in its percpu before the next one is
 * started. An AP that does not answer within AP_ANSWER_MS is sent INIT
 * again and not counted, and the start-up ends there: should it answer
 * late, no other AP is waiting under its index.
 */
#include "arch/smp.h"

#include <bulkhead/errno.h>

#include "arch/time.h"
#include "arch/x86/cpu.h"
#include "arch/x86/gdt.h"
#include "arch/x86/lapic.h"
#include "arch/x86/mm/kernel_space.h"
#include "arch/x86/percpu.h"
#include "arch/x86/trap.h"
#include "arch/x86/virt_backend.h"
#include "arch/x86/x86_defs.h"
#include "kernel/kernel_lock.h"
#include "kernel/log.h"
#include "lib/string.h"
#include "mm/phys.h"

_Static_assert(ARCH_MAX_CPUS == MAX_CPUS, "one CPU limit for the kernel and arch/x86");

#define AP_PARAMS_OFFSET 0xf00       /* = AP_PARAMS in ap_trampoline.asm */
#define AP_TABLE_PAGES   6           /* PML4, PDPT, 4 PDs: 4 GiB in 2 MiB pages */
#define AP_AREA_PAGES    (1 + AP_TABLE_PAGES)
#define AP_ANSWER_MS     200
#define LOW_MEMORY_END   0x100000ull

/* ICR low half (SDM Vol. 3A §11.6.1). */
#define ICR_INIT         (5u << 8)
#define ICR_STARTUP      (6u << 8)
#define ICR_FIXED        (0u << 8)
#define ICR_LEVEL_ASSERT (1u << 14)

#define PTE_P   (1ull << 0)
#define PTE_W   (1ull << 1)
#define PTE_PS  (1ull << 7)

/* Read by the trampoline at AP_PARAMS_OFFSET: keep in step with the
 * P_* offsets in ap_trampoline.asm. */
struct __attribute__((packed)) ap_params {
	uint16_t gdt_limit;
	uint32_t gdt_base;
	uint16_t pad0;
	uint32_t jump32_offset;
	uint16_t jump32_selector;
	uint16_t pad1;
	uint32_t jump64_offset;
	uint16_t jump64_selector;
	uint16_t pad2;
	uint32_t base;
	uint32_t tables;
	uint64_t entry;
	uint64_t stack;
	uint64_t kernel_cr3;
	uint64_t cpu;
	uint64_t gdt[4];
};
_Static_assert(__builtin_offsetof(struct ap_params, base) == 0x18, "P_BASE");
_Static_assert(__builtin_offsetof(struct ap_params, entry) == 0x20, "P_ENTRY");
_Static_assert(__builtin_offsetof(struct ap_params, gdt) == 0x40, "P_GDT");

extern const uint8_t ap_trampoline_start[], ap_trampoline_end[];
extern const uint8_t ap_trampoline_pm32[], ap_trampoline_lm64[];
void ap_entry(unsigned cpu, uint64_t kernel_cr3);
void ap_main(unsigned cpu);

struct percpu percpus[MAX_CPUS];
_Static_assert(__builtin_offsetof(struct percpu, index) == 0, "cpu_this reads %gs:0");
_Static_assert(__builtin_offsetof(struct percpu, self) == 8, "percpu_this reads %gs:8");
static unsigned cpus_online = 1;
static void (*ap_continue)(unsigned cpu);

/* What the boot CPU's control registers say, for the APs to copy. */
static uint64_t boot_cr0, boot_cr4, boot_pat, boot_xcr0;

/* How an AP's start went, written by the AP and read by the boot CPU as it
 * waits: 0 running, else a negative error with why. */
static volatile int ap_answer;
/* The index of the AP that answered last: a slow one from an earlier try
 * can never be taken for the one being started. */
static volatile int ap_answered = -1;
static const char *volatile ap_why;

void percpu_init(unsigned index, uint32_t apic_id)
{
	percpus[index].index = index;
	percpus[index].apic_id = apic_id;
	percpus[index].self = &percpus[index];
	wrmsr(MSR_GS_BASE, (uint64_t)(uintptr_t)&percpus[index]);
}

void percpu_forget_vm(const struct vm *vm)
{
	for (unsigned cpu = 0; cpu < MAX_CPUS; cpu++) {
		if (percpus[cpu].fx_owner == vm)
			percpus[cpu].fx_owner = NULL;
		if (percpus[cpu].linux_owner == vm)
			percpus[cpu].linux_owner = NULL;
	}
}

unsigned arch_cpu_this(void)
{
	return cpu_this();
}

unsigned arch_cpu_count(void)
{
	return cpus_online;
}

void arch_cpu_relax(void)
{
	cpu_relax();
}

void arch_cpu_kick(unsigned cpu)
{
	if (cpu != cpu_this() && cpu < cpus_online)
		lapic_send_ipi(percpus[cpu].apic_id, ICR_FIXED | ICR_LEVEL_ASSERT | LAPIC_KICK_VECTOR);
}

/* Where the trampoline and its page tables go: AP_AREA_PAGES of usable
 * memory below 1 MiB, page 0 excluded (the frame allocator never hands out
 * memory below 1 MiB, mm/phys.h). 0 if there is no such place. */
static uint64_t find_low_area(const struct mem_region *r, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (r[i].kind != MEM_USABLE)
			continue;
		uint64_t start = r[i].base < PAGE_SIZE ? PAGE_SIZE : r[i].base;
		uint64_t end = r[i].base + r[i].size;
		if (end > LOW_MEMORY_END)
			end = LOW_MEMORY_END;
		if (start < end && end - start >= AP_AREA_PAGES * PAGE_SIZE)
			return start;
	}
	return 0;
}

/* The trampoline's identity map of [0, 4 GiB) in 2 MiB pages, in the
 * AP_TABLE_PAGES after its code page. No NX bit: the APs have not set
 * EFER.NXE when they load it. */
static void build_tables(uint64_t area)
{
	uint64_t *pml4 = (uint64_t *)(uintptr_t)(area + PAGE_SIZE);
	uint64_t *pdpt = pml4 + 512;
	memset(pml4, 0, AP_TABLE_PAGES * PAGE_SIZE);
	pml4[0] = (uint64_t)(uintptr_t)pdpt | PTE_P | PTE_W;
	for (unsigned g = 0; g < 4; g++) {
		uint64_t *pd = pdpt + 512 * (1 + g);
		pdpt[g] = (uint64_t)(uintptr_t)pd | PTE_P | PTE_W;
		for (unsigned i = 0; i < 512; i++)
			pd[i] = ((uint64_t)g << 30 | (uint64_t)i << 21) | PTE_P | PTE_W | PTE_PS;
	}
}

static void write_params(uint64_t area, unsigned cpu, uint64_t stack_top)
{
	struct ap_params *p = (struct ap_params *)(uintptr_t)(area + AP_PARAMS_OFFSET);
	uint32_t base = (uint32_t)area;
	*p = (struct ap_params){
		.gdt_limit = sizeof(p->gdt) - 1,
		.gdt_base = base + AP_PARAMS_OFFSET + (uint32_t)__builtin_offsetof(struct ap_params, gdt),
		.jump32_offset = base + (uint32_t)(ap_trampoline_pm32 - ap_trampoline_start),
		.jump32_selector = 0x08,
		.jump64_offset = base + (uint32_t)(ap_trampoline_lm64 - ap_trampoline_start),
		.jump64_selector = 0x18,
		.base = base,
		.tables = base + PAGE_SIZE,
		.entry = (uint64_t)(uintptr_t)ap_entry,
		.stack = stack_top,
		.kernel_cr3 = read_cr3(),
		.cpu = cpu,
		/* selectors 0x08, 0x10, 0x18 as ap_trampoline.asm uses them */
		.gdt = { 0, GDT_CODE32, GDT_KDATA, GDT_KCODE },
	};
}

static void wait_tsc(uint64_t cycles)
{
	uint64_t start = rdtsc();
	while (rdtsc() - start < cycles)
		cpu_relax();
}

/* Sends INIT-SIPI-SIPI to apic_id and waits for its answer. */
static bool start_one(unsigned cpu, uint32_t apic_id, uint64_t area)
{
	uint32_t vector = (uint32_t)(area >> 12);
	lapic_send_ipi(apic_id, ICR_INIT | ICR_LEVEL_ASSERT);
	wait_tsc(arch_ns_to_tsc(10000000));
	for (int i = 0; i < 2 && ap_answered != (int)cpu; i++) {
		lapic_send_ipi(apic_id, ICR_STARTUP | ICR_LEVEL_ASSERT | vector);
		wait_tsc(arch_ns_to_tsc(200000));
	}
	uint64_t give_up = rdtsc() + arch_ns_to_tsc(AP_ANSWER_MS * 1000000ull);
	while (__atomic_load_n(&ap_answered, __ATOMIC_ACQUIRE) != (int)cpu && rdtsc() < give_up)
		cpu_relax();
	return ap_answered == (int)cpu;
}

unsigned arch_cpus_start(const uint32_t *apic_ids, unsigned n,
                         const struct mem_region *regions, size_t nregions,
                         void (*cpu_main)(unsigned cpu))
{
	percpus[0].apic_id = apic_ids[0];
	if (n <= 1)
		return 1;
	if (n > MAX_CPUS) {
		kprintf("smp: the firmware lists %u CPUs; the kernel uses the first %u\n", n,
		        (unsigned)MAX_CPUS);
		n = MAX_CPUS;
	}
	const char *no = NULL;
	uint64_t area = find_low_area(regions, nregions);
	if (!lapic_can_ipi())
		no = "the local APIC cannot send IPIs";
	else if (!area)
		no = "no usable memory below 1 MiB for the start-up code";
	else if ((uint64_t)(uintptr_t)ap_entry >= (1ull << 32))
		no = "the kernel lies above 4 GiB, beyond the start-up code's map";
	if (no) {
		kprintf("smp: application processors not started: %s; VMs run on CPU 0 only\n", no);
		return 1;
	}
	boot_cr0 = read_cr0();
	boot_cr4 = read_cr4();
	boot_pat = rdmsr(MSR_IA32_PAT);
	if (boot_cr4 & CR4_OSXSAVE)
		boot_xcr0 = xgetbv(0);
	ap_continue = cpu_main;
	memcpy((void *)(uintptr_t)area, ap_trampoline_start,
	       (size_t)(ap_trampoline_end - ap_trampoline_start));
	build_tables(area);

	for (unsigned i = 1; i < n; i++) {
		unsigned cpu = cpus_online;
		/* Its stack, then its GDT, TSS and IST stacks, in one run; the
		 * stack is used through its guarded slot, not the identity map. */
		uint64_t tables_pages = (gdt_cpu_tables_size() + PAGE_SIZE - 1) / PAGE_SIZE;
		uint64_t stack = frame_alloc(&phys_frames, KERNEL_AP_STACK_PAGES + tables_pages, 1);
		if (!stack) {
			kprintf("smp: cpu %u (APIC ID %u): no memory for its stack and tables; not "
			        "started\n", cpu, apic_ids[i]);
			break;
		}
		/* Slot i, not cpu: one that halted below keeps its slot, and
		 * the next AP tried takes its index. */
		uint64_t stack_top = kernel_space_map_ap_stack(i, stack);
		if (!stack_top) {
			frame_free(&phys_frames, stack, KERNEL_AP_STACK_PAGES + tables_pages);
			kprintf("smp: cpu %u (APIC ID %u): no page table for its stack (the early "
			        "pool is used up); not started\n", cpu, apic_ids[i]);
			break;
		}
		void *tables = (void *)(uintptr_t)(stack + KERNEL_AP_STACK_PAGES * PAGE_SIZE);
		memset(tables, 0, tables_pages * PAGE_SIZE);
		gdt_assign_cpu_tables(cpu, tables);
		percpus[cpu].apic_id = apic_ids[i];
		write_params(area, cpu, stack_top);
		if (!start_one(cpu, apic_ids[i], area)) {
			/* INIT again parks it in wait-for-SIPI, should it be
			 * slow rather than dead; its stack stays its own. */
			lapic_send_ipi(apic_ids[i], ICR_INIT | ICR_LEVEL_ASSERT);
			kprintf("smp: cpu %u (APIC ID %u): did not answer the start-up IPIs; parked, "
			        "and no further CPU is started\n", cpu, apic_ids[i]);
			break;   /* a late answer then names no CPU being started */
		}
		if (ap_answer) {
			/* It stopped itself after saying why (ap_main). */
			kprintf("smp: cpu %u (APIC ID %u): cannot run VMs: %s; left halted\n", cpu,
			        apic_ids[i], ap_why);
			continue;
		}
		cpus_online++;
		kprintf("smp: cpu %u (APIC ID %u) started, %s on\n", cpu, apic_ids[i],
		        virt_backend_name());
	}
	return cpus_online;
}

/* An AP's first C code, on its own stack and the kernel's page tables,
 * interrupts off. Nothing here may print or take kernel state until the
 * kernel lock is held: the boot CPU holds it and waits for ap_answered. */
void ap_main(unsigned cpu)
{
	write_cr0(boot_cr0);
	write_cr4(boot_cr4 & ~(uint64_t)CR4_VMXE);
	wrmsr(MSR_IA32_PAT, boot_pat);
	/* Guests read XCR0 without an exit (XGETBV): the same on every CPU. */
	if (boot_cr4 & CR4_OSXSAVE)
		xsetbv(0, boot_xcr0);
	gdt_init_cpu(cpu);
	percpu_init(cpu, percpus[cpu].apic_id);
	idt_load();
	lapic_init_ap();
	const char *why = "";
	int rc = virt_cpu_init(cpu, &why);
	ap_why = why;
	ap_answer = rc;
	__atomic_store_n(&ap_answered, (int)cpu, __ATOMIC_RELEASE);
	if (rc)
		cpu_stop();
	kernel_lock();
	ap_continue(cpu);
	cpu_stop();
}
