/* SPDX-License-Identifier: GPL-2.0-only */
/* VM-exit dispatch (private to arch/x86/vmx). */
#ifndef ARCH_X86_VMX_EXITS_H
#define ARCH_X86_VMX_EXITS_H

#include "arch/x86/guest_exits.h"
#include "arch/x86/vmx/vcpu.h"
#include "kernel/vm.h"

typedef int (*exit_handler)(struct vm *vm, struct arch_vcpu *v);

/* Moves the guest past the instruction that exited (the VMCS gives its
 * length) and resumes it: EXIT_RESUME. */
int vmx_skip_instruction(void);

/* Delivers a hardware exception at the next VM entry (SDM Vol. 3C §25.8.3)
 * with error code 0 if error_code, and resumes the guest: EXIT_RESUME. */
int vmx_inject_exception(unsigned vector, bool error_code);

/* General register n in the SDM's encoding (Table 28-3), RSP from the VMCS. */
uint64_t vmx_read_gpr(struct arch_vcpu *v, unsigned n);
void vmx_write_gpr(struct arch_vcpu *v, unsigned n, uint64_t value);

/* Handles the exit that just happened on v's (current) VMCS: EXIT_RESUME
 * (guest_exits.h) or an enum vm_run_result. */
int vmx_handle_exit(struct vm *vm, struct arch_vcpu *v);

#endif
