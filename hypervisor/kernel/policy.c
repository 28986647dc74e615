/* SPDX-License-Identifier: GPL-2.0-only */
#include "kernel/policy.h"

#include <bulkhead/policy_blob.h>

#include "boot/bootinfo.h"
#include "kernel/log.h"
#include "policy/blob.h"

const void *policy_load(const struct bh_boot_info *bi)
{
	const struct bh_bundle_file *f = bootinfo_find_file(bi, BH_POLICY_BUNDLE_NAME);
	const char *why;

	if (!f) {
		kprintf("policy: the bundle has no %s: fail closed, no VM will start\n",
		        BH_POLICY_BUNDLE_NAME);
		return NULL;
	}
	const void *blob = (const void *)(uintptr_t)f->phys;
	if (policy_blob_validate(blob, f->size, &why)) {
		kprintf("policy: %s rejected: %s: fail closed, no VM will start\n",
		        BH_POLICY_BUNDLE_NAME, why);
		return NULL;
	}
	const struct bh_policy_header *h = policy_header(blob);
	kprintf("policy: %s accepted: %u VMs, %u channels, %u launch rules, %u devices, "
	        "pool %llu MiB\n", BH_POLICY_BUNDLE_NAME, policy_vm_count(blob),
	        policy_channel_count(blob), policy_launch_count(blob),
	        policy_device_count(blob), (unsigned long long)(h->pool_memory >> 20));
	return blob;
}
