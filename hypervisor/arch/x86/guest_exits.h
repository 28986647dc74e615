/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The decisions VM-exit handlers share across the CPU back ends (private
 * to arch/x86): what a hypercall, CPUID, HLT or MSR read does, and the log
 * lines of refused and contained accesses. Each back end's exit table
 * (vmx/exits.c, svm/exits.c) reads the exit from its VMCS or VMCB, calls
 * these, and writes the result back, so a guest sees the same policy and
 * the log says the same on either CPU.
 */
#ifndef ARCH_X86_GUEST_EXITS_H
#define ARCH_X86_GUEST_EXITS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arch/x86/guest_regs.h"
#include "kernel/vm.h"

/* A handler's result: resume the guest, or an enum vm_run_result. */
#define EXIT_RESUME (-1)

/*
 * A hypercall with the number and arguments in r (docs/hypercalls.md),
 * made from guest ring 0 unless user. The caller has already moved RIP past
 * the instruction. Sets r->rax to the result where the guest resumes with
 * one; returns EXIT_RESUME or the vm_run_result the dispatch asked for.
 */
int guest_exit_hypercall(struct vm *vm, struct guest_regs *r, bool user);

/* CPUID with leaf and subleaf in r->rax and r->rcx: the filtered view of
 * cpuid_filter.h, written to r's RAX, RBX, RCX and RDX. */
void guest_exit_cpuid(struct vm *vm, struct guest_regs *r);

/* HLT: the VM waits for an event like BH_HC_WAIT(forever). Returns RUN_WAIT. */
int guest_exit_hlt(struct vm *vm);

/*
 * Whether a native VM may read msr, and if so its value in *value: the TSC,
 * and its own EFER and PAT (passed in, as the back end holds them).
 * Every other read and every write is refused.
 */
bool guest_msr_read(uint32_t msr, uint64_t efer, uint64_t pat, uint64_t *value);

/* "RDMSR of MSR 0x..." / "WRMSR of MSR 0x... refused", into buf. */
void guest_describe_msr(char *buf, size_t size, uint32_t msr, bool write);

/* "I/O port 0x.. read|write (N bytes[, string]) denied", into buf. */
void guest_describe_io(char *buf, size_t size, uint16_t port, bool in,
                       unsigned bytes, bool string);

/*
 * "<table> violation: read|write|execute at guest-physical 0x..." into buf,
 * table being "EPT" or "NPT", and ", in channel NAME, unmapped: its peer
 * is gone" when gpa is in a channel window vm had taken from it
 * (kernel/channel.h).
 */
void guest_describe_violation(char *buf, size_t size, const struct vm *vm, const char *table,
                              bool write, bool exec, uint64_t gpa);

/* Logs "vm NAME: <what>: #GP injected, rip ..." if the VM's log limit
 * allows (the VM is not stopped and may repeat it in a loop). */
void guest_log_refusal(struct vm *vm, const char *what, uint64_t rip);

/* Stops the VM: "<what> at rip 0x...". Returns RUN_STOPPED. */
int guest_contain(struct vm *vm, const char *what, uint64_t rip);

#endif
