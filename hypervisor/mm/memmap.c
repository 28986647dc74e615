/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * UEFI memory map -> sorted, merged list of struct mem_region.
 *
 * Instead of sorting the descriptors and patching overlaps afterwards, the
 * map is swept over its boundaries: between two consecutive descriptor
 * start/end addresses nothing changes, so each such piece gets the most
 * restrictive kind of the descriptors covering it. That is O(n^2) for n
 * descriptors, which is nothing for the < 200 a firmware hands over, and
 * needs no scratch memory.
 */
#include <stdbool.h>
#include <stdint.h>

#include <bulkhead/errno.h>

#include "lib/string.h"
#include "mm/memmap.h"

/* EFI_MEMORY_DESCRIPTOR (UEFI 2.9 §7.2, GetMemoryMap()). */
struct efi_mem_desc {
	uint32_t type;
	uint32_t pad;
	uint64_t phys_start;
	uint64_t virt_start;
	uint64_t pages;
	uint64_t attribute;
};
_Static_assert(sizeof(struct efi_mem_desc) == 40, "EFI_MEMORY_DESCRIPTOR is 40 bytes");

/* EFI_MEMORY_TYPE values (UEFI 2.9 §7.2, Table 7-6 and 7-7). */
static const enum mem_kind efi_type_kind[] = {
	[0]  = MEM_RESERVED,      /* EfiReservedMemoryType */
	[1]  = MEM_LOADER,        /* EfiLoaderCode */
	[2]  = MEM_LOADER,        /* EfiLoaderData */
	[3]  = MEM_USABLE,        /* EfiBootServicesCode: free after ExitBootServices */
	[4]  = MEM_USABLE,        /* EfiBootServicesData */
	[5]  = MEM_FIRMWARE,      /* EfiRuntimeServicesCode */
	[6]  = MEM_FIRMWARE,      /* EfiRuntimeServicesData */
	[7]  = MEM_USABLE,        /* EfiConventionalMemory */
	[8]  = MEM_RESERVED,      /* EfiUnusableMemory: has errors */
	[9]  = MEM_ACPI_RECLAIM,  /* EfiACPIReclaimMemory */
	[10] = MEM_ACPI_NVS,      /* EfiACPIMemoryNVS */
	[11] = MEM_MMIO,          /* EfiMemoryMappedIO */
	[12] = MEM_MMIO,          /* EfiMemoryMappedIOPortSpace */
	[13] = MEM_FIRMWARE,      /* EfiPalCode */
	[14] = MEM_PERSISTENT,    /* EfiPersistentMemory */
	/* EfiUnacceptedMemoryType: must be accepted (TDX/SEV-SNP) before it
	 * can be touched, which this kernel does not do. */
	[15] = MEM_RESERVED,
};

/* Unknown, OEM and OS-defined types (>= 0x70000000) are not ours to use. */
static enum mem_kind kind_of_type(uint32_t type)
{
	if (type >= sizeof(efi_type_kind) / sizeof(efi_type_kind[0]))
		return MEM_RESERVED;
	return efi_type_kind[type];
}

/* Descriptor i, copied out: the map need not be aligned for our struct. */
static struct efi_mem_desc desc_at(const void *map, uint64_t desc_size, uint64_t i)
{
	struct efi_mem_desc d;
	memcpy(&d, (const uint8_t *)map + i * desc_size, sizeof(d));
	return d;
}

/* [start, end) of descriptor d; validated so end > start, no wrap. */
static void desc_range(const struct efi_mem_desc *d, uint64_t *start, uint64_t *end)
{
	*start = d->phys_start;
	*end = d->phys_start + d->pages * PAGE_SIZE;
}

static int check_desc(const struct efi_mem_desc *d)
{
	if (d->phys_start & (PAGE_SIZE - 1) || d->pages == 0)
		return -BH_EINVAL;
	/* start + pages * 4 KiB must stay below 2^64 (the end is exclusive). */
	if (d->pages > (UINT64_MAX - d->phys_start) / PAGE_SIZE)
		return -BH_EINVAL;
	return 0;
}

/* Appends [base, end) of kind to out, merging with an adjacent last region. */
static int emit(struct mem_region *out, size_t max, size_t *n,
                uint64_t base, uint64_t end, enum mem_kind kind)
{
	if (*n > 0) {
		struct mem_region *last = &out[*n - 1];
		if (last->kind == kind && last->base + last->size == base) {
			last->size += end - base;
			return 0;
		}
	}
	if (*n == max)
		return -BH_ENOSPC;
	out[*n] = (struct mem_region){ .base = base, .size = end - base, .kind = kind };
	(*n)++;
	return 0;
}

/*
 * Contract in memmap.h. Every descriptor is checked before anything is
 * written; on -BH_ENOSPC out holds the first max regions.
 */
int memmap_from_uefi(const void *map, uint64_t map_size, uint64_t desc_size,
                     struct mem_region *out, size_t max, size_t *count)
{
	*count = 0;
	if (desc_size < sizeof(struct efi_mem_desc) || desc_size % 8 != 0 ||
	    map_size % desc_size != 0)
		return -BH_EINVAL;

	uint64_t ndesc = map_size / desc_size;
	uint64_t cur = UINT64_MAX;
	for (uint64_t i = 0; i < ndesc; i++) {
		struct efi_mem_desc d = desc_at(map, desc_size, i);
		if (check_desc(&d) != 0)
			return -BH_EINVAL;
		if (d.phys_start < cur)
			cur = d.phys_start;
	}

	/* Sweep: cur is a boundary; [cur, next) lies between two boundaries. */
	size_t n = 0;
	for (;;) {
		uint64_t next = 0;
		bool have_next = false, covered = false;
		enum mem_kind kind = MEM_USABLE;

		for (uint64_t i = 0; i < ndesc; i++) {
			struct efi_mem_desc d = desc_at(map, desc_size, i);
			uint64_t s, e;
			desc_range(&d, &s, &e);
			if (s > cur && (!have_next || s < next)) {
				next = s;
				have_next = true;
			}
			if (e > cur && (!have_next || e < next)) {
				next = e;
				have_next = true;
			}
		}
		if (!have_next)
			break;

		for (uint64_t i = 0; i < ndesc; i++) {
			struct efi_mem_desc d = desc_at(map, desc_size, i);
			uint64_t s, e;
			desc_range(&d, &s, &e);
			if (s <= cur && e >= next) {
				enum mem_kind k = kind_of_type(d.type);
				if (!covered || k > kind)
					kind = k;
				covered = true;
			}
		}
		if (covered) {
			int err = emit(out, max, &n, cur, next, kind);
			if (err) {
				*count = n;
				return err;
			}
		}
		cur = next;
	}
	*count = n;
	return 0;
}

/* Contract in memmap.h. */
uint64_t memmap_total(const struct mem_region *r, size_t n, enum mem_kind kind)
{
	uint64_t total = 0;
	for (size_t i = 0; i < n; i++)
		if (r[i].kind == kind)
			total += r[i].size;
	return total;
}

bool memmap_overlaps_memory(const struct mem_region *r, size_t n, uint64_t base, uint64_t size)
{
	if (size == 0 || base + size < base)
		return true;
	for (size_t i = 0; i < n; i++)
		if (r[i].kind != MEM_MMIO && base < r[i].base + r[i].size && r[i].base < base + size)
			return true;
	return false;
}
