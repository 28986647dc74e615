/* SPDX-License-Identifier: GPL-2.0-only */
/* VM-exit dispatch (private to arch/x86/vmx). */
#ifndef ARCH_X86_VMX_EXITS_H
#define ARCH_X86_VMX_EXITS_H

#include "arch/x86/guest_exits.h"
#include "arch/x86/vmx/vcpu.h"
#include "kernel/vm.h"

typedef int (*exit_handler)(struct vm *vm, struct arch_vcpu *v);

/* Handles the exit that just happened on v's (current) VMCS: EXIT_RESUME
 * (guest_exits.h) or an enum vm_run_result. */
int vmx_handle_exit(struct vm *vm, struct arch_vcpu *v);

#endif
