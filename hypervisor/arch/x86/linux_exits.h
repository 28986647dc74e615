/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The exit decisions a Linux guest gets the same on both CPU back ends
 * (private to arch/x86; the back ends' svm/linux_guest.c and
 * vmx/linux_guest.c read the exit and write the result back): CPUID
 * through linux_cpuid.h, and MSRs through linux_msr.h, with EFER and PAT,
 * which the back ends hold in their VMCB or VMCS.
 */
#ifndef ARCH_X86_LINUX_EXITS_H
#define ARCH_X86_LINUX_EXITS_H

#include <stdbool.h>
#include <stdint.h>

#include "arch/x86/guest_regs.h"
#include "arch/x86/linux_msr.h"
#include "kernel/vm.h"

/* CPUID with leaf and subleaf in g's RAX and RCX: the Linux view, written
 * to g's RAX, RBX, RCX and RDX. */
void linux_exit_cpuid(struct vm *vm, struct guest_regs *g);

/* What the back end does after linux_exit_msr. */
enum linux_msr_result {
	LINUX_MSR_DONE,        /* skip the instruction (a read's result is in g) */
	LINUX_MSR_SET_EFER,    /* write *value to the guest's EFER (LMA kept), skip */
	LINUX_MSR_SET_PAT,     /* write *value to the guest's PAT, skip */
	LINUX_MSR_REFUSED,     /* logged (rate-limited): inject #GP */
};

/*
 * RDMSR or WRMSR (write) by a Linux guest, with ECX and EDX:EAX in g; efer
 * (without SVME) and pat are the guest's current values, m its emulated
 * registers, rip for the log. EFER takes SCE, LME and NXE (LMA is the
 * CPU's); PAT takes memory types only.
 */
enum linux_msr_result linux_exit_msr(struct vm *vm, struct guest_regs *g, bool write,
                                     uint64_t efer, uint64_t pat, struct linux_msrs *m,
                                     uint64_t rip, uint64_t *value);

/* The general registers both back ends keep in struct guest_regs (all
 * but RSP, which the VMCS or VMCB holds), to and from the exit page's
 * form: the rest of struct bh_monitor_regs is the back end's. */
struct bh_monitor_regs;
void linux_regs_from_guest(struct bh_monitor_regs *r, const struct guest_regs *g);
void linux_regs_to_guest(struct guest_regs *g, const struct bh_monitor_regs *r);

#define EFER_LMA (1ull << 10)

#endif
