/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What a PVH loader hands the kernel: struct hvm_start_info, whose
 * guest-physical address is in %ebx at the PVH entry point, and the two
 * tables it points to. The layout is Xen's public ABI
 * (xen/include/public/arch-x86/hvm/start_info.h, version 1); the names are
 * Xen's and Linux's, so the code reads beside theirs. Facts only: a
 * loader fills these in guest memory (docs/linux-guest.md).
 *
 * All fields are little-endian. An address of 0 means "not present":
 * nothing is ever placed at guest-physical 0. The kernel reads the
 * structure before it has paging, so everything it points to must lie
 * below 4 GiB, as must the structure itself.
 */
#ifndef VMM_LOADER_HVM_START_INFO_H
#define VMM_LOADER_HVM_START_INFO_H

#include <stddef.h>
#include <stdint.h>

/* "xEn3" with the 0x80 bit of the "E" set. */
#define XEN_HVM_START_MAGIC_VALUE  0x336ec578u

/* Version 1 added memmap_paddr and memmap_entries; Linux reads the memory
 * map only when version >= 1 and memmap_entries != 0. */
#define HVM_START_INFO_VERSION     1u

/* hvm_memmap_table_entry.type: the ACPI address range types (E820). */
#define XEN_HVM_MEMMAP_TYPE_RAM       1u
#define XEN_HVM_MEMMAP_TYPE_RESERVED  2u
#define XEN_HVM_MEMMAP_TYPE_ACPI      3u
#define XEN_HVM_MEMMAP_TYPE_NVS       4u
#define XEN_HVM_MEMMAP_TYPE_UNUSABLE  5u
#define XEN_HVM_MEMMAP_TYPE_DISABLED  6u
#define XEN_HVM_MEMMAP_TYPE_PMEM      7u

struct hvm_start_info {
	uint32_t magic;            /* XEN_HVM_START_MAGIC_VALUE */
	uint32_t version;          /* HVM_START_INFO_VERSION */
	uint32_t flags;            /* SIF_* flags of Xen; 0 for a non-Xen host */
	uint32_t nr_modules;       /* entries at modlist_paddr; Linux takes the
	                              first module as its initramfs */
	uint64_t modlist_paddr;    /* struct hvm_modlist_entry[nr_modules] */
	uint64_t cmdline_paddr;    /* NUL-terminated kernel command line */
	uint64_t rsdp_paddr;       /* the ACPI RSDP; 0: the kernel searches */
	uint64_t memmap_paddr;     /* struct hvm_memmap_table_entry[memmap_entries] */
	uint32_t memmap_entries;   /* 0: no memory map given */
	uint32_t reserved;         /* must be 0 */
};

struct hvm_modlist_entry {
	uint64_t paddr;            /* the module's bytes */
	uint64_t size;             /* in bytes */
	uint64_t cmdline_paddr;    /* the module's own command line, or 0 */
	uint64_t reserved;         /* must be 0 */
};

struct hvm_memmap_table_entry {
	uint64_t addr;             /* base address */
	uint64_t size;             /* in bytes */
	uint32_t type;             /* XEN_HVM_MEMMAP_TYPE_* */
	uint32_t reserved;         /* must be 0 */
};

/* The offsets the ABI fixes, checked so no compiler can pad them away. */
_Static_assert(sizeof(struct hvm_start_info) == 56, "hvm_start_info is 56 bytes");
_Static_assert(offsetof(struct hvm_start_info, nr_modules) == 12, "nr_modules at 12");
_Static_assert(offsetof(struct hvm_start_info, modlist_paddr) == 16, "modlist_paddr at 16");
_Static_assert(offsetof(struct hvm_start_info, cmdline_paddr) == 24, "cmdline_paddr at 24");
_Static_assert(offsetof(struct hvm_start_info, rsdp_paddr) == 32, "rsdp_paddr at 32");
_Static_assert(offsetof(struct hvm_start_info, memmap_paddr) == 40, "memmap_paddr at 40");
_Static_assert(offsetof(struct hvm_start_info, memmap_entries) == 48, "memmap_entries at 48");
_Static_assert(sizeof(struct hvm_modlist_entry) == 32, "hvm_modlist_entry is 32 bytes");
_Static_assert(sizeof(struct hvm_memmap_table_entry) == 24, "hvm_memmap_table_entry is 24 bytes");
_Static_assert(offsetof(struct hvm_memmap_table_entry, type) == 16, "type at 16");

#endif
