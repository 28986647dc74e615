/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Linux VMs (docs/monitor.md): a pair of VMs the kernel creates and
 * destroys together. The guest runs a stock kernel from its reset state
 * and owns the memory the policy gives it; its monitor is a native VM made
 * from the policy's monitor image, which sees, beside its own memory and
 * channels, exactly: the exit page, the guest's memory, and the guest's
 * kernel and initramfs files read-only (bulkhead/monitor.h gives where).
 * The guest's virtio devices' channels are the monitor's.
 */
#ifndef KERNEL_LINUX_VM_H
#define KERNEL_LINUX_VM_H

#include <stdint.h>

#include <bulkhead/bootinfo.h>

#include "kernel/vm.h"

/*
 * Creates the Linux VM the validated policy declares at index, configured
 * as c (name, memory, launcher, kind VM_KIND_LINUX), and its monitor
 * "NAME.vmm", from the bundle bi. The guest waits at reset for its
 * monitor's START answer. On failure logs why, leaves nothing behind, and
 * returns a negative error.
 */
int linux_vm_create(const struct vm_config *c, const void *policy, uint32_t index,
                    const struct bh_boot_info *bi);

/* The VM that holds a Linux VM's channels (its monitor); any other VM
 * holds its own. */
struct vm *linux_vm_channel_holder(struct vm *vm);

/* Tells vm's guest, if vm is a monitor, the handle of its channel called
 * name, for the virtio device it backs. */
void linux_vm_channel_attached(struct vm *vm, const char *name, uint32_t handle);

/* Frees the exit page of a Linux guest being reaped, scrubbed first. */
void linux_vm_reaped(struct vm *guest);

#endif
