/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Validation of the boot info (docs/boot.md). Checks run in the order the
 * fields appear, so *why names the first broken one.
 */
#include <stdbool.h>
#include <stdint.h>

#include <bulkhead/errno.h>

#include "boot/bootinfo.h"
#include "lib/string.h"

#define MEMMAP_DESC_MIN  40u          /* sizeof(EFI_MEMORY_DESCRIPTOR), UEFI 2.9 §7.2 */
#define MEMMAP_SIZE_MAX  (1ull << 20) /* far above any real map; bounds the parse */
#define BI_PAGE_SIZE     4096ull

/* [base, base+size) does not run past 2^64 (the end itself must fit). */
static bool range_ok(uint64_t base, uint64_t size)
{
	return size <= UINT64_MAX - base;
}

static bool overlap(const struct bh_bundle_file *a, const struct bh_bundle_file *b)
{
	return a->size && b->size &&
	       a->phys < b->phys + b->size && b->phys < a->phys + a->size;
}

/* Name NUL-terminated inside its array, non-empty, without '/'. */
static bool name_ok(const struct bh_bundle_file *f)
{
	size_t len = strnlen(f->name, BH_BUNDLE_NAME_MAX);
	return len > 0 && len < BH_BUNDLE_NAME_MAX && !strchr(f->name, '/');
}

static int fail(const char **why, const char *reason)
{
	if (why)
		*why = reason;
	return -BH_EINVAL;
}

static int check_files(const struct bh_boot_info *bi, const char **why)
{
	for (uint32_t i = 0; i < bi->bundle_count; i++) {
		const struct bh_bundle_file *f = &bi->bundle[i];
		if (!name_ok(f))
			return fail(why, "bundle file name is empty, unterminated or contains '/'");
		if (f->phys % BI_PAGE_SIZE != 0)
			return fail(why, "bundle file is not page-aligned");
		if (!range_ok(f->phys, f->size))
			return fail(why, "bundle file range wraps past 2^64");
		for (uint32_t j = 0; j < i; j++) {
			if (strcmp(f->name, bi->bundle[j].name) == 0)
				return fail(why, "bundle file name appears twice");
			if (overlap(f, &bi->bundle[j]))
				return fail(why, "bundle files overlap");
		}
	}
	return 0;
}

/* A count the kernel can hold, reserved2 zero, no APIC ID twice. */
static int check_cpus(const struct bh_boot_info *bi, const char **why)
{
	if (bi->cpu_count == 0 || bi->cpu_count > BH_BOOT_MAX_CPUS)
		return fail(why, "cpu_count is 0 or exceeds BH_BOOT_MAX_CPUS");
	if (bi->reserved2 != 0)
		return fail(why, "reserved2 is not zero");
	for (uint32_t i = 0; i < bi->cpu_count; i++)
		for (uint32_t j = 0; j < i; j++)
			if (bi->cpu_apic_id[i] == bi->cpu_apic_id[j])
				return fail(why, "CPU APIC ID appears twice");
	return 0;
}

/*
 * Contract in bootinfo.h. Beyond the listed checks, the memory map's own
 * range must not wrap either. Zero-length bundle files are allowed and
 * overlap nothing.
 */
int bootinfo_validate(const struct bh_boot_info *bi, const char **why)
{
	if (bi == NULL)
		return fail(why, "boot info pointer is NULL");
	if (bi->magic != BH_BOOTINFO_MAGIC)
		return fail(why, "boot info magic is wrong");
	if (bi->version != BH_BOOTINFO_VERSION)
		return fail(why, "boot info version is not this kernel's (the UEFI stage and kernel are built together)");
	if (bi->size != sizeof(struct bh_boot_info))
		return fail(why, "boot info size does not match this kernel's structure");
	if (bi->image_size == 0 || !range_ok(bi->image_base, bi->image_size))
		return fail(why, "image range is empty or wraps past 2^64");
	if (bi->memmap == 0)
		return fail(why, "memory map is missing");
	if (bi->memmap_desc_size < MEMMAP_DESC_MIN || bi->memmap_desc_size % 8 != 0)
		return fail(why, "memory map descriptor size is below 40 or not a multiple of 8");
	if (bi->memmap_size == 0 || bi->memmap_size % bi->memmap_desc_size != 0 ||
	    bi->memmap_size >= MEMMAP_SIZE_MAX)
		return fail(why, "memory map size is zero, not a multiple of the descriptor size, or not below 1 MiB");
	if (!range_ok(bi->memmap, bi->memmap_size))
		return fail(why, "memory map range wraps past 2^64");
	if (bi->bundle_count > BH_BUNDLE_MAX_FILES)
		return fail(why, "bundle_count exceeds BH_BUNDLE_MAX_FILES");
	int err = check_files(bi, why);
	if (err)
		return err;
	return check_cpus(bi, why);
}

/* Contract in bootinfo.h. Safe on unvalidated input: names are bounded. */
const struct bh_bundle_file *bootinfo_find_file(const struct bh_boot_info *bi,
                                                const char *name)
{
	if (bi == NULL || name == NULL)
		return NULL;
	uint32_t n = bi->bundle_count;
	if (n > BH_BUNDLE_MAX_FILES)
		n = BH_BUNDLE_MAX_FILES;
	for (uint32_t i = 0; i < n; i++) {
		const struct bh_bundle_file *f = &bi->bundle[i];
		if (strnlen(f->name, BH_BUNDLE_NAME_MAX) < BH_BUNDLE_NAME_MAX &&
		    strcmp(f->name, name) == 0)
			return f;
	}
	return NULL;
}
