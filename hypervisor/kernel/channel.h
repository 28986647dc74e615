/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Channels (docs/channels.md): for each channel the policy declares, one
 * region of memory mapped into exactly the two VMs it names, with the
 * rights it gives each end, plus an event in each allowed direction. The
 * kernel maps, delivers events and scrubs; data never passes through it.
 */
#ifndef KERNEL_CHANNEL_H
#define KERNEL_CHANNEL_H

#include <stdint.h>

#include "kernel/vm.h"

/*
 * Sets up every channel of the policy whose two ends are running VMs:
 * zeroed memory from the frame allocator, mapped into both EPTs. A channel
 * whose end did not start is logged and left out (its other end's FIND
 * then fails with -BH_EPERM).
 */
void channels_setup(const void *policy);

/* BH_HC_CHANNEL_FIND / NOTIFY for vm; arguments as in hypercall.h. A
 * successful notify sets *peer to the VM it signalled. */
int64_t channel_find(struct vm *vm, uint64_t name_gpa, uint64_t info_gpa);
int64_t channel_notify(struct vm *vm, uint64_t handle, struct vm **peer);

/* Describes channel i (0-based, in set-up order); -BH_ENOENT past the end. */
struct bh_channel_stat;
int channel_stat(uint32_t i, struct bh_channel_stat *out);

/* vm stopped: its peers get BH_EVENT_CHANNEL_GONE; later notifies fail. */
void channels_vm_stopped(struct vm *vm);

/* vm is being reaped: regions neither end uses any more are scrubbed and freed. */
void channels_vm_reaped(struct vm *vm);

#endif
