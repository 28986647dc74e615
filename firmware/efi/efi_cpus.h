/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The CPU list the kernel starts its application processors from
 * (bh_boot_info.cpu_count and cpu_apic_id[], docs/boot.md). The firmware's
 * EFI_MP_SERVICES_PROTOCOL names every processor it found; ACPI's MADT
 * would too, but OVMF under Bochs publishes no ACPI tables.
 */
#ifndef FIRMWARE_EFI_CPUS_H
#define FIRMWARE_EFI_CPUS_H

#include <efi.h>

#include <bulkhead/bootinfo.h>

/*
 * Fills bi->cpu_count and bi->cpu_apic_id[]: the boot CPU first, then every
 * other processor the firmware reports enabled and healthy, in its
 * processor-number order, up to BH_BOOT_MAX_CPUS (a line names how many were
 * left out). Without the protocol, or if it fails, the list is the boot CPU
 * alone, its APIC ID read from CPUID, and a line says why. Prints the result
 * ("N CPUs (APIC IDs ...)"). Never stops the boot. Must run on the boot CPU
 * before ExitBootServices.
 */
void efi_cpus_find(EFI_BOOT_SERVICES *bs, struct bh_boot_info *bi);

#endif
