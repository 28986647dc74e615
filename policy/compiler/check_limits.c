/* SPDX-License-Identifier: GPL-2.0-only */
/* The blob's limits (BH_POLICY_MAX_*): the first declaration past each is
 * reported. The string table cannot overflow within them: at most
 * (64 VMs + 64 channels + 32 devices) * 32 + 64 images * 48 = 8 KiB of
 * names, and 64 command lines of 256 bytes, 24 KiB of BH_POLICY_MAX_STRINGS. */
#include "checks.h"

_Static_assert((BH_POLICY_MAX_VMS + BH_POLICY_MAX_CHANNELS + BH_POLICY_MAX_DEVICES) *
               BH_POLICY_NAME_MAX + BH_POLICY_MAX_IMAGES * BH_POLICY_IMAGE_NAME_MAX <=
               BH_POLICY_MAX_STRINGS - BH_POLICY_MAX_VMS * BH_POLICY_CMDLINE_MAX,
               "names and command lines always fit the string table");

/* Where image i (an index resolve() gave) is first named. */
static struct loc image_first_use(const struct policy *p, int i)
{
	for (size_t j = 0; j < p->nvms; j++) {
		const struct vm_decl *vm = &p->vms[j];
		if (vm->image_index == i)
			return vm->p.at[prop_ok(&vm->p, VP_IMAGE) ? VP_IMAGE : VP_KERNEL];
		if (vm->initramfs_index == i)
			return vm->p.at[VP_INITRAMFS];
		if (vm->monitor.image_index == i)
			return vm->monitor.p.at[MP_IMAGE];
	}
	return (struct loc){ 1, 1 };
}

static void over(struct diag *d, size_t n, size_t max, struct loc at, const char *what)
{
	if (n == max + 1)
		diag_error(d, at, "too many %s: a policy blob holds at most %zu", what, max);
}

void check_counts_within_blob_limits(const struct policy *p, struct diag *d)
{
	size_t boots = 0, targets = 0, virtio = 0;

	for (size_t i = 0; i < p->nvms; i++) {
		const struct vm_decl *vm = &p->vms[i];
		over(d, i + 1, BH_POLICY_MAX_VMS, vm->at, "VMs");
		/* A Linux VM's monitor is a VM of its own. */
		size_t slots = vm_kind_is(vm, BH_POLICY_VM_LINUX) ? 2 : 1;
		size_t before = boots;
		boots += vm->boot ? slots : 0;
		if (before <= BH_POLICY_MAX_BOOT_VMS && boots > BH_POLICY_MAX_BOOT_VMS)
			diag_error(d, vm->at, "too many boot VMs: a policy blob holds at most %u, "
			           "each Linux VM's monitor included", BH_POLICY_MAX_BOOT_VMS);
		for (size_t j = 0; j < vm->nvirtio; j++) {
			over(d, j + 1, BH_POLICY_MAX_VM_VIRTIO, vm->virtio[j].at, "virtio devices in a VM");
			over(d, ++virtio, BH_POLICY_MAX_VIRTIO, vm->virtio[j].at, "virtio devices in all");
		}
	}
	if (p->nimages > BH_POLICY_MAX_IMAGES)
		over(d, BH_POLICY_MAX_IMAGES + 1, BH_POLICY_MAX_IMAGES,
		     image_first_use(p, BH_POLICY_MAX_IMAGES), "images");
	for (size_t i = 0; i < p->nchannels; i++)
		over(d, i + 1, BH_POLICY_MAX_CHANNELS, p->channels[i].at, "channels");
	for (size_t i = 0; i < p->nlaunches; i++) {
		over(d, i + 1, BH_POLICY_MAX_LAUNCHES, p->launches[i].vm.at, "launch rules");
		for (size_t j = 0; j < p->launches[i].ntargets; j++)
			over(d, ++targets, BH_POLICY_MAX_TARGETS, p->launches[i].targets[j].at,
			     "launch targets in all");
	}
	for (size_t i = 0; i < p->ndevices; i++)
		over(d, i + 1, BH_POLICY_MAX_DEVICES, p->devices[i].at, "devices");
}
