/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Loads the boot bundle (docs/bundle.md). It travels inside this very image,
 * as the cpio archive in PE section ".bundle", so the signature Secure Boot
 * checks on the image covers every byte of it (docs/boot.md, "Chain of
 * trust"). The stage reads MANIFEST, then copies every file it lists into
 * pages of EfiLoaderData, checking each against its SHA-256 in the manifest.
 */
#ifndef FIRMWARE_EFI_BUNDLE_H
#define FIRMWARE_EFI_BUNDLE_H

#include <efi.h>

#include <bulkhead/bootinfo.h>

/* The PE section that holds the bundle archive. */
#define BUNDLE_SECTION ".bundle"

/*
 * Finds the bundle in the loaded image (image_size bytes at image) and fills
 * bi->bundle[] and bi->bundle_count. On any failure prints what is wrong (no
 * bundle section, damaged archive, missing or bad MANIFEST, a listed file
 * missing, too big or corrupt) and returns the error status; nothing is
 * half-filled that the caller would use, because the caller then gives up
 * the boot.
 */
EFI_STATUS efi_bundle_load(EFI_BOOT_SERVICES *bs, const void *image,
                           uint64_t image_size, struct bh_boot_info *bi);

#endif
