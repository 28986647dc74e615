/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The ACPI DMA Remapping Reporting table (Intel VT-d specification,
 * chapter 8): which remapping hardware units (DRHD) the platform has,
 * where their registers are, and which PCI functions each covers. Pure:
 * it parses a byte buffer, so host tests feed it good and broken tables.
 * Firmware tables are input, not trusted: every length is checked against
 * the table's before anything is read.
 */
#ifndef ARCH_X86_IOMMU_DMAR_H
#define ARCH_X86_IOMMU_DMAR_H

#include <stdbool.h>
#include <stdint.h>

#define DMAR_MAX_UNITS  4    /* DRHDs kept; a table with more is refused */
#define DMAR_MAX_SCOPES 16   /* device scopes kept per unit; more are refused */

/* Device scope types (§8.3.1). */
#define DMAR_SCOPE_PCI_ENDPOINT 1
#define DMAR_SCOPE_PCI_BRIDGE   2
#define DMAR_SCOPE_IOAPIC       3
#define DMAR_SCOPE_HPET         4
#define DMAR_SCOPE_ACPI_DEVICE  5

/* DMAR flags (§8.1). */
#define DMAR_FLAG_INTR_REMAP    (1u << 0)
#define DMAR_FLAG_X2APIC_OPT_OUT (1u << 1)

/* One device scope: the first hop of its path (start bus, device, function). */
struct dmar_scope {
	uint8_t type;
	uint8_t enumeration_id;   /* IOAPIC/HPET id */
	uint8_t bus;
	uint8_t devfn;            /* (device << 3) | function of the first hop */
	uint8_t hops;             /* path entries; > 1 means behind bridges */
};

struct dmar_unit {
	uint64_t base;            /* register set, 4 KiB aligned */
	uint16_t segment;
	bool     include_all;     /* INCLUDE_PCI_ALL: every function of the segment not in another unit's scope */
	uint8_t  nscopes;
	struct dmar_scope scopes[DMAR_MAX_SCOPES];
};

struct dmar_info {
	uint8_t  host_address_width;   /* the field + 1: bits of DMA address */
	uint8_t  flags;                /* DMAR_FLAG_* */
	uint8_t  nunits;
	struct dmar_unit units[DMAR_MAX_UNITS];
};

/*
 * Parses the DMAR table at t (len bytes, header included, checksum already
 * checked by the ACPI reader) into *out (zeroed first). Remapping
 * structures other than DRHD (RMRR, ATSR, RHSA, ANDD, SATC) are skipped
 * after their length is checked. Returns 0; -BH_EINVAL with *why set to a
 * sentence naming what is wrong (a signature that is not "DMAR", a length
 * beyond the buffer, a structure or scope that is truncated or runs past
 * its parent, a register base that is 0 or not 4 KiB aligned, no DRHD at
 * all); -BH_E2BIG with *why if there are more units or scopes than kept.
 */
int dmar_parse(const uint8_t *t, uint32_t len, struct dmar_info *out, const char **why);

/*
 * The unit that translates requests from bus:devfn of segment 0: the unit
 * whose scope names that function as a PCI endpoint, else the segment's
 * INCLUDE_PCI_ALL unit; NULL if none (§8.3.3: an explicit scope wins).
 * Functions behind bridges named by a sub-hierarchy scope fall to the
 * catch-all unit; that is enough for the platforms Bulkhead runs on and
 * never leaves a function with no unit when there is a catch-all.
 */
const struct dmar_unit *dmar_unit_for(const struct dmar_info *info, uint8_t bus,
                                      uint8_t devfn);

#endif
