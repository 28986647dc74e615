/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The ACPI I/O Virtualization Reporting Structure (AMD I/O Virtualization
 * Technology (IOMMU) Specification, 48882, §5.2): which AMD-Vi units the
 * platform has, where their registers are, and which device IDs (PCI
 * bus << 8 | devfn) each translates. Pure: it parses a byte buffer, so host
 * tests feed it good and broken tables. Firmware tables are input, not
 * trusted: every length is checked against the table's before anything
 * is read.
 *
 * One unit may be described by IVHD blocks of several types (10h, 11h,
 * 40h), each later type a superset; the kernel keeps the blocks of the
 * highest type present, as the specification asks (§5.2.2.1).
 */
#ifndef ARCH_X86_IOMMU_IVRS_H
#define ARCH_X86_IOMMU_IVRS_H

#include <stdbool.h>
#include <stdint.h>

#define IVRS_MAX_UNITS  4    /* IVHDs kept; a table with more is refused */
#define IVRS_MAX_RANGES 32   /* device ID ranges kept per unit; more are refused */

/* IVHD block types (§5.2.2.1). */
#define IVHD_TYPE_10 0x10
#define IVHD_TYPE_11 0x11
#define IVHD_TYPE_40 0x40

/* Device IDs first..last (inclusive) that the unit translates. */
struct ivrs_range {
	uint16_t first, last;
};

struct ivrs_unit {
	uint8_t  type;            /* the IVHD type it came from */
	uint16_t iommu_devid;     /* the unit's own PCI function */
	uint16_t cap_offset;      /* its IOMMU capability in that function's config space */
	uint64_t base;            /* register set, 16 KiB aligned */
	uint16_t segment;
	uint64_t efr;             /* the extended feature register's image (11h, 40h), else 0 */
	uint8_t  nranges;
	struct ivrs_range ranges[IVRS_MAX_RANGES];
};

struct ivrs_info {
	uint32_t ivinfo;          /* IVinfo: address sizes, EFR support */
	uint8_t  nunits;
	struct ivrs_unit units[IVRS_MAX_UNITS];
};

/*
 * Parses the IVRS table at t (len bytes, header included, checksum already
 * checked by the ACPI reader) into *out (zeroed first). IVMD blocks and
 * other block types are skipped after their length is checked. Device
 * entries: select-all, select, start/end of range (plain, alias, extended),
 * alias select, extended select and special (IOAPIC, HPET) become ranges;
 * padding, reserved 4- and 8-byte types and ACPI HID entries are skipped.
 * Returns 0; -BH_EINVAL with *why set to a sentence naming what is wrong
 * (a signature that is not "IVRS", a length beyond the buffer, a block or
 * device entry that is truncated or runs past its parent, a range start
 * with no end or an end with no start, a device entry type of unknown
 * length, a register base that is 0 or not 16 KiB aligned, no IVHD at
 * all); -BH_E2BIG with *why if there are more units or ranges than kept.
 */
int ivrs_parse(const uint8_t *t, uint32_t len, struct ivrs_info *out, const char **why);

/* The unit of segment 0 that translates requests from device ID devid, or NULL. */
const struct ivrs_unit *ivrs_unit_for(const struct ivrs_info *info, uint16_t devid);

#endif
