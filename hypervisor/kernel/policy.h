/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The system policy as the kernel holds it: the compiled blob from the
 * boot bundle (docs/policy-blob.md), validated once at boot by
 * policy/blob.c and then only looked up. If it is missing or invalid the
 * kernel starts no VM at all: fail closed.
 */
#ifndef KERNEL_POLICY_H
#define KERNEL_POLICY_H

#include <bulkhead/bootinfo.h>

/*
 * Finds and validates the bundle's policy blob. Returns the blob, or NULL
 * after logging exactly why no VM will start.
 */
const void *policy_load(const struct bh_boot_info *bi);

#endif
