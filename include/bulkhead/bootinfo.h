/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Boot-info structure: the hand-over from the UEFI stage (firmware/) to the
 * kernel (hypervisor/). Specified in docs/boot.md; keep the two in step.
 *
 * Everything it points to lives in memory the UEFI stage allocated as
 * EfiLoaderData before ExitBootServices, so the kernel's frame allocator
 * never hands it out. All addresses are physical; the UEFI stage runs
 * identity-mapped, so they were also the addresses it used.
 */
#ifndef BULKHEAD_BOOTINFO_H
#define BULKHEAD_BOOTINFO_H

#include <stdint.h>

#define BH_BOOTINFO_MAGIC   0x4f464e49544f4f42ull   /* "BOOTINFO" little-endian */
#define BH_BOOTINFO_VERSION 2u

#define BH_BUNDLE_NAME_MAX  48u    /* bytes, including the terminating NUL */
#define BH_BUNDLE_MAX_FILES 64u
#define BH_BOOT_MAX_CPUS    64u    /* entries in cpu_apic_id[] */

/* One file of the boot bundle (/bulkhead/ on the boot volume). */
struct bh_bundle_file {
	char     name[BH_BUNDLE_NAME_MAX]; /* NUL-terminated, no '/' */
	uint64_t phys;                     /* first byte, page-aligned */
	uint64_t size;                     /* bytes */
	uint8_t  sha256[32];               /* verified by the UEFI stage */
};

struct bh_boot_info {
	uint64_t magic;            /* BH_BOOTINFO_MAGIC */
	uint32_t version;          /* BH_BOOTINFO_VERSION */
	uint32_t size;             /* sizeof(struct bh_boot_info) */

	uint64_t image_base;       /* the loaded Bulkhead image (PE), physical */
	uint64_t image_size;       /* bytes */

	/* The UEFI memory map returned by the GetMemoryMap call whose key
	 * ExitBootServices accepted: raw EFI_MEMORY_DESCRIPTORs. */
	uint64_t memmap;           /* physical address of the first descriptor */
	uint64_t memmap_size;      /* bytes in the map */
	uint64_t memmap_desc_size; /* stride between descriptors (>= 40) */
	uint32_t memmap_desc_version;
	uint32_t reserved0;

	uint64_t acpi_rsdp;        /* ACPI 2.0+ RSDP, or 1.0 RSDP, or 0 */

	/* Zeroed pages the kernel builds its first page tables from, while
	 * the firmware's tables (in boot-services memory) are still live. */
	uint64_t early_pool;       /* physical, page-aligned */
	uint64_t early_pool_size;  /* bytes, page multiple */

	uint32_t bundle_count;     /* entries used in bundle[] */
	uint32_t reserved1;
	struct bh_bundle_file bundle[BH_BUNDLE_MAX_FILES];

	/* The CPUs the firmware found enabled and healthy, by local APIC ID
	 * (UEFI MP Services; 1 entry, the boot CPU, if the firmware has no
	 * such protocol). cpu_apic_id[0] is the boot CPU, the one running
	 * the UEFI stage and then the kernel; the others in the firmware's
	 * processor-number order. */
	uint32_t cpu_count;        /* 1 .. BH_BOOT_MAX_CPUS */
	uint32_t reserved2;        /* 0 */
	uint32_t cpu_apic_id[BH_BOOT_MAX_CPUS];
};

#endif
