/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Builds the HW-reduced ACPI tables of a Linux guest from a description
 * of its platform (platform.h): RSDP (revision 2), XSDT, FADT (revision
 * 6, HW_REDUCED_ACPI, no legacy devices, no 8042), MADT (one local APIC
 * per vCPU, one IOAPIC, an interrupt source override for each ISA line
 * that is not edge-triggered active-high), for a platform with PCI an
 * MCFG (PCI Firmware 3.2 §4.1.2: one allocation, segment 0, buses 0-0),
 * and a DSDT whose AML describes COM1 (PNP0501), the RTC (PNP0B00), one
 * LNRO0005 device per virtio-mmio window and the PCI root bridge. Layouts
 * are ACPI 6.x §5.2; the AML is dsdt.h's.
 *
 * Pure and freestanding: the tables go into a caller's buffer, which the
 * monitor later copies into guest memory at buf_gpa; every pointer
 * between tables is a guest-physical address computed from buf_gpa.
 */
#ifndef VMM_ACPI_TABLES_H
#define VMM_ACPI_TABLES_H

#include <stddef.h>
#include <stdint.h>

#include "acpi/platform.h"

/* Where each table landed, as offsets into the caller's buffer. The
 * guest finds them all from the RSDP, whose guest-physical address goes
 * into hvm_start_info.rsdp_paddr. */
struct acpi_layout {
	size_t rsdp, xsdt, fadt, madt, dsdt, mcfg;   /* offsets; mcfg 0: none */
	size_t dsdt_len, madt_len, fadt_len, xsdt_len, mcfg_len;
	size_t total;                          /* bytes used from buf */
	uint64_t rsdp_gpa;
};

/* Size of the standard table header (ACPI 6.x §5.2.6) and the RSDP. */
#define ACPI_HEADER_LEN 36
#define ACPI_RSDP_LEN   36

/* The FADT flag and boot-architecture bits this builder sets or relies on
 * being clear (ACPI 6.x §5.2.9: fixed feature flags, IA-PC boot
 * architecture flags). */
#define ACPI_FADT_HW_REDUCED_ACPI   (1u << 20)
#define ACPI_IAPC_LEGACY_DEVICES    (1u << 0)
#define ACPI_IAPC_8042              (1u << 1)
#define ACPI_IAPC_VGA_NOT_PRESENT   (1u << 2)
#define ACPI_IAPC_MSI_NOT_SUPPORTED (1u << 3)   /* never set: MSI is how granted devices signal */
#define ACPI_IAPC_CMOS_RTC_NOT_PRESENT (1u << 5)

/*
 * Checks the description: 1..ACPI_MAX_VCPUS vCPUs, an IOAPIC ID that is
 * no APIC ID, every GSI on an IOAPIC pin, every virtio window 512-byte
 * aligned, at least 0x200 bytes, below 4 GiB, above RAM, clear of the
 * LAPIC, the IOAPIC and every other window, no GSI used twice (each
 * device model drives a line of its own; the IOAPIC model need not merge
 * levels); with PCI, an ECAM window and a non-empty memory window as
 * platform.h says, each above RAM and clear of the APICs, of each other
 * and of every virtio window. Returns 0 or -BH_EINVAL.
 */
int acpi_platform_check(const struct acpi_platform *p);

/*
 * Checks *p (acpi_platform_check), then writes all tables into
 * buf[0, cap), which the guest will see at guest-physical buf_gpa,
 * 16-byte aligned as an RSDP must be. The FADT's X_DSDT always holds the
 * DSDT's address; its 32-bit DSDT field too when that is below 4 GiB.
 * Every checksum is filled in. Returns 0 and fills *out; -BH_EINVAL for a
 * bad description or a misaligned buf_gpa; -BH_ENOSPC if cap is too small,
 * in which case buf's contents mean nothing.
 */
int acpi_build(const struct acpi_platform *p, uint8_t *buf, size_t cap,
               uint64_t buf_gpa, struct acpi_layout *out);

/* The 8-bit sum of bytes [0, n): 0 for a table whose checksum is right. */
uint8_t acpi_sum(const uint8_t *bytes, size_t n);

#endif
