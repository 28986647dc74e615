/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Just enough ACPI to power the machine off and reset it, and to find
 * other tables by signature (the IOMMU's DMAR): RSDP -> XSDT (or
 * RSDT) -> FADT, and the \_S5 sleep-type values from the DSDT (ACPI 6.4
 * §5.2, §7.4.2). Read once at boot; the kernel does not map ACPI memory
 * afterwards. Every table's signature, length and checksum is verified.
 *
 * Pure: physical memory is reached through a callback, so host tests feed
 * it synthetic tables.
 */
#ifndef ACPI_ACPI_H
#define ACPI_ACPI_H

#include <stdbool.h>
#include <stdint.h>

/*
 * Returns a pointer to len readable bytes at physical address phys, or NULL
 * if that range must not be read (outside RAM/ACPI memory).
 */
typedef const void *(*acpi_map_fn)(void *ctx, uint64_t phys, uint64_t len);

struct acpi_power {
	bool     s5_valid;     /* PM1a_CNT and \_S5 found */
	uint16_t pm1a_cnt;     /* I/O port of PM1a_CNT_BLK */
	uint16_t pm1b_cnt;     /* I/O port of PM1b_CNT_BLK, 0 if none */
	uint8_t  slp_typa;     /* \_S5 package element 0 */
	uint8_t  slp_typb;     /* \_S5 package element 1 */
	bool     reset_valid;  /* FADT RESET_REG usable (system I/O space) */
	uint16_t reset_port;
	uint8_t  reset_value;
};

/*
 * Walks the tables from the RSDP at rsdp_phys and fills *out (zeroed first).
 * Returns 0 when at least the FADT was found; -BH_EINVAL on a bad signature,
 * length or checksum on the way, -BH_ENOENT when there is no FADT, -BH_EFAULT
 * when map refuses a range. s5_valid stays false if the DSDT has no usable
 * \_S5 (that is not an error: the caller falls back to other methods).
 */
int acpi_read_power(uint64_t rsdp_phys, acpi_map_fn map, void *ctx,
                    struct acpi_power *out);

/*
 * Finds the first table with the 4-character signature sig (e.g. "DMAR")
 * through the root table of the RSDP at rsdp_phys, and checks its length
 * and checksum. Returns 0 with *table pointing at the whole table as map
 * gave it (header included) and *len its length; -BH_ENOENT if no such
 * table, and the errors of acpi_read_power for bad tables and refused
 * ranges. The pointer is valid as long as map's mapping is.
 */
int acpi_find_table(uint64_t rsdp_phys, const char *sig, acpi_map_fn map, void *ctx,
                    const uint8_t **table, uint32_t *len);

/*
 * Counts the processors a MADT (the "APIC" table, len bytes, header
 * included, as acpi_find_table gives it) describes as enabled or online
 * capable: its processor local APIC and x2APIC entries. Returns 0 and
 * *cpus; -BH_EINVAL for a table too short or an entry that runs past its
 * end or has a length below 2.
 */
int acpi_madt_count_cpus(const uint8_t *madt, uint32_t len, unsigned *cpus);

#endif
