/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Physical memory map: turns the raw UEFI memory map handed over in the
 * boot info into a sorted, merged list of regions of a few kinds the kernel
 * cares about. Pure: reads only the buffer it is given.
 */
#ifndef MM_MEMMAP_H
#define MM_MEMMAP_H

#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>

#define PAGE_SIZE  4096ull
#define PAGE_SHIFT 12

/*
 * Kinds, ordered from least to most restrictive: where firmware reports
 * overlapping descriptors, the more restrictive kind wins for the overlap.
 */
enum mem_kind {
	MEM_USABLE = 0,   /* conventional RAM and boot-services code/data:
	                     free for the frame allocator once the kernel runs */
	MEM_LOADER,       /* EfiLoaderCode/Data: the Bulkhead image and what the
	                     UEFI stage allocated (boot info, bundle files) */
	MEM_ACPI_RECLAIM, /* ACPI tables; kept, the kernel may read them at boot */
	MEM_ACPI_NVS,     /* firmware-owned ACPI storage */
	MEM_FIRMWARE,     /* UEFI runtime-services code/data, PAL code */
	MEM_PERSISTENT,   /* non-volatile RAM: never handed out */
	MEM_MMIO,         /* memory-mapped I/O ranges and port space */
	MEM_RESERVED,     /* reserved, unusable, or a type this code does not know */
	MEM_KIND_COUNT
};

struct mem_region {
	uint64_t base;       /* page-aligned */
	uint64_t size;       /* bytes, page multiple, > 0 */
	enum mem_kind kind;
};

/*
 * Parses map_size bytes of EFI_MEMORY_DESCRIPTORs spaced desc_size apart.
 * Writes at most max regions to out, sorted by base, with adjacent regions of
 * the same kind merged and overlaps resolved towards the more restrictive
 * kind, and stores their number in *count.
 *
 * Returns 0, or -BH_EINVAL if desc_size is smaller than a descriptor (40) or
 * not a multiple of 8, map_size is not a multiple of desc_size, a descriptor
 * has an unaligned start, zero pages or a range that wraps past 2^64;
 * -BH_ENOSPC if the result needs more than max regions.
 */
int memmap_from_uefi(const void *map, uint64_t map_size, uint64_t desc_size,
                     struct mem_region *out, size_t max, size_t *count);

/* Sum of the sizes of the regions of one kind. */
uint64_t memmap_total(const struct mem_region *r, size_t n, enum mem_kind kind);

/* True if [base, base + size) overlaps a region of r[0..n) that is not
 * MEM_MMIO: memory, firmware or reserved space a device's registers must
 * never be claimed to be. size > 0; a range that wraps overlaps. */
bool memmap_overlaps_memory(const struct mem_region *r, size_t n, uint64_t base, uint64_t size);

#endif
