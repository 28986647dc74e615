/* SPDX-License-Identifier: GPL-2.0-only */
#include "kernel/channel.h"

#include <stdbool.h>

#include <bulkhead/errno.h>
#include <bulkhead/guest_abi.h>
#include <bulkhead/hypercall.h>
#include <bulkhead/policy_blob.h>

#include "arch/virt.h"
#include "kernel/channel_rights.h"
#include "kernel/channel_state.h"
#include "kernel/linux_vm.h"
#include "kernel/log.h"
#include "kernel/vm_copy.h"
#include "kernel/vm_cpu.h"
#include "lib/string.h"
#include "mm/phys.h"
#include "mm/records.h"
#include "policy/blob.h"

struct channel {
	const char *name;         /* in the policy blob */
	uint32_t flags;           /* BH_POLICY_CH_* */
	uint64_t hpa, size;       /* the shared region; hpa 0 if it was never had or is freed */
	const char *end_name[2];  /* each end's VM declaration, in the policy blob */
	uint32_t end_decl[2];     /* its index */
	struct vm *end[2];        /* the VM holding that end (its monitor for a Linux VM), or NULL */
	uint32_t handle[2];       /* its handle in that VM's list */
	struct channel_state state;
};

/* As many as the policy declares, from boot memory (mm/records.h). */
static struct channel *channels;
static uint32_t nchannels;

static uint64_t window(uint32_t handle)
{
	return BH_GUEST_CHANNEL_BASE + (uint64_t)handle * BH_GUEST_CHANNEL_STRIDE;
}

/* Allocates channel i's region, zeroed; a region that cannot be had
 * leaves the channel without one (no VM ever takes it). */
static void allocate(const void *policy, uint32_t i)
{
	const struct bh_policy_channel *p = policy_channel(policy, i);
	struct channel *ch = &channels[i];
	bool relaunchable[2];

	*ch = (struct channel){ .name = policy_string(policy, p->name), .flags = p->flags,
	                        .size = p->size };
	for (unsigned e = 0; e < 2; e++) {
		const struct bh_policy_vm *v = policy_vm(policy, p->end[e]);
		ch->end_name[e] = policy_vm_name(policy, v);
		ch->end_decl[e] = p->end[e];
		relaunchable[e] = !(v->flags & BH_POLICY_VM_BOOT);
	}
	channel_state_init(&ch->state, relaunchable[0], relaunchable[1]);
	ch->hpa = frame_alloc(&phys_frames, ch->size / PAGE_SIZE, 1);
	if (!ch->hpa) {
		kprintf("channel %s: not set up: no %llu KiB of memory left\n", ch->name,
		        (unsigned long long)(ch->size >> 10));
		ch->state.freed = true;
		return;
	}
	memset((void *)(uintptr_t)ch->hpa, 0, ch->size);
}

/* Maps channel i into vm (the VM, not yet its channel holder) as end e.
 * Returns 0, or a negative error, logged. */
static int take_end(uint32_t i, unsigned e, struct vm *vm)
{
	struct channel *ch = &channels[i];
	struct vm *holder = linux_vm_channel_holder(vm);
	uint32_t h = holder->nchan;

	if (h == BH_CHANNELS_PER_VM) {
		kprintf("channel %s: not set up for %s: it holds %u channels already\n", ch->name,
		        vm->name, BH_CHANNELS_PER_VM);
		return -BH_ENOSPC;
	}
	int rc = arch_vm_map(holder, window(h), ch->hpa, ch->size, channel_end_writes(ch->flags, e));
	if (rc) {
		/* What was mapped dies with the holder's EPT. */
		kprintf("channel %s: not set up: cannot map it into %s (error %d)\n", ch->name,
		        holder->name, rc);
		return rc;
	}
	ch->end[e] = holder;
	ch->handle[e] = h;
	holder->chan[h] = (struct vm_channel){ .index = i, .end = (uint8_t)e };
	holder->nchan++;
	linux_vm_channel_attached(holder, ch->name, h);
	return 0;
}

/* End e's VM had the region taken from it when its peer went; the
 * channel is up again: the region, scrubbed, goes back at the same
 * window. A map of the VM's EPT from this CPU while it may run on its
 * own: adding a translation needs no flush on its CPU (arch_vm_map's
 * flush of this CPU is not needed either). Cannot fail in practice (the
 * unmap freed no table); if it does, the VM is stopped rather than told
 * the channel is up when it cannot reach it. Returns 0 or the error. */
static int map_again(struct channel *ch, unsigned e)
{
	struct vm *vm = ch->end[e];
	int rc = arch_vm_map(vm, window(ch->handle[e]), ch->hpa, ch->size,
	                     channel_end_writes(ch->flags, e));
	if (rc) {
		ch->state.mapped[e] = false;
		vm_stop(vm, "channel %s could not be mapped back into it (error %d)", ch->name, rc);
	}
	return rc;
}

/* The channel came up: at boot, or at run time (its generation said). */
static void log_up(const struct channel *ch, bool at_run_time)
{
	const char *a = ch->end[0]->name, *b = ch->end[1]->name, *dir = channel_direction(ch->flags);
	unsigned long long kib = ch->size >> 10;
	if (at_run_time)
		kprintf("channel %s: %s <-> %s, %llu KiB, %s: up, generation %u\n", ch->name, a, b,
		        kib, dir, ch->state.generation);
	else
		kprintf("channel %s: %s <-> %s, %llu KiB, %s\n", ch->name, a, b, kib, dir);
}

/* Whether vm is what the policy calls end e of ch: the VM of that
 * declaration which has its name (a VM launched from the template under
 * another name takes no channel of it). */
static bool is_end(const struct channel *ch, unsigned e, const struct vm *vm)
{
	return vm->policy_index == ch->end_decl[e] && !strcmp(vm->name, ch->end_name[e]);
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
		allocate(policy, i);
	nchannels = n;
	/* Channel by channel, so each VM's handles are in policy order. */
	for (uint32_t i = 0; i < n; i++) {
		struct channel *ch = &channels[i];
		for (unsigned e = 0; e < 2 && !ch->state.freed; e++) {
			struct vm *vm = vm_find_live(vm_first, ch->end_name[e]);
			if (vm && is_end(ch, e, vm) && take_end(i, e, vm) == 0)
				channel_state_started(&ch->state, e);
		}
		if (channel_state_up(&ch->state))
			log_up(ch, false);
		else if (!ch->state.freed)
			kprintf("channel %s: %s <-> %s, %llu KiB: down until both run\n", ch->name,
			        ch->end_name[0], ch->end_name[1], (unsigned long long)(ch->size >> 10));
	}
}

void channels_vm_started(struct vm *vm)
{
	for (uint32_t i = 0; i < nchannels; i++) {
		struct channel *ch = &channels[i];
		for (unsigned e = 0; e < 2; e++) {
			if (!is_end(ch, e, vm))
				continue;
			if (!channel_state_may_take(&ch->state, e)) {
				kprintf("channel %s: not set up for %s: it has no region (a boot VM's "
				        "end stopped for good, or memory ran out at boot)\n", ch->name,
				        vm->name);
				continue;
			}
			if (take_end(i, e, vm))
				continue;
			/* The region may hold what the peer wrote while alone, or
			 * what the last holder of this end left: the new end starts
			 * with the empty rings a zeroed region is. */
			memset((void *)(uintptr_t)ch->hpa, 0, ch->size);
			if (!channel_state_started(&ch->state, e))
				continue;
			struct vm *peer = ch->end[1 - e];
			/* Told of the last peer, not yet waited: nothing to take
			 * away now that a new one is here. */
			peer->gone_told &= ~BH_EVENT_CHANNEL_GONE(ch->handle[1 - e]);
			if (channel_state_remap_peer(&ch->state, e) && map_again(ch, 1 - e))
				continue;
			vm_signal(peer, BH_EVENT_CHANNEL_DATA(ch->handle[1 - e]));
			log_up(ch, true);
		}
	}
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
		info.flags = channel_end_flags(ch->flags, e) |
		             (channel_state_up(&ch->state) ? BH_CHANNEL_UP : 0);
		info.end = e;
		info.handle = h;
		info.generation = ch->state.generation;
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
	if (!channel_state_up(&ch->state))
		return -BH_EPIPE;
	*peer = ch->end[1 - e];
	vm_signal(*peer, BH_EVENT_CHANNEL_DATA(ch->handle[1 - e]));
	return 0;
}

void channels_vm_stopped(struct vm *vm)
{
	for (uint32_t h = 0; h < vm->nchan; h++) {
		struct channel *ch = &channels[vm->chan[h].index];
		unsigned e = vm->chan[h].end;
		if (ch->end[e] == vm && channel_state_stopped(&ch->state, e))
			vm_signal(ch->end[1 - e], BH_EVENT_CHANNEL_GONE(ch->handle[1 - e]));
	}
}

void channels_told(struct vm *vm, int64_t result)
{
	if (result <= 0 || !((uint64_t)result & BH_EVENT_CHANNEL_GONE_ALL))
		return;
	for (uint32_t h = 0; h < vm->nchan; h++)
		if (((uint64_t)result & BH_EVENT_CHANNEL_GONE(h)) &&
		    !channel_state_up(&channels[vm->chan[h].index].state))
			vm->gone_told |= BH_EVENT_CHANNEL_GONE(h);
}

void channels_wait_begins(struct vm *vm)
{
	uint64_t told = vm->gone_told;

	vm->gone_told = 0;
	for (uint32_t h = 0; h < vm->nchan; h++) {
		struct channel *ch = &channels[vm->chan[h].index];
		unsigned e = vm->chan[h].end;
		if (!(told & BH_EVENT_CHANNEL_GONE(h)) || ch->end[e] != vm ||
		    !channel_state_let_go(&ch->state, e))
			continue;
		int rc = arch_vm_unmap(vm, window(h), ch->size);
		if (rc) {
			ch->state.mapped[e] = true;
			kprintf("channel %s: still mapped in %s: unmapping failed (error %d)\n",
			        ch->name, vm->name, rc);
			continue;
		}
		kprintf("channel %s: unmapped from %s: its peer is gone\n", ch->name, vm->name);
	}
}

const char *channel_taken_at(const struct vm *vm, uint64_t gpa)
{
	if (gpa < BH_GUEST_CHANNEL_BASE)
		return NULL;
	uint64_t h = (gpa - BH_GUEST_CHANNEL_BASE) / BH_GUEST_CHANNEL_STRIDE;
	if (h >= vm->nchan)
		return NULL;
	const struct channel *ch = &channels[vm->chan[h].index];
	unsigned e = vm->chan[h].end;
	if (ch->end[e] != vm || ch->state.mapped[e] || gpa - window(h) >= ch->size)
		return NULL;
	return ch->name;
}

void channels_vm_reaped(struct vm *vm)
{
	for (uint32_t h = 0; h < vm->nchan; h++) {
		struct channel *ch = &channels[vm->chan[h].index];
		unsigned e = vm->chan[h].end;
		/* A VM launched under this end's name since holds it now. */
		if (ch->end[e] != vm)
			continue;
		ch->end[e] = NULL;
		/* Scrubbed before it is freed: nothing written to it reaches a
		 * later tenant of the frames. */
		if (channel_state_reaped(&ch->state, e)) {
			memset((void *)(uintptr_t)ch->hpa, 0, ch->size);
			frame_free(&phys_frames, ch->hpa, ch->size / PAGE_SIZE);
			ch->hpa = 0;
			kprintf("channel %s: freed (%llu KiB): it can never be up again\n", ch->name,
			        (unsigned long long)(ch->size >> 10));
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
		memcpy(out->end[e], ch->end_name[e], strlen(ch->end_name[e]) + 1);
		out->gone |= ch->state.running[e] ? 0 : 1u << e;
	}
	out->size = ch->size;
	out->flags = channel_stat_flags(ch->flags);
	return 0;
}
