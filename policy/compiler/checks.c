/* SPDX-License-Identifier: GPL-2.0-only */
/* The table of checks, in the order they run, and their shared helpers. */
#include "checks.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

#define CHECK(fn, rule) { #fn, rule, fn }

const struct policy_check policy_checks[] = {
	CHECK(check_names_valid, "names are 1..31 of [a-z0-9_-]; images are bundle file names"),
	CHECK(check_names_unique, "VM, channel and device names are unique; one launch rule per VM"),
	CHECK(check_names_resolved, "launch rules and device grants name declared VMs"),
	CHECK(check_required_properties, "each declaration has the properties it needs"),
	CHECK(check_fields_fit_kind, "kernel, initramfs, cmdline, monitor, virtio-*: Linux VMs only; "
	      "image, rights: not on Linux VMs"),
	CHECK(check_image_roles_consistent, "an image is a native image, kernel, initramfs or monitor, "
	      "not two of them"),
	CHECK(check_cmdline_valid, "a Linux command line is at most 255 characters"),
	CHECK(check_control_vm_unique, "at most one VM is of kind control"),
	CHECK(check_rights_fit_kind, "launch, stop, log and stats are for the control VM only"),
	CHECK(check_sizes_page_aligned, "VM and monitor memory, pool, quotas: 2M multiples; "
	      "channels: 4K"),
	CHECK(check_sizes_in_range, "sizes within their limits (VM, monitor 2M..1G, channel 4K..16M)"),
	CHECK(check_memory_totals_fit, "boot VMs (and monitors) + channels + pool <= machine memory"),
	CHECK(check_cpu_shares_valid, "CPU shares 1..100%; budgets within periods of 1ms..1s"),
	CHECK(check_cpu_totals_fit, "boot VMs' CPU shares: at most 100% per pinned CPU, and "
	      "at most 100% for those without a pin"),
	CHECK(check_channel_endpoints_distinct_and_declared, "a channel joins two distinct declared VMs"),
	CHECK(check_channel_direction, "directions and events go between the channel's ends"),
	CHECK(check_channel_endpoints_have_right, "a channel's native ends hold the channel right"),
	CHECK(check_virtio_channels_declared, "a virtio device's channel is declared and ends at its VM"),
	CHECK(check_virtio_devices_unique, "a channel backs at most one virtio device of a VM"),
	CHECK(check_linux_channels_backed, "a channel's Linux end uses it for a virtio device"),
	CHECK(check_launch_images_known, "launch rules name declared native or Linux VMs, each once"),
	CHECK(check_launch_rights_consistent, "a launcher is the control VM with the launch right"),
	CHECK(check_launch_quotas_fit, "max-vms 1..1024; max-memory <= pool; targets (and monitors) "
	      "fit max-memory"),
	CHECK(check_device_granted_once, "a PCI device is granted at most once"),
	CHECK(check_device_grantee_kind, "devices are granted to linux or native VMs, not control"),
	CHECK(check_device_count_per_vm, "at most 4 devices are granted to one VM"),
	CHECK(check_counts_within_blob_limits, "counts within the blob's BH_POLICY_MAX_* limits"),
	CHECK(check_vms_started_somehow, "(warning) a VM starts at boot or a launch rule names it"),
	CHECK(check_dma_confined, "(warning) 'machine iommu unprotected' is for test platforms only"),
};
const size_t policy_check_count = sizeof(policy_checks) / sizeof(policy_checks[0]);

void run_checks(const struct policy *p, struct diag *d)
{
	for (size_t i = 0; i < policy_check_count; i++)
		policy_checks[i].fn(p, d);
}

const char *shown(const char *name)
{
	return name ? name : "(unnamed)";
}

/* Levenshtein distance of two short strings, capped at 9. */
static unsigned distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	unsigned row[BH_POLICY_NAME_MAX + 1];

	if (la > BH_POLICY_NAME_MAX || lb > BH_POLICY_NAME_MAX)
		return 9;
	for (size_t j = 0; j <= lb; j++)
		row[j] = (unsigned)j;
	for (size_t i = 1; i <= la; i++) {
		unsigned diag = row[0];
		row[0] = (unsigned)i;
		for (size_t j = 1; j <= lb; j++) {
			unsigned up = row[j];
			unsigned best = diag + (a[i - 1] != b[j - 1]);
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	return row[lb] < 9 ? row[lb] : 9;
}

/* " (did you mean 'NAME'?)" naming the closest of n declarations' names
 * (stride bytes apart, each a char * at the start of its declaration). */
static const char *hint(const char *name, const void *decls, size_t n, size_t stride,
                        char *buf, size_t size)
{
	const char *best = NULL;
	unsigned best_d = 3;   /* suggest only within 2 edits */

	buf[0] = 0;
	for (size_t i = 0; name && i < n; i++) {
		const char *other = *(char *const *)((const char *)decls + i * stride);
		if (!other)
			continue;
		unsigned dist = distance(name, other);
		if (dist < best_d && dist < strlen(name)) {
			best = other;
			best_d = dist;
		}
	}
	if (best)
		snprintf(buf, size, " (did you mean '%s'?)", best);
	return buf;
}

_Static_assert(offsetof(struct vm_decl, name) == 0 && offsetof(struct channel_decl, name) == 0,
               "hint() reads a declaration's name at its start");

const char *vm_hint(const struct policy *p, const char *name, char *buf, size_t size)
{
	return hint(name, p->vms, p->nvms, sizeof(*p->vms), buf, size);
}

const char *channel_hint(const struct policy *p, const char *name, char *buf, size_t size)
{
	return hint(name, p->channels, p->nchannels, sizeof(*p->channels), buf, size);
}

const struct vm_decl *ref_vm(const struct policy *p, const struct ref *r)
{
	return r->vm >= 0 ? &p->vms[r->vm] : NULL;
}

bool vm_kind_is(const struct vm_decl *vm, uint32_t k)
{
	return prop_ok(&vm->p, VP_KIND) && vm->kind == k;
}

uint64_t add_sat(uint64_t a, uint64_t b)
{
	return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

uint64_t cpu_ppm(const struct vm_decl *vm)
{
	switch (vm->cpu) {
	case CPU_PERCENT:
		return vm->cpu_percent * 10000;
	case CPU_BUDGET:
		return (vm->cpu_budget_us * 1000000 + vm->cpu_period_us - 1) / vm->cpu_period_us;
	case CPU_BEST_EFFORT:
		break;
	}
	return 0;
}
