/* SPDX-License-Identifier: GPL-2.0-only */
/* Exit decisions shared by the back ends for Linux guests (linux_exits.h). */
#include "arch/x86/linux_exits.h"

#include <bulkhead/monitor.h>

#include "arch/time.h"
#include "arch/x86/cpu.h"
#include "arch/x86/guest_exits.h"
#include "arch/x86/linux_cpuid.h"
#include "arch/x86/x86_defs.h"

#define EFER_SCE   (1ull << 0)
#define EFER_LME   (1ull << 8)
#define EFER_LINUX (EFER_SCE | EFER_LME | EFER_LMA | EFER_NXE)

void linux_regs_from_guest(struct bh_monitor_regs *r, const struct guest_regs *g)
{
	r->rax = g->rax; r->rcx = g->rcx; r->rdx = g->rdx; r->rbx = g->rbx;
	r->rbp = g->rbp; r->rsi = g->rsi; r->rdi = g->rdi;
	r->r8 = g->r8; r->r9 = g->r9; r->r10 = g->r10; r->r11 = g->r11;
	r->r12 = g->r12; r->r13 = g->r13; r->r14 = g->r14; r->r15 = g->r15;
	r->cr2 = g->cr2;
}

void linux_regs_to_guest(struct guest_regs *g, const struct bh_monitor_regs *r)
{
	g->rax = r->rax; g->rcx = r->rcx; g->rdx = r->rdx; g->rbx = r->rbx;
	g->rbp = r->rbp; g->rsi = r->rsi; g->rdi = r->rdi;
	g->r8 = r->r8; g->r9 = r->r9; g->r10 = r->r10; g->r11 = r->r11;
	g->r12 = r->r12; g->r13 = r->r13; g->r14 = r->r14; g->r15 = r->r15;
}

void linux_exit_cpuid(struct vm *vm, struct guest_regs *g)
{
	uint32_t leaf = (uint32_t)g->rax, sub = (uint32_t)g->rcx;
	struct cpuid_regs host = cpuid(leaf, sub), leaf0 = cpuid(0, 0);
	struct cpuid_regs ext0 = cpuid(CPUID_LEAF_EXT_BASE, 0);
	struct cpuid_regs r = linux_cpuid_view(leaf, sub, &host, &leaf0, &ext0, arch_tsc_hz(), vm->id);

	g->rax = r.eax;
	g->rbx = r.ebx;
	g->rcx = r.ecx;
	g->rdx = r.edx;
}

/* A PAT value whose eight entries are all memory types (0, 1, 4-7). */
static bool pat_valid(uint64_t pat)
{
	for (int i = 0; i < 8; i++) {
		unsigned t = (pat >> (8 * i)) & 0xff;
		if (t == 2 || t == 3 || t > 7)
			return false;
	}
	return true;
}

enum linux_msr_result linux_exit_msr(struct vm *vm, struct guest_regs *g, bool write,
                                     uint64_t efer, uint64_t pat, struct linux_msrs *m,
                                     uint64_t rip, uint64_t *value)
{
	uint32_t msr = (uint32_t)g->rcx;

	*value = (g->rdx << 32) | (uint32_t)g->rax;
	if (write) {
		if (msr == MSR_IA32_EFER && !(*value & ~EFER_LINUX))
			return LINUX_MSR_SET_EFER;
		if (msr == MSR_IA32_PAT && pat_valid(*value))
			return LINUX_MSR_SET_PAT;
		if (msr != MSR_IA32_EFER && msr != MSR_IA32_PAT && linux_msr_write(m, msr, *value))
			return LINUX_MSR_DONE;
	} else if (guest_msr_read(msr, efer, pat, value) || linux_msr_read(m, msr, value)) {
		g->rax = (uint32_t)*value;
		g->rdx = *value >> 32;
		return LINUX_MSR_DONE;
	}
	char what[48];
	guest_describe_msr(what, sizeof(what), msr, write);
	guest_log_refusal(vm, what, rip);
	return LINUX_MSR_REFUSED;
}
