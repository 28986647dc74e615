/* SPDX-License-Identifier: GPL-2.0-only */
/* VMX operation on the CPUs (private to arch/x86/vmx). */
#ifndef ARCH_X86_VMX_VMX_H
#define ARCH_X86_VMX_VMX_H

#include <stdint.h>

/* VMCS revision identifier from IA32_VMX_BASIC[30:0]. */
uint32_t vmx_revision(void);

/*
 * A zeroed 4 KiB frame of `from` stamped with the VMCS revision, as VMXON
 * regions and VMCSs need (SDM Vol. 3C §25.2). Returns its pointer
 * (identity-mapped) and stores the physical address, or NULL when out of
 * memory.
 */
struct frame_alloc;
void *vmx_alloc_region(struct frame_alloc *from, uint64_t *phys);

/*
 * Enters VMX root operation on CPU `cpu` (the caller runs on it).
 * Returns 0, -BH_EPERM (VMX locked off by firmware), -BH_EINVAL (CR0 cannot
 * meet the VMX fixed bits), -BH_ENOMEM or -BH_EIO (VMXON failed).
 */
int vmx_cpu_enable(unsigned cpu);

/*
 * Reads the VT-x capabilities and logs them on one line ("cpu: ...").
 * Returns NULL if VMs can run, else a sentence naming what is missing.
 */
const char *vmx_probe(void);

#endif
