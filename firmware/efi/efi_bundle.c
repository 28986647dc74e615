/* SPDX-License-Identifier: GPL-2.0-only */
#include "efi/efi_bundle.h"

#include "bundle/manifest.h"
#include "efi/efi_console.h"
#include "lib/sha256.h"
#include "lib/string.h"

/* No bundle file may be larger: guards page arithmetic and a full disk. */
#define BUNDLE_FILE_MAX (256ull << 20)
#define MANIFEST_NAME   "MANIFEST"

static EFI_GUID fs_guid = EFI_SIMPLE_FILE_SYSTEM_PROTOCOL_GUID;
static EFI_GUID file_info_guid = EFI_FILE_INFO_ID;

/* "\bulkhead\<name>" as UCS-2; names are checked ASCII by the manifest parser. */
static void bundle_path(const char *name, CHAR16 *out, size_t out_len)
{
	static const char dir[] = "\\bulkhead\\";
	size_t n = 0;
	for (const char *p = dir; *p && n + 1 < out_len; p++)
		out[n++] = (CHAR16)*p;
	for (const char *p = name; *p && n + 1 < out_len; p++)
		out[n++] = (CHAR16)(unsigned char)*p;
	out[n] = 0;
}

/*
 * Reads /bulkhead/<name> whole into fresh EfiLoaderData pages. Reports every
 * failure itself except EFI_NOT_FOUND, which the caller reports because it
 * knows why the file was wanted.
 */
static EFI_STATUS read_file(EFI_BOOT_SERVICES *bs, EFI_FILE_HANDLE root,
                            const char *name, uint64_t *phys, uint64_t *size)
{
	CHAR16 path[80];
	EFI_FILE_HANDLE file;
	EFI_STATUS s;

	bundle_path(name, path, sizeof(path) / sizeof(path[0]));
	s = root->Open(root, &file, path, EFI_FILE_MODE_READ, 0);
	if (EFI_ERROR(s)) {
		if (s != EFI_NOT_FOUND)
			efi_error(s, "cannot open /bulkhead/%s", name);
		return s;
	}

	union { EFI_FILE_INFO info; uint8_t raw[SIZE_OF_EFI_FILE_INFO + 256]; } info;
	UINTN info_size = sizeof(info);
	s = file->GetInfo(file, &file_info_guid, &info_size, &info);
	if (EFI_ERROR(s)) {
		file->Close(file);
		return efi_error(s, "cannot stat /bulkhead/%s", name);
	}
	if (info.info.FileSize > BUNDLE_FILE_MAX) {
		file->Close(file);
		return efi_error(EFI_BAD_BUFFER_SIZE,
		                 "bundle file '%s' is too big: %llu bytes, limit %llu",
		                 name, (unsigned long long)info.info.FileSize,
		                 (unsigned long long)BUNDLE_FILE_MAX);
	}

	UINTN pages = (info.info.FileSize + 4095) / 4096;
	EFI_PHYSICAL_ADDRESS addr = 0;
	s = bs->AllocatePages(AllocateAnyPages, EfiLoaderData, pages ? pages : 1, &addr);
	if (EFI_ERROR(s)) {
		file->Close(file);
		return efi_error(s, "no memory for bundle file '%s' (%llu bytes)", name,
		                 (unsigned long long)info.info.FileSize);
	}

	UINTN got = info.info.FileSize;
	s = file->Read(file, &got, (void *)(uintptr_t)addr);
	file->Close(file);
	if (EFI_ERROR(s))
		return efi_error(s, "cannot read /bulkhead/%s", name);
	if (got != info.info.FileSize)
		return efi_error(EFI_VOLUME_CORRUPTED,
		                 "short read of /bulkhead/%s: %llu of %llu bytes", name,
		                 (unsigned long long)got,
		                 (unsigned long long)info.info.FileSize);
	*phys = addr;
	*size = got;
	return EFI_SUCCESS;
}

static EFI_STATUS open_root(EFI_BOOT_SERVICES *bs, EFI_HANDLE device,
                            EFI_FILE_HANDLE *root)
{
	EFI_FILE_IO_INTERFACE *fs;
	EFI_STATUS s = bs->HandleProtocol(device, &fs_guid, (void **)&fs);
	if (EFI_ERROR(s))
		return efi_error(s, "the boot device has no file system to read the bundle from");
	s = fs->OpenVolume(fs, root);
	if (EFI_ERROR(s))
		return efi_error(s, "cannot open the boot volume");
	return EFI_SUCCESS;
}

static EFI_STATUS load_entry(EFI_BOOT_SERVICES *bs, EFI_FILE_HANDLE root,
                             const struct manifest_entry *e,
                             struct bh_bundle_file *out)
{
	uint64_t phys, size;
	uint8_t digest[SHA256_DIGEST_SIZE];
	char want[65], got[65];

	EFI_STATUS s = read_file(bs, root, e->name, &phys, &size);
	if (s == EFI_NOT_FOUND)
		return efi_error(s, "bundle file '%s' listed in MANIFEST is missing from /bulkhead/",
		                 e->name);
	if (EFI_ERROR(s))
		return s;

	sha256((const void *)(uintptr_t)phys, size, digest);
	if (memcmp(digest, e->sha256, sizeof(digest)) != 0) {
		sha256_to_hex(e->sha256, want);
		sha256_to_hex(digest, got);
		return efi_error(EFI_CRC_ERROR,
		                 "bundle file '%s' is corrupt: its SHA-256 is %.16s..., MANIFEST says %.16s...",
		                 e->name, got, want);
	}
	memcpy(out->name, e->name, sizeof(out->name));
	out->phys = phys;
	out->size = size;
	memcpy(out->sha256, digest, sizeof(out->sha256));
	return EFI_SUCCESS;
}

EFI_STATUS efi_bundle_load(EFI_BOOT_SERVICES *bs, EFI_HANDLE device,
                           struct bh_boot_info *bi)
{
	static struct manifest_entry entries[BH_BUNDLE_MAX_FILES];
	EFI_FILE_HANDLE root;
	uint64_t mphys, msize;
	size_t count;
	struct manifest_error err;

	EFI_STATUS s = open_root(bs, device, &root);
	if (EFI_ERROR(s))
		return s;

	s = read_file(bs, root, MANIFEST_NAME, &mphys, &msize);
	if (EFI_ERROR(s)) {
		root->Close(root);
		if (s == EFI_NOT_FOUND)
			efi_error(s, "the bundle manifest /bulkhead/" MANIFEST_NAME
			          " is missing from the boot volume");
		return s;
	}
	int rc = manifest_parse((const char *)(uintptr_t)mphys, msize, entries,
	                        BH_BUNDLE_MAX_FILES, &count, &err);
	bs->FreePages(mphys, msize ? (msize + 4095) / 4096 : 1);
	if (rc < 0) {
		root->Close(root);
		return efi_error(EFI_VOLUME_CORRUPTED, "/bulkhead/" MANIFEST_NAME " line %u: %s",
		                 err.line, err.message);
	}

	for (size_t i = 0; i < count; i++) {
		s = load_entry(bs, root, &entries[i], &bi->bundle[i]);
		if (EFI_ERROR(s)) {
			root->Close(root);
			return s;
		}
	}
	bi->bundle_count = (uint32_t)count;
	root->Close(root);
	efi_log("bundle: %u files verified", (unsigned)count);
	return EFI_SUCCESS;
}
