/* SPDX-License-Identifier: GPL-2.0-only */
#include "efi/efi_bundle.h"

#include <bulkhead/errno.h>

#include "bundle/cpio.h"
#include "bundle/manifest.h"
#include "bundle/pe_section.h"
#include "efi/efi_console.h"
#include "lib/sha256.h"
#include "lib/string.h"

/* No bundle file may be larger: guards page arithmetic. */
#define BUNDLE_FILE_MAX (256ull << 20)
#define MANIFEST_NAME   "MANIFEST"

struct archive {
	const uint8_t *bytes;
	size_t         size;
};

/*
 * Finds name in the archive, reporting a damaged archive itself; returns
 * EFI_NOT_FOUND unreported, because the caller knows why the file was
 * wanted.
 */
static EFI_STATUS find_file(const struct archive *a, const char *name,
                            const uint8_t **data, size_t *len)
{
	int rc = cpio_find(a->bytes, a->size, name, data, len);
	if (rc == -BH_ENOENT)
		return EFI_NOT_FOUND;
	if (rc < 0)
		return efi_error(EFI_VOLUME_CORRUPTED,
		                 "the bundle archive in section " BUNDLE_SECTION
		                 " is damaged (looking for '%s')", name);
	return EFI_SUCCESS;
}

/*
 * Copies one listed file out of the archive into its own pages (the kernel
 * wants every bundle file page-aligned, docs/boot.md) and checks its hash.
 */
static EFI_STATUS load_entry(EFI_BOOT_SERVICES *bs, const struct archive *a,
                             const struct manifest_entry *e,
                             struct bh_bundle_file *out)
{
	const uint8_t *data;
	size_t size;
	uint8_t digest[SHA256_DIGEST_SIZE];
	char want[65], got[65];

	EFI_STATUS s = find_file(a, e->name, &data, &size);
	if (s == EFI_NOT_FOUND)
		return efi_error(s, "bundle file '%s' listed in MANIFEST is missing from the bundle",
		                 e->name);
	if (EFI_ERROR(s))
		return s;
	if (size > BUNDLE_FILE_MAX)
		return efi_error(EFI_BAD_BUFFER_SIZE,
		                 "bundle file '%s' is too big: %llu bytes, limit %llu",
		                 e->name, (unsigned long long)size,
		                 (unsigned long long)BUNDLE_FILE_MAX);

	sha256(data, size, digest);
	if (memcmp(digest, e->sha256, sizeof(digest)) != 0) {
		sha256_to_hex(e->sha256, want);
		sha256_to_hex(digest, got);
		return efi_error(EFI_CRC_ERROR,
		                 "bundle file '%s' is corrupt: its SHA-256 is %.16s..., MANIFEST says %.16s...",
		                 e->name, got, want);
	}

	UINTN pages = (size + 4095) / 4096;
	EFI_PHYSICAL_ADDRESS addr = 0;
	s = bs->AllocatePages(AllocateAnyPages, EfiLoaderData, pages ? pages : 1, &addr);
	if (EFI_ERROR(s))
		return efi_error(s, "no memory for bundle file '%s' (%llu bytes)", e->name,
		                 (unsigned long long)size);
	memcpy((void *)(uintptr_t)addr, data, size);

	memcpy(out->name, e->name, sizeof(out->name));
	out->phys = addr;
	out->size = size;
	memcpy(out->sha256, digest, sizeof(out->sha256));
	return EFI_SUCCESS;
}

EFI_STATUS efi_bundle_load(EFI_BOOT_SERVICES *bs, const void *image,
                           uint64_t image_size, struct bh_boot_info *bi)
{
	static struct manifest_entry entries[BH_BUNDLE_MAX_FILES];
	struct pe_section sec;
	struct manifest_error err;
	const uint8_t *mtext;
	size_t mlen, count;

	int rc = pe_find_section(image, image_size, BUNDLE_SECTION, &sec);
	if (rc == -BH_ENOENT)
		return efi_error(EFI_NOT_FOUND,
		                 "this image carries no boot bundle (no PE section " BUNDLE_SECTION
		                 "): build it with make, or add one with tools/mkefi.sh");
	if (rc < 0)
		return efi_error(EFI_LOAD_ERROR, "cannot read this image's own PE headers");
	struct archive a = { (const uint8_t *)image + sec.rva, sec.size };

	EFI_STATUS s = find_file(&a, MANIFEST_NAME, &mtext, &mlen);
	if (s == EFI_NOT_FOUND)
		return efi_error(s, "the bundle has no " MANIFEST_NAME);
	if (EFI_ERROR(s))
		return s;
	if (manifest_parse((const char *)mtext, mlen, entries, BH_BUNDLE_MAX_FILES,
	                   &count, &err) < 0)
		return efi_error(EFI_VOLUME_CORRUPTED, "bundle " MANIFEST_NAME " line %u: %s",
		                 err.line, err.message);

	for (size_t i = 0; i < count; i++) {
		s = load_entry(bs, &a, &entries[i], &bi->bundle[i]);
		if (EFI_ERROR(s))
			return s;
	}
	bi->bundle_count = (uint32_t)count;
	efi_log("bundle: %u files verified", (unsigned)count);
	return EFI_SUCCESS;
}
