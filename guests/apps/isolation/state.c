/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * CPU state: registers a VM reads and writes without a VM exit must not
 * cross VMs (docs/guest-abi.md, "CPU state a VM owns"). Two or more
 * state-X VMs run on one CPU; each checks that it starts with the entry
 * state, writes values of its own (X picks them), then yields ROUNDS
 * times, each time checking it gets back exactly what it wrote and not
 * what another state-X VM wrote meanwhile.
 *
 * IA32_KERNEL_GS_BASE: WRMSR and RDMSR exit (and are refused), but SWAPGS
 * exchanges it with GS.base without an exit. GS.base is set without an
 * exit by loading GS from a GDT of the VM's own (a 32-bit base), and read
 * without RDGSBASE (CR4.FSGSBASE is the kernel's and clear) through a
 * table whose every quadword holds its own address: a load from
 * GS:table gives table + GS.base for any GS.base below TABLE_BYTES that
 * is a multiple of 8. So a VM writes KERNEL_GS_BASE with "load GS;
 * SWAPGS" and reads it with "SWAPGS; load through GS; SWAPGS". Patterns
 * are kept in range so what another VM left is read, not faulted on.
 *
 * CR2 (MOV to and from CR2 never exit), x87 FCW, MXCSR and XMM15 are
 * switched already (vmentry.asm, run.c); they are checked the same way.
 *
 * state-b, state-c, ... first yield 4, 8, ... times, so they read their
 * entry state after state-a has written its values: a fresh VM must not
 * see them. A VM that reads a wrong value writes its own again, so that
 * the next VM to run would see it: every direction is tried.
 * XMM15 is written, carried over the yield and read in one asm statement
 * because the compiler may use XMM registers (guests may use SSE).
 */
#include "isolation.h"

#include <bulkhead/hypercall.h>

#define ROUNDS       16
#define TABLE_BYTES  4096
#define GS_SELECTOR  0x20           /* GDT entry 4: past the entry CS, DS, TR */
#define FCW_ENTRY    0x37f
#define MXCSR_ENTRY  0x1f80

static uint64_t gdt[5] __attribute__((aligned(16))) = {
	[1] = 0x00af9b000000ffffull,    /* the entry CS, as docs/guest-abi.md gives it */
	[2] = 0x00cf93000000ffffull,    /* the entry DS/SS */
};
static uint64_t table[TABLE_BYTES / 8];

/* A present, accessed, writable data segment with the given base. */
static uint64_t data_descriptor(uint32_t base)
{
	return 0x00cf93000000ffffull | (uint64_t)(base & 0xffffff) << 16 |
	       (uint64_t)(base >> 24) << 56;
}

static void load_gs_base(uint32_t base)
{
	gdt[4] = data_descriptor(base);
	asm volatile("mov %0, %%gs" : : "r"((uint16_t)GS_SELECTOR) : "memory");
}

/* GS.base, if it is below TABLE_BYTES and a multiple of 8. */
static uint64_t gs_base(void)
{
	uint64_t v;

	asm volatile("mov %%gs:(%1), %0" : "=r"(v) : "r"(table) : "memory");
	return v - (uintptr_t)table;
}

static uint64_t kernel_gs_base(void)
{
	asm volatile("swapgs" : : : "memory");
	uint64_t v = gs_base();
	asm volatile("swapgs" : : : "memory");
	return v;
}

static void set_kernel_gs_base(uint32_t value)
{
	load_gs_base(value);
	asm volatile("swapgs" : : : "memory");
}

static uint64_t read_cr2(void)
{
	uint64_t v;

	asm volatile("mov %%cr2, %0" : "=r"(v));
	return v;
}

/* Whether the x87 control word and MXCSR are cw and mx. */
static bool fpu_controls_are(uint16_t cw, uint32_t mx)
{
	uint16_t c;
	uint32_t m;

	asm volatile("fnstcw %0\n\tstmxcsr %1" : "=m"(c), "=m"(m));
	return c == cw && m == mx;
}

/* Writes xmm into XMM15, yields, and returns what XMM15 then holds. */
static uint64_t yield_with_xmm15(uint64_t xmm)
{
	uint64_t out, ret;

	asm volatile("movq %2, %%xmm15\n\t"
	             "vmcall\n\t"
	             "movq %%xmm15, %1"
	             : "=a"(ret), "=r"(out)
	             : "r"(xmm), "a"((uint64_t)BH_HC_YIELD)
	             : "memory", "cc", "xmm15");
	(void)ret;
	return out;
}

int state_probe(void)
{
	const char *name = probe_name();
	const uint64_t x = (uint8_t)name[sizeof("state-") - 1];   /* 'a', 'b', ... */
	const uint32_t kgs = (uint32_t)(x & 0x1f) << 6;           /* 0x40.., below 4 KiB */
	const uint64_t cr2 = 0xc2c2000000000000ull | x << 8;
	const uint64_t xmm = 0x5555000000000000ull | x;
	const uint16_t cw = (FCW_ENTRY & ~(3u << 10)) | (uint16_t)((x & 3) << 10);
	const uint32_t mx = (MXCSR_ENTRY & ~(3u << 13)) | (uint32_t)((x & 3) << 13);
	struct bh_tally t = { 0 };
	unsigned bad_kgs = 0, bad_cr2 = 0, bad_fpu = 0;
	uint64_t seen_kgs = 0, seen_cr2 = 0, seen_xmm = 0;
	uint64_t wrong_kgs = 0, wrong_cr2 = 0, wrong_xmm = 0;

	for (unsigned i = 0; i < TABLE_BYTES / 8; i++)
		table[i] = (uintptr_t)&table[i];
	struct __attribute__((packed)) { uint16_t limit; uint64_t base; } gdtr = {
		sizeof(gdt) - 1, (uintptr_t)gdt };
	asm volatile("lgdt %0" : : "m"(gdtr) : "memory");
	load_gs_base(0);

	bh_probe_say("KERNEL_GS_BASE, CR2, FCW, MXCSR, XMM15 across %u yields", ROUNDS);
	for (unsigned i = 0; i < 4 * (x - 'a'); i++)
		bh_yield();
	uint64_t v = kernel_gs_base();
	bh_check(&t, v == 0, "KERNEL_GS_BASE starts at 0 (read 0x%llx)", (unsigned long long)v);
	v = read_cr2();
	bh_check(&t, v == 0, "CR2 starts at 0 (read 0x%llx)", (unsigned long long)v);
	bh_check(&t, fpu_controls_are(FCW_ENTRY, MXCSR_ENTRY),
	         "FCW and MXCSR start at 0x%x and 0x%x", FCW_ENTRY, MXCSR_ENTRY);

	for (unsigned i = 0; i < ROUNDS; i++) {
		if (i == 0 || seen_kgs != kgs)
			set_kernel_gs_base(kgs);
		if (i == 0 || seen_cr2 != cr2)
			asm volatile("mov %0, %%cr2" : : "r"(cr2));
		if (i == 0 || bad_fpu) {
			asm volatile("fldcw %0" : : "m"(cw));
			asm volatile("ldmxcsr %0" : : "m"(mx));
		}
		seen_xmm = yield_with_xmm15(xmm);
		seen_kgs = kernel_gs_base();
		seen_cr2 = read_cr2();
		if (seen_kgs != kgs)
			bad_kgs++, wrong_kgs = seen_kgs;
		if (seen_cr2 != cr2)
			bad_cr2++, wrong_cr2 = seen_cr2;
		if (seen_xmm != xmm || !fpu_controls_are(cw, mx))
			bad_fpu++, wrong_xmm = seen_xmm;
	}
	bh_check(&t, !bad_kgs, "KERNEL_GS_BASE 0x%x kept across %u yields (%u wrong, last wrong 0x%llx)",
	         kgs, ROUNDS, bad_kgs, (unsigned long long)wrong_kgs);
	bh_check(&t, !bad_cr2, "CR2 0x%llx kept across %u yields (%u wrong, last wrong 0x%llx)",
	         (unsigned long long)cr2, ROUNDS, bad_cr2, (unsigned long long)wrong_cr2);
	bh_check(&t, !bad_fpu, "FCW 0x%x, MXCSR 0x%x, XMM15 0x%llx kept across %u yields "
	         "(%u wrong, last wrong XMM15 0x%llx)", cw, mx, (unsigned long long)xmm, ROUNDS,
	         bad_fpu, (unsigned long long)wrong_xmm);
	return bh_tally_summary(&t);
}
