/* SPDX-License-Identifier: GPL-2.0-only */
#include "kernel/channel.h"

#include <stdbool.h>

#include <bulkhead/errno.h>
#include <bulkhead/guest_abi.h>
#include <bulkhead/hypercall.h>
#include <bulkhead/policy_blob.h>

#include "arch/virt.h"
#include "kernel/channel_rights.h"
#include "kernel/linux_vm.h"
#include "kernel/log.h"
#include "kernel/vm_copy.h"
#include "lib/string.h"
#include "mm/phys.h"
#include "mm/records.h"
#include "policy/blob.h"

struct channel {
	const char *name;         /* in the policy blob */
	uint32_t flags;           /* BH_POLICY_CH_* */
	uint64_t hpa, size;       /* the shared region; hpa 0 once freed */
	struct vm *end[2];
	uint32_t handle[2];       /* its handle in each end's list */
	bool gone[2];             /* that end has stopped */
	bool reaped[2];           /* that end's VM is reaped: its slot may be reused */
};

/* As many as the policy declares, from boot memory (mm/records.h). */
static struct channel *channels;
static uint32_t nchannels;

static uint64_t window(uint32_t handle)
{
	return BH_GUEST_CHANNEL_BASE + (uint64_t)handle * BH_GUEST_CHANNEL_STRIDE;
}

static int setup_one(const void *policy, const struct bh_policy_channel *p)
{
	struct channel *ch = &channels[nchannels];
	const char *name = policy_string(policy, p->name);

	*ch = (struct channel){ .name = name, .flags = p->flags, .size = p->size };
	for (unsigned e = 0; e < 2; e++) {
		const char *vm_name = policy_vm_name(policy, policy_vm(policy, p->end[e]));
		ch->end[e] = vm_find_live(vm_first, vm_name);
		if (!ch->end[e]) {
			kprintf("channel %s: not set up: VM %s is not running\n", name, vm_name);
			return -BH_ENOENT;
		}
		ch->end[e] = linux_vm_channel_holder(ch->end[e]);
		if (ch->end[e]->nchan == BH_CHANNELS_PER_VM) {
			kprintf("channel %s: not set up: VM %s holds %u channels already\n", name,
			        vm_name, BH_CHANNELS_PER_VM);
			return -BH_ENOSPC;
		}
	}
	ch->hpa = frame_alloc(&phys_frames, ch->size / PAGE_SIZE, 1);
	if (!ch->hpa) {
		kprintf("channel %s: not set up: no %llu KiB of memory left\n", name,
		        (unsigned long long)(ch->size >> 10));
		return -BH_ENOMEM;
	}
	memset((void *)(uintptr_t)ch->hpa, 0, ch->size);
	for (unsigned e = 0; e < 2; e++) {
		struct vm *vm = ch->end[e];
		uint32_t h = vm->nchan;
		int rc = arch_vm_map(vm, window(h), ch->hpa, ch->size,
		                     channel_end_writes(ch->flags, e));
		if (rc) {
			/* The first end's mapping dies with its EPT; the region
			 * stays allocated, zeroed and unreachable by the second. */
			kprintf("channel %s: not set up: cannot map it into %s (error %d)\n",
			        name, vm->name, rc);
			return rc;
		}
		ch->handle[e] = h;
		linux_vm_channel_attached(vm, name, h);
		vm->chan[h] = (struct vm_channel){ .index = nchannels, .end = (uint8_t)e };
		vm->nchan++;
	}
	kprintf("channel %s: %s <-> %s, %llu KiB, %s\n", name, ch->end[0]->name,
	        ch->end[1]->name, (unsigned long long)(ch->size >> 10),
	        channel_direction(ch->flags));
	nchannels++;
	return 0;
}

void channels_setup(const void *policy)
{
	uint32_t n = policy_channel_count(policy);
	if (!n)
		return;
	channels = record_alloc(&phys_frames, n * sizeof(*channels));
	if (!channels) {
		kprintf("channels: none set up: no memory for %u channel records\n", n);
		return;
	}
	for (uint32_t i = 0; i < n; i++)
		setup_one(policy, policy_channel(policy, i));
}

int64_t channel_find(struct vm *vm, uint64_t name_gpa, uint64_t info_gpa)
{
	char name[BH_CHANNEL_NAME_MAX];
	struct bh_channel_info info = { 0 };

	if (!vm_range_ok(vm, info_gpa, sizeof(info)) ||
	    vm_copy_string(vm, name, name_gpa, sizeof(name)))
		return -BH_EFAULT;

	for (uint32_t h = 0; h < vm->nchan; h++) {
		const struct channel *ch = &channels[vm->chan[h].index];
		unsigned e = vm->chan[h].end;
		if (strcmp(ch->name, name))
			continue;
		info.gpa = window(h);
		info.size = ch->size;
		info.flags = channel_end_flags(ch->flags, e);
		info.end = e;
		info.handle = h;
		vm_copy_out(vm, info_gpa, &info, sizeof(info));
		return h;
	}
	return -BH_EPERM;   /* not held: whether it exists elsewhere is not said */
}

int64_t channel_notify(struct vm *vm, uint64_t handle, struct vm **peer)
{
	if (handle >= vm->nchan)
		return -BH_EPERM;
	struct channel *ch = &channels[vm->chan[handle].index];
	unsigned e = vm->chan[handle].end;
	if (!channel_end_signals(ch->flags, e))
		return -BH_EPERM;
	if (ch->gone[1 - e])
		return -BH_EPIPE;
	*peer = ch->end[1 - e];
	(*peer)->events |= BH_EVENT_CHANNEL_DATA(ch->handle[1 - e]);
	return 0;
}

void channels_vm_stopped(struct vm *vm)
{
	for (uint32_t h = 0; h < vm->nchan; h++) {
		struct channel *ch = &channels[vm->chan[h].index];
		unsigned e = vm->chan[h].end;
		ch->gone[e] = true;
		if (!ch->gone[1 - e])
			ch->end[1 - e]->events |= BH_EVENT_CHANNEL_GONE(ch->handle[1 - e]);
	}
}

void channels_vm_reaped(struct vm *vm)
{
	for (uint32_t h = 0; h < vm->nchan; h++) {
		struct channel *ch = &channels[vm->chan[h].index];
		ch->reaped[vm->chan[h].end] = true;
		/* Freed only when both ends are done with it, scrubbed first:
		 * nothing written to it reaches a later tenant of the frames. */
		if (ch->reaped[0] && ch->reaped[1] && ch->hpa) {
			memset((void *)(uintptr_t)ch->hpa, 0, ch->size);
			frame_free(&phys_frames, ch->hpa, ch->size / PAGE_SIZE);
			ch->hpa = 0;
		}
	}
	vm->nchan = 0;
}

int channel_stat(uint32_t i, struct bh_channel_stat *out)
{
	if (i >= nchannels)
		return -BH_ENOENT;
	const struct channel *ch = &channels[i];
	memset(out, 0, sizeof(*out));
	memcpy(out->name, ch->name, strlen(ch->name) + 1);
	for (unsigned e = 0; e < 2; e++) {
		memcpy(out->end[e], ch->end[e]->name, strlen(ch->end[e]->name) + 1);
		out->gone |= ch->gone[e] ? 1u << e : 0;
	}
	out->size = ch->size;
	out->flags = channel_stat_flags(ch->flags);
	return 0;
}
