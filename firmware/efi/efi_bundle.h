/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Loads the boot bundle (/bulkhead/ on the volume Bulkhead was booted from,
 * docs/bundle.md): reads MANIFEST, then every file it lists into pages of
 * EfiLoaderData, checking each against its SHA-256 in the manifest.
 */
#ifndef FIRMWARE_EFI_BUNDLE_H
#define FIRMWARE_EFI_BUNDLE_H

#include <efi.h>

#include <bulkhead/bootinfo.h>

/*
 * Fills bi->bundle[] and bi->bundle_count. On any failure prints which file
 * and what is wrong with it (missing, unreadable, too big, corrupt, or a bad
 * MANIFEST line) and returns the error status; nothing is half-filled that
 * the caller would use, because the caller then gives up the boot.
 */
EFI_STATUS efi_bundle_load(EFI_BOOT_SERVICES *bs, EFI_HANDLE device,
                           struct bh_boot_info *bi);

#endif
