/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Rules about Linux VMs: the properties each kind may have, the command
 * line, the virtio devices and the channels behind them, and the roles of
 * the images they name. Deny by default: a Linux VM reaches a channel only
 * through a virtio device declared on it, and its monitor gets nothing
 * else.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks.h"
#include "util.h"
#include "vocab.h"

/* Properties only Linux VMs have, and those only the others have. */
#define LINUX_ONLY (1u << VP_KERNEL | 1u << VP_INITRAMFS | 1u << VP_CMDLINE | \
                    1u << VP_MONITOR | 1u << VP_VIRTIO_CONSOLE | 1u << VP_VIRTIO_NET)
#define NOT_LINUX  (1u << VP_IMAGE | 1u << VP_RIGHTS)

void check_fields_fit_kind(const struct policy *p, struct diag *d)
{
	for (size_t i = 0; i < p->nvms; i++) {
		const struct vm_decl *vm = &p->vms[i];
		if (!prop_ok(&vm->p, VP_KIND))
			continue;
		bool lx = vm->kind == BH_POLICY_VM_LINUX;
		unsigned wrong = vm->p.given & (lx ? NOT_LINUX : LINUX_ONLY);
		for (unsigned k = 0; k < VP_COUNT; k++) {
			if (!(wrong & (1u << k)))
				continue;
			if (k == VP_IMAGE)
				diag_error(d, vm->p.at[k], "'image' is for native and control VMs: Linux VM "
				           "'%s' names its kernel with 'kernel' and its initramfs with "
				           "'initramfs'", shown(vm->name));
			else if (k == VP_RIGHTS)
				diag_error(d, vm->p.at[k], "Linux VM '%s' takes no rights: its guest makes "
				           "no hypercalls, and its monitor holds exactly its memory, its "
				           "exits and the channels of its virtio devices", shown(vm->name));
			else
				diag_error(d, vm->p.at[k], "'%s' is for Linux VMs only, and VM '%s' is %s",
				           vm_prop_word(k), shown(vm->name), vm_kind_name(vm->kind));
		}
	}
}

void check_cmdline_valid(const struct policy *p, struct diag *d)
{
	for (size_t i = 0; i < p->nvms; i++) {
		const struct vm_decl *vm = &p->vms[i];
		size_t n = prop_ok(&vm->p, VP_CMDLINE) ? strlen(vm->cmdline) : 0;
		if (n > BH_POLICY_CMDLINE_MAX - 1)
			diag_error(d, vm->p.at[VP_CMDLINE], "the command line of VM '%s' is %zu "
			           "characters, more than the %u a policy allows", shown(vm->name), n,
			           BH_POLICY_CMDLINE_MAX - 1);
	}
}

static const char *virtio_name(uint32_t kind)
{
	return kind == BH_POLICY_VIRTIO_NET ? "virtio-net" : "virtio-console";
}

void check_virtio_channels_declared(const struct policy *p, struct diag *d)
{
	char hint[64];

	for (size_t i = 0; i < p->nvms; i++) {
		const struct vm_decl *vm = &p->vms[i];
		if (!vm_kind_is(vm, BH_POLICY_VM_LINUX))
			continue;   /* check_fields_fit_kind reported the devices */
		for (size_t j = 0; j < vm->nvirtio; j++) {
			const struct virtio_decl *v = &vm->virtio[j];
			if (v->channel_index < 0) {
				diag_error(d, v->at, "%s of VM '%s' is backed by unknown channel '%s'%s",
				           virtio_name(v->kind), shown(vm->name), v->channel,
				           channel_hint(p, v->channel, hint, sizeof(hint)));
				continue;
			}
			const struct channel_decl *ch = &p->channels[v->channel_index];
			if (!prop_ok(&ch->p, CP_BETWEEN) || ch->end[0].vm == (int)i ||
			    ch->end[1].vm == (int)i)
				continue;
			diag_error(d, v->at, "%s of VM '%s' is backed by channel '%s', which joins '%s' "
			           "and '%s': a device's channel must have its VM as one end",
			           virtio_name(v->kind), shown(vm->name), v->channel, ch->end[0].name,
			           ch->end[1].name);
		}
	}
}

void check_virtio_devices_unique(const struct policy *p, struct diag *d)
{
	for (size_t i = 0; i < p->nvms; i++) {
		const struct vm_decl *vm = &p->vms[i];
		for (size_t j = 0; j < vm->nvirtio; j++)
			for (size_t k = 0; k < j; k++) {
				if (strcmp(vm->virtio[j].channel, vm->virtio[k].channel))
					continue;
				diag_error(d, vm->virtio[j].at, "channel '%s' backs a second virtio device "
				           "of VM '%s' (the first, %s, at line %u): one channel, one device",
				           vm->virtio[j].channel, shown(vm->name),
				           virtio_name(vm->virtio[k].kind), vm->virtio[k].at.line);
				break;
			}
	}
}

static bool backs_device(const struct vm_decl *vm, int channel)
{
	for (size_t j = 0; j < vm->nvirtio; j++)
		if (vm->virtio[j].channel_index == channel)
			return true;
	return false;
}

void check_linux_channels_backed(const struct policy *p, struct diag *d)
{
	for (size_t i = 0; i < p->nchannels; i++) {
		const struct channel_decl *ch = &p->channels[i];
		if (!prop_ok(&ch->p, CP_BETWEEN))
			continue;
		for (int e = 0; e < 2; e++) {
			const struct vm_decl *vm = ref_vm(p, &ch->end[e]);
			if (!vm || !vm_kind_is(vm, BH_POLICY_VM_LINUX) || backs_device(vm, (int)i) ||
			    (vm->p.bad & (1u << VP_VIRTIO_CONSOLE | 1u << VP_VIRTIO_NET)))
				continue;
			diag_error(d, ch->end[e].at, "channel '%s' joins Linux VM '%s', but no virtio "
			           "device of '%s' uses it: a Linux VM reaches a channel only through a "
			           "'virtio-console' or 'virtio-net' device on it", shown(ch->name),
			           ch->end[e].name, ch->end[e].name);
		}
	}
}

/* What an image is used as: each image has one role. */
enum image_role { ROLE_NATIVE, ROLE_KERNEL, ROLE_INITRAMFS, ROLE_MONITOR, ROLE_COUNT };

static const char *const role_names[ROLE_COUNT] = {
	"a native VM's image", "a Linux kernel", "an initramfs", "a monitor",
};

struct role_use {
	const struct vm_decl *vm;    /* the first VM to use the image this way */
	struct loc at;
};

static void use_image(struct diag *d, struct role_use *uses, int image, enum image_role role,
                      const struct vm_decl *vm, struct loc at, const char *file)
{
	if (image < 0)
		return;
	for (int r = 0; r < ROLE_COUNT; r++) {
		const struct role_use *u = &uses[image * ROLE_COUNT + r];
		if (r == (int)role || !u->vm)
			continue;
		diag_error(d, at, "image '%s' is used as %s by VM '%s', and as %s by VM '%s' at line "
		           "%u: an image has one role", file, role_names[role], shown(vm->name),
		           role_names[r], shown(u->vm->name), u->at.line);
		return;
	}
	if (!uses[image * ROLE_COUNT + role].vm)
		uses[image * ROLE_COUNT + role] = (struct role_use){ vm, at };
}

void check_image_roles_consistent(const struct policy *p, struct diag *d)
{
	struct role_use *uses = xcalloc(p->nimages * ROLE_COUNT + 1, sizeof(*uses));

	for (size_t i = 0; i < p->nvms; i++) {
		const struct vm_decl *vm = &p->vms[i];
		if (prop_ok(&vm->p, VP_IMAGE))
			use_image(d, uses, vm->image_index, ROLE_NATIVE, vm, vm->p.at[VP_IMAGE],
			          vm->image);
		else if (prop_ok(&vm->p, VP_KERNEL))
			use_image(d, uses, vm->image_index, ROLE_KERNEL, vm, vm->p.at[VP_KERNEL],
			          vm->kernel);
		if (prop_ok(&vm->p, VP_INITRAMFS))
			use_image(d, uses, vm->initramfs_index, ROLE_INITRAMFS, vm,
			          vm->p.at[VP_INITRAMFS], vm->initramfs);
		if (vm->monitor.image_index >= 0)
			use_image(d, uses, vm->monitor.image_index, ROLE_MONITOR, vm,
			          vm->monitor.p.at[MP_IMAGE], vm->monitor.image);
	}
	free(uses);
}
