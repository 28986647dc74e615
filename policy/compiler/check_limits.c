/* SPDX-License-Identifier: GPL-2.0-only */
/* The blob's limits (BH_POLICY_MAX_*): the first declaration past each is
 * reported. The string table cannot overflow within them: at most
 * (64 VMs + 64 channels + 32 devices) * 32 + 64 images * 48 = 8 KiB of
 * names, half of BH_POLICY_MAX_STRINGS. */
#include "checks.h"

_Static_assert((BH_POLICY_MAX_VMS + BH_POLICY_MAX_CHANNELS + BH_POLICY_MAX_DEVICES) *
               BH_POLICY_NAME_MAX + BH_POLICY_MAX_IMAGES * BH_POLICY_IMAGE_NAME_MAX <=
               BH_POLICY_MAX_STRINGS, "names always fit the string table");

static void over(struct diag *d, size_t n, size_t max, struct loc at, const char *what)
{
	if (n == max + 1)
		diag_error(d, at, "too many %s: a policy blob holds at most %zu", what, max);
}

void check_counts_within_blob_limits(const struct policy *p, struct diag *d)
{
	size_t boots = 0, targets = 0;

	for (size_t i = 0; i < p->nvms; i++) {
		over(d, i + 1, BH_POLICY_MAX_VMS, p->vms[i].at, "VMs");
		if (p->vms[i].boot)
			over(d, ++boots, BH_POLICY_MAX_BOOT_VMS, p->vms[i].at, "boot VMs");
	}
	for (size_t i = 0; i < p->nimages; i++)
		for (size_t j = 0; i == BH_POLICY_MAX_IMAGES && j < p->nvms; j++)
			if (p->vms[j].image_index == (int)i) {
				over(d, i + 1, BH_POLICY_MAX_IMAGES, p->vms[j].p.at[VP_IMAGE], "images");
				break;
			}
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
