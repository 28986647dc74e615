/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The UEFI stage: the first Bulkhead code that runs. It collects what the
 * kernel needs from the firmware (memory map, ACPI RSDP, the CPUs, the boot
 * bundle), leaves boot services, and enters the kernel with a boot-info
 * structure (docs/boot.md). Any failure before ExitBootServices is printed and
 * returned to the firmware as an error status: never a silent hang.
 */
#include <efi.h>

#include <bulkhead/bootinfo.h>

#include "arch/console.h"
#include "efi/efi_bundle.h"
#include "efi/efi_console.h"
#include "efi/efi_cpus.h"
#include "efi/efi_measure.h"
#include "kernel/kernel.h"
#include "lib/string.h"

/*
 * Page-table frames for the kernel's first address space: 1 MiB covers the
 * direct map of ~200 GiB of RAM with 2 MiB pages plus the 4 KiB edges.
 */
#define EARLY_POOL_PAGES 256

/* ExitBootServices may fail while the map changes under us (UEFI 2.9 §7.4). */
#define EXIT_ATTEMPTS 4

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *st);

static EFI_GUID loaded_image_guid = EFI_LOADED_IMAGE_PROTOCOL_GUID;
static EFI_GUID acpi20_guid = ACPI_20_TABLE_GUID;
static EFI_GUID acpi10_guid = ACPI_TABLE_GUID;

static uint64_t find_rsdp(EFI_SYSTEM_TABLE *st)
{
	uint64_t acpi10 = 0;
	for (UINTN i = 0; i < st->NumberOfTableEntries; i++) {
		EFI_CONFIGURATION_TABLE *t = &st->ConfigurationTable[i];
		if (!memcmp(&t->VendorGuid, &acpi20_guid, sizeof(EFI_GUID)))
			return (uint64_t)(uintptr_t)t->VendorTable;
		if (!memcmp(&t->VendorGuid, &acpi10_guid, sizeof(EFI_GUID)))
			acpi10 = (uint64_t)(uintptr_t)t->VendorTable;
	}
	return acpi10;
}

/*
 * Takes the final memory map and leaves boot services. The map buffer is
 * allocated first, with slack for the descriptors that allocation adds.
 */
static EFI_STATUS leave_boot_services(EFI_BOOT_SERVICES *bs, EFI_HANDLE image,
                                      struct bh_boot_info *bi)
{
	UINTN size = 0, key, desc_size;
	UINT32 desc_version;
	EFI_STATUS s = bs->GetMemoryMap(&size, NULL, &key, &desc_size, &desc_version);
	if (s != EFI_BUFFER_TOO_SMALL)
		return efi_error(s, "GetMemoryMap did not report its size");

	UINTN capacity = size + 16 * desc_size;
	EFI_PHYSICAL_ADDRESS buf = 0;
	s = bs->AllocatePages(AllocateAnyPages, EfiLoaderData, (capacity + 4095) / 4096, &buf);
	if (EFI_ERROR(s))
		return efi_error(s, "no memory for the memory map (%llu bytes)",
		                 (unsigned long long)capacity);

	efi_log("leaving boot services");
	efi_console_detach();
	for (int attempt = 0; attempt < EXIT_ATTEMPTS; attempt++) {
		size = capacity;
		s = bs->GetMemoryMap(&size, (EFI_MEMORY_DESCRIPTOR *)(uintptr_t)buf, &key,
		                     &desc_size, &desc_version);
		if (EFI_ERROR(s))
			return efi_error(s, "GetMemoryMap failed");
		s = bs->ExitBootServices(image, key);
		if (s == EFI_SUCCESS) {
			bi->memmap = buf;
			bi->memmap_size = size;
			bi->memmap_desc_size = desc_size;
			bi->memmap_desc_version = desc_version;
			return EFI_SUCCESS;
		}
		if (s != EFI_INVALID_PARAMETER)
			break;   /* only a stale map key is worth a retry */
	}
	return efi_error(s, "ExitBootServices failed after %d attempts", EXIT_ATTEMPTS);
}

/* The boot itself; it returns only if something failed. */
static EFI_STATUS boot(EFI_HANDLE image, EFI_SYSTEM_TABLE *st)
{
	EFI_BOOT_SERVICES *bs = st->BootServices;
	EFI_LOADED_IMAGE *li;
	EFI_STATUS s;

	efi_console_init(st);
	efi_log("Bulkhead UEFI stage");
	/* The boot manager's 5-minute watchdog would reset a slow emulator. */
	bs->SetWatchdogTimer(0, 0, 0, NULL);

	s = bs->HandleProtocol(image, &loaded_image_guid, (void **)&li);
	if (EFI_ERROR(s))
		return efi_error(s, "cannot find this image's LoadedImage protocol");

	EFI_PHYSICAL_ADDRESS bi_phys = 0;
	s = bs->AllocatePages(AllocateAnyPages, EfiLoaderData,
	                      (sizeof(struct bh_boot_info) + 4095) / 4096, &bi_phys);
	if (EFI_ERROR(s))
		return efi_error(s, "no memory for the boot info");
	struct bh_boot_info *bi = (struct bh_boot_info *)(uintptr_t)bi_phys;
	memset(bi, 0, sizeof(*bi));
	bi->magic = BH_BOOTINFO_MAGIC;
	bi->version = BH_BOOTINFO_VERSION;
	bi->size = sizeof(*bi);
	bi->image_base = (uint64_t)(uintptr_t)li->ImageBase;
	bi->image_size = li->ImageSize;
	bi->acpi_rsdp = find_rsdp(st);
	if (!bi->acpi_rsdp)
		efi_log("warning: firmware publishes no ACPI tables; power-off may not work");

	efi_cpus_find(bs, bi);

	EFI_PHYSICAL_ADDRESS pool = 0;
	s = bs->AllocatePages(AllocateAnyPages, EfiLoaderData, EARLY_POOL_PAGES, &pool);
	if (EFI_ERROR(s))
		return efi_error(s, "no memory for the kernel's early page-table pool");
	memset((void *)(uintptr_t)pool, 0, EARLY_POOL_PAGES * 4096ull);
	bi->early_pool = pool;
	bi->early_pool_size = EARLY_POOL_PAGES * 4096ull;

	s = efi_bundle_load(bs, li->ImageBase, li->ImageSize, bi);
	if (EFI_ERROR(s))
		return s;
	/* Before any bundle file is used: the kernel reads them all later. */
	efi_measure_bundle(bs, bi);

	s = leave_boot_services(bs, image, bi);
	if (EFI_ERROR(s))
		return s;
	kernel_entry(bi);
}

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *st)
{
	EFI_STATUS s = boot(image, st);

	/* The firmware may reset COM1 for its next boot option, which drops
	 * what the UART still holds: the error must leave it first. */
	arch_console_flush();
	return s;
}
