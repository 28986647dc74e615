/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A VM's configuration from its policy declaration: the one translation
 * from struct bh_policy_vm to struct vm_config, shared by the boot VMs
 * (main.c) and the launched ones (control.c), so both are built by the
 * same rules. Pure: host tests run it on the compiler's blobs.
 */
#ifndef KERNEL_VM_CONFIG_H
#define KERNEL_VM_CONFIG_H

#include <stdint.h>

#include "kernel/vm.h"

/*
 * A CPU budget of budget_us in every period_us, in parts per million of
 * the CPU, from the policy's exact microseconds (the TSC figures a VM runs
 * by are rounded, and budgets summing to exactly 100% must still fit);
 * 0 for best effort (period 0).
 */
uint64_t cpu_share_ppm(uint32_t budget_us, uint32_t period_us);

/*
 * Fills *c for the VM the validated policy declares at index: its image,
 * memory, rights, CPU budget and where it is declared. name is the VM's
 * name, or NULL for the declaration's own (a boot VM); launched_by is the
 * launcher, NULL for a boot VM. A Linux declaration gives kind VM_KIND_LINUX
 * (its monitor's configuration is kernel/linux_vm.c's). Only a boot VM of
 * kind control owns the console: it is handed over once, at boot. c->name points at name or into
 * the policy, so it lives as long as they do.
 */
void vm_config_from_policy(struct vm_config *c, const void *policy, uint32_t index,
                           const char *name, struct vm *launched_by);

#endif
