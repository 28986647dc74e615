/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Channels (docs/channels.md): for each channel the policy declares, one
 * region of memory mapped into exactly the two VMs it names, with the
 * rights it gives each end, plus an event in each allowed direction. The
 * kernel maps, delivers events and scrubs; data never passes through it.
 * An end is the VM of the declaration the policy names, under that name
 * (a Linux VM's channels are held by its monitor); it takes the channel
 * when it starts, at boot or launched, and an end that stops may be
 * launched again (kernel/channel_state.h says when the channel is up).
 */
#ifndef KERNEL_CHANNEL_H
#define KERNEL_CHANNEL_H

#include <stdint.h>

#include <bulkhead/hypercall.h>

#include "kernel/vm.h"

/*
 * Allocates every channel of the policy, zeroed memory from the frame
 * allocator, and maps each into those of its ends that are running boot
 * VMs. A channel one of whose ends is not running is logged as down: its
 * running end holds it, and NOTIFY returns -BH_EPIPE until the other
 * starts.
 */
void channels_setup(const void *policy);

/* vm (a launched VM, after its creation; for a Linux VM the guest, with
 * its monitor) takes the channels it is an end of: each is scrubbed and
 * mapped into it, and a peer already running gets the region mapped back
 * if it had been taken away (channels_wait_begins), then its
 * BH_EVENT_CHANNEL_DATA with the channel's generation grown (the channel
 * is up again). */
void channels_vm_started(struct vm *vm);

/* BH_HC_CHANNEL_FIND / NOTIFY for vm; arguments as in hypercall.h. A
 * successful notify sets *peer to the VM it signalled. */
int64_t channel_find(struct vm *vm, uint64_t name_gpa, uint64_t info_gpa);
int64_t channel_notify(struct vm *vm, uint64_t handle, struct vm **peer);

/* Describes channel i (0-based, in policy order), its ends by their
 * declarations' names, an end gone if it is not running; -BH_ENOENT past
 * the end. */
struct bh_channel_stat;
int channel_stat(uint32_t i, struct bh_channel_stat *out);

/* vm stopped: its running peers get BH_EVENT_CHANNEL_GONE; their
 * notifies fail until the end is launched again. They keep the region
 * mapped until told and waiting again (channels_wait_begins). */
void channels_vm_stopped(struct vm *vm);

/* A wait (BH_HC_WAIT, BH_HC_MONITOR_RUN) of vm returns result: a GONE
 * bit in it tells vm its peer is gone (docs/channels.md, "When a peer
 * stops"). Those of channels still down are remembered until vm's next
 * wait (one that came back up meanwhile is not gone any more). */
void channels_told(struct vm *vm, int64_t result);

/*
 * vm, on its own CPU, waits again after a wait told it of gone peers
 * (vm->gone_told): it has had its chance to read what they left, and each
 * such channel still down is unmapped from it (arch_vm_unmap), so that a
 * touch is a fault. The channel coming up again maps it back, scrubbed.
 */
void channels_wait_begins(struct vm *vm);

/* The channel whose window holds guest-physical gpa in vm, if vm holds it
 * and has had it unmapped (channels_wait_begins); else NULL. For the
 * message of the violation such a touch causes. */
const char *channel_taken_at(const struct vm *vm, uint64_t gpa);

/* vm is being reaped: it holds its channels no more. A region that can
 * never be up again and nobody maps is scrubbed and freed; one whose ends
 * may both be launched again stays, held for a running peer. */
void channels_vm_reaped(struct vm *vm);

#endif
