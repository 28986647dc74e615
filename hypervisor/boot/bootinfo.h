/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Kernel-side checks of the boot info the UEFI stage handed over
 * (include/bulkhead/bootinfo.h, docs/boot.md). The kernel trusts the UEFI
 * stage's code but not its arithmetic: a structure that fails these checks
 * stops the boot with the reason, before anything uses it.
 */
#ifndef BOOT_BOOTINFO_H
#define BOOT_BOOTINFO_H

#include <stddef.h>

#include <bulkhead/bootinfo.h>

/*
 * Returns 0 if bi is well-formed, else -BH_EINVAL and *why (if not NULL)
 * points at a static sentence naming the first broken field. Checked: magic,
 * version, size; image range non-empty and not wrapping; memory map present,
 * descriptor size >= 40 and a multiple of 8, map size a non-zero multiple of
 * it and below 1 MiB; bundle_count <= BH_BUNDLE_MAX_FILES; every file name
 * NUL-terminated, non-empty, without '/', and unique; every file page-aligned,
 * its range not wrapping and not overlapping another file's; cpu_count in
 * 1..BH_BOOT_MAX_CPUS, reserved2 zero, and the first cpu_count APIC IDs
 * unique. Only BH_BOOTINFO_VERSION is accepted: the UEFI stage and the kernel
 * are one image, built together.
 */
int bootinfo_validate(const struct bh_boot_info *bi, const char **why);

/* The bundle file called name, or NULL. */
const struct bh_bundle_file *bootinfo_find_file(const struct bh_boot_info *bi,
                                                const char *name);

#endif
