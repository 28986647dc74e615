/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Instructions: what a ring-0 guest could use to reach past its VM.
 *
 * - VMX instructions: the kernel injects #UD (docs/guest-abi.md, "Other
 *   instructions"); with no guest IDT that is a triple fault:
 *       vm NAME: stopped: triple fault (an exception it could not handle) at rip 0x...
 * - XSETBV: #UD (CR4.OSXSAVE is 0) or #GP from the kernel; then the same.
 * - MOV to CR0/CR4: the kernel owns every bit and refuses any change:
 *       vm NAME: write to CR0 refused (0x...): #GP injected, rip 0x...
 *   then the triple fault. Both a change the CPU would refuse anyway
 *   (clearing PG in 64-bit mode, a reserved CR4 bit) and ones it would
 *   allow (setting CR0.CD, CR4.PGE).
 * - MOV to DR7: "debug-register access refused", then the triple fault.
 * - RDPMC: #GP, then the triple fault.
 * - CLI and spin forever (insn-cli-spin): never stopped, but the
 *   VMX-preemption timer must still end its slices, so the other VMs run.
 * - HLT with interrupts off (insn-hlt): waits forever and costs no CPU.
 */
#include "isolation.h"

#define CR0_PG  (1ull << 31)
#define CR0_CD  (1ull << 30)
#define CR4_PGE (1ull << 7)
#define CR4_RESERVED (1ull << 31)

static uint64_t read_cr0(void)
{
	uint64_t v;

	asm volatile("mov %%cr0, %0" : "=r"(v));
	return v;
}

static uint64_t read_cr4(void)
{
	uint64_t v;

	asm volatile("mov %%cr4, %0" : "=r"(v));
	return v;
}

static int vmxon(void)
{
	/* A VMXON region's address, page-aligned and inside the VM. */
	static uint32_t region[1024] __attribute__((aligned(4096)));
	uint64_t pa = (uintptr_t)region;

	region[0] = 0x2b;   /* a plausible VMCS revision */
	bh_probe_say("vmxon [0x%llx]", (unsigned long long)pa);
	asm volatile("vmxon %0" : : "m"(pa) : "memory", "cc");
	return bh_probe_not_contained("vmxon returned");
}

static int vmlaunch(void)
{
	bh_probe_say("vmlaunch");
	asm volatile("vmlaunch" : : : "memory", "cc");
	return bh_probe_not_contained("vmlaunch returned");
}

static int invept(void)
{
	/* All-context invalidation: the descriptor is not even looked at. */
	struct { uint64_t eptp, zero; } desc = { 0, 0 };
	uint64_t type = 2;

	bh_probe_say("invept all-context");
	asm volatile("invept %0, %1" : : "m"(desc), "r"(type) : "memory", "cc");
	return bh_probe_not_contained("invept returned");
}

static int xsetbv(void)
{
	/* XCR0 = 0 is invalid: bit 0 (x87) must be set. */
	bh_probe_say("xsetbv XCR0 = 0");
	asm volatile("xsetbv" : : "c"(0), "a"(0), "d"(0) : "memory");
	return bh_probe_not_contained("xsetbv returned");
}

static int write_cr0(uint64_t set, uint64_t clear, const char *what)
{
	uint64_t v = (read_cr0() | set) & ~clear;

	bh_probe_say("mov cr0, 0x%llx (%s)", (unsigned long long)v, what);
	asm volatile("mov %0, %%cr0" : : "r"(v) : "memory");
	return bh_probe_not_contained("mov to cr0 went through; cr0 reads 0x%llx",
	                              (unsigned long long)read_cr0());
}

static int write_cr4(uint64_t set, const char *what)
{
	uint64_t v = read_cr4() | set;

	bh_probe_say("mov cr4, 0x%llx (%s)", (unsigned long long)v, what);
	asm volatile("mov %0, %%cr4" : : "r"(v) : "memory");
	return bh_probe_not_contained("mov to cr4 went through; cr4 reads 0x%llx",
	                              (unsigned long long)read_cr4());
}

static int cr0_pg(void) { return write_cr0(0, CR0_PG, "clear PG"); }
static int cr0_cd(void) { return write_cr0(CR0_CD, 0, "set CD"); }
static int cr4_bad(void) { return write_cr4(CR4_RESERVED, "set reserved bit 31"); }
static int cr4_pge(void) { return write_cr4(CR4_PGE, "set PGE"); }

static int dr7(void)
{
	uint64_t v = 0x401;   /* enable breakpoint 0 */

	bh_probe_say("mov dr7, 0x%llx", (unsigned long long)v);
	asm volatile("mov %0, %%dr7" : : "r"(v) : "memory");
	return bh_probe_not_contained("mov to dr7 went through");
}

static int rdpmc(void)
{
	uint32_t lo, hi;

	bh_probe_say("rdpmc 0");
	asm volatile("rdpmc" : "=a"(lo), "=d"(hi) : "c"(0));
	return bh_probe_not_contained("rdpmc returned 0x%llx", (unsigned long long)hi << 32 | lo);
}

static int cli_spin(void)
{
	bh_probe_say("cli, then spin forever");
	asm volatile("cli");
	for (;;)
		asm volatile("" : : : "memory");
	return bh_probe_not_contained("the endless loop ended");   /* not reached */
}

static int hlt(void)
{
	bh_probe_say("cli, then hlt");
	asm volatile("cli; hlt" : : : "memory");
	/* Nothing can wake it: no interrupts are delivered to a native VM,
	 * and events reach it only through BH_HC_WAIT (docs/guest-abi.md). */
	return bh_probe_not_contained("hlt with interrupts off returned");
}

static const struct bh_role probes[] = {
	{ "insn-vmxon",    vmxon },
	{ "insn-vmlaunch", vmlaunch },
	{ "insn-invept",   invept },
	{ "insn-xsetbv",   xsetbv },
	{ "insn-cr0-pg",   cr0_pg },
	{ "insn-cr0-cd",   cr0_cd },
	{ "insn-cr4-bad",  cr4_bad },
	{ "insn-cr4-pge",  cr4_pge },
	{ "insn-dr7",      dr7 },
	{ "insn-rdpmc",    rdpmc },
	{ "insn-cli-spin", cli_spin },
	{ "insn-hlt",      hlt },
};

int insn_probe(void)
{
	const struct bh_role *p = bh_role_find(probes, sizeof(probes) / sizeof(probes[0]),
	                                       probe_name());

	return p ? p->run() : probe_unknown();
}
