/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The CPU back ends behind arch/virt.h (private to arch/x86). Each back end
 * (vmx/ for VT-x, svm/ for AMD-V) implements the arch_vm_* contracts of
 * arch/virt.h as one table; virt.c picks a table once at boot, from CPUID,
 * and forwards every call to it, so generic code never learns which runs.
 */
#ifndef ARCH_X86_VIRT_BACKEND_H
#define ARCH_X86_VIRT_BACKEND_H

#include <stdbool.h>
#include <stdint.h>

#include "arch/virt.h"

struct virt_backend {
	const char *name;   /* for the boot log: "VT-x and EPT", "AMD-V and NPT" */
	/* Reads and logs the CPU's capabilities ("cpu: ..."); NULL if VMs can
	 * run, else a sentence naming what is missing. */
	const char *(*probe)(void);
	/* The contracts of the arch_* functions of the same names (arch/virt.h). */
	int (*init)(const char **why);
	/* Turns hardware virtualization on for application processor cpu as
	 * init did on the boot CPU; 0 or a negative error with *why set. */
	int (*cpu_init)(unsigned cpu, const char **why);
	/* arch_vm_hand_over's contract (arch/virt.h); NULL: nothing to do. */
	void (*vm_hand_over)(struct vm *vm);
	/* arch_vm_release's contract (arch/virt.h). */
	void (*vm_release)(struct vm *vm);
	int (*vm_setup)(struct vm *vm, const struct arch_guest_start *start);
	/* vm_map's flags are mm/ept.h's EPT_READ, EPT_WRITE, EPT_UNCACHED. */
	int (*vm_map)(struct vm *vm, uint64_t gpa, uint64_t hpa, uint64_t size, unsigned flags);
	int (*vm_unmap)(struct vm *vm, uint64_t gpa, uint64_t size);
	uint64_t (*vm_kernel_bytes)(const struct vm *vm);
	void (*vm_teardown)(struct vm *vm);
	enum vm_run_result (*vm_run)(struct vm *vm, uint64_t until);
	void (*vm_set_return)(struct vm *vm, int64_t value);
	/* Linux guests: whether this CPU can run them, then the arch_linux_*
	 * contracts of arch/virt.h. */
	bool (*linux_supported)(void);
	void (*linux_get_regs)(struct vm *vm, struct bh_monitor_regs *r);
	void (*linux_set_regs)(struct vm *vm, const struct bh_monitor_regs *r);
	void (*linux_reset)(struct vm *vm);
};

/* The chosen back end's cpu_init, for arch/x86/smp.c, and its name. */
int virt_cpu_init(unsigned cpu, const char **why);
const char *virt_backend_name(void);

extern const struct virt_backend vmx_backend;   /* arch/x86/vmx/run.c */
extern const struct virt_backend svm_backend;   /* arch/x86/svm/run.c */

#endif
