/* SPDX-License-Identifier: GPL-2.0-only */
/* Rules about names: well-formed, unique, and resolving to declared VMs. */
#include <string.h>

#include "checks.h"
#include "lib/names.h"

static void file_valid(struct diag *d, const char *what, const char *file, const char *vm,
                       struct loc at)
{
	if (!bh_file_name_valid(file))
		diag_error(d, at, "%s '%s' of VM '%s' is not valid: " BH_FILE_NAME_RULE, what, file,
		           shown(vm));
}

static void name_valid(struct diag *d, const char *what, const char *name, struct loc at)
{
	if (name && !bh_name_valid(name))
		diag_error(d, at, "%s name '%s' is not valid: " BH_NAME_RULE, what, name);
}

void check_names_valid(const struct policy *p, struct diag *d)
{
	for (size_t i = 0; i < p->nvms; i++) {
		const struct vm_decl *vm = &p->vms[i];
		name_valid(d, "VM", vm->name, vm->at);
		if (prop_ok(&vm->p, VP_IMAGE))
			file_valid(d, "image", vm->image, vm->name, vm->p.at[VP_IMAGE]);
		if (prop_ok(&vm->p, VP_KERNEL))
			file_valid(d, "kernel", vm->kernel, vm->name, vm->p.at[VP_KERNEL]);
		if (prop_ok(&vm->p, VP_INITRAMFS))
			file_valid(d, "initramfs", vm->initramfs, vm->name, vm->p.at[VP_INITRAMFS]);
		if (prop_ok(&vm->p, VP_MONITOR) && prop_ok(&vm->monitor.p, MP_IMAGE))
			file_valid(d, "monitor image", vm->monitor.image, vm->name,
			           vm->monitor.p.at[MP_IMAGE]);
	}
	for (size_t i = 0; i < p->nchannels; i++)
		name_valid(d, "channel", p->channels[i].name, p->channels[i].at);
	for (size_t i = 0; i < p->ndevices; i++)
		name_valid(d, "device", p->devices[i].name, p->devices[i].at);
}

/* Reports the second and later declarations of each name in an array of
 * declarations (stride bytes apart, name and at at the given offsets). */
static void unique(struct diag *d, const char *what, const void *decls, size_t n, size_t stride,
                   size_t name_off, size_t at_off, const char *again)
{
	const char *base = decls;
	for (size_t i = 0; i < n; i++) {
		const char *name = *(char *const *)(base + i * stride + name_off);
		for (size_t j = 0; name && j < i; j++) {
			const char *other = *(char *const *)(base + j * stride + name_off);
			if (!other || strcmp(name, other))
				continue;
			const struct loc *at = (const struct loc *)(base + i * stride + at_off);
			const struct loc *first = (const struct loc *)(base + j * stride + at_off);
			diag_error(d, *at, "%s '%s' %s (first at line %u)", what, name, again, first->line);
			break;
		}
	}
}

void check_names_unique(const struct policy *p, struct diag *d)
{
	unique(d, "VM", p->vms, p->nvms, sizeof(*p->vms), offsetof(struct vm_decl, name),
	       offsetof(struct vm_decl, at), "is declared twice");
	unique(d, "channel", p->channels, p->nchannels, sizeof(*p->channels),
	       offsetof(struct channel_decl, name), offsetof(struct channel_decl, at),
	       "is declared twice");
	unique(d, "device", p->devices, p->ndevices, sizeof(*p->devices),
	       offsetof(struct device_decl, name), offsetof(struct device_decl, at),
	       "is declared twice");
	unique(d, "VM", p->launches, p->nlaunches, sizeof(*p->launches),
	       offsetof(struct launch_decl, vm.name), offsetof(struct launch_decl, vm.at),
	       "has a second launch rule: one rule says all it may launch");
}

/* Channel ends and launch targets are resolved by their own checks
 * (check_channel_endpoints_distinct_and_declared, check_launch_images_known). */
void check_names_resolved(const struct policy *p, struct diag *d)
{
	char hint[64];

	for (size_t i = 0; i < p->nlaunches; i++) {
		const struct ref *r = &p->launches[i].vm;
		if (r->name && r->vm < 0)
			diag_error(d, r->at, "launch rule for unknown VM '%s'%s", r->name,
			           vm_hint(p, r->name, hint, sizeof(hint)));
	}
	for (size_t i = 0; i < p->ndevices; i++) {
		const struct device_decl *dev = &p->devices[i];
		if (prop_ok(&dev->p, DP_TO) && dev->to.vm < 0)
			diag_error(d, dev->to.at, "device '%s' is granted to unknown VM '%s'%s",
			           shown(dev->name), dev->to.name,
			           vm_hint(p, dev->to.name, hint, sizeof(hint)));
	}
}
