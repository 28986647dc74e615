/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The in-memory formats a VT-d unit reads, and the capability and fault
 * registers it reports, encoded and decoded (Intel VT-d specification
 * chapter 9 for the entries, §6.5.2 for invalidation descriptors, §5.1.4
 * for the interrupt remapping entry, §11.4.2, §11.4.3 and §11.4.14 for the
 * registers). Legacy (not scalable) mode, 128-bit descriptors, xAPIC
 * destinations. Pure, so host tests check every bit.
 */
#ifndef ARCH_X86_IOMMU_VTD_ENTRIES_H
#define ARCH_X86_IOMMU_VTD_ENTRIES_H

#include <stdbool.h>
#include <stdint.h>

/* A 128-bit table entry or descriptor, low quadword first as in memory. */
struct vtd_entry {
	uint64_t lo, hi;
};

/* What the kernel needs from CAP and ECAP. */
struct vtd_caps {
	unsigned levels;        /* second-level walk chosen: 4 (48-bit) or 3 (39-bit) */
	bool     large_2m;      /* 2 MiB second-level leaves (CAP.SLLPS bit 0) */
	bool     caching_mode;  /* CAP.CM: not-present entries may be cached */
	bool     write_buffer_flush;   /* CAP.RWBF */
	bool     coherent;      /* ECAP.C: walks snoop the CPU's caches */
	uint32_t domains;       /* domain ids the unit supports (CAP.ND) */
	uint32_t fault_offset;  /* first fault recording register (CAP.FRO * 16) */
	uint32_t fault_count;   /* fault recording registers (CAP.NFR + 1) */
};

/*
 * Decodes CAP and ECAP. Returns 0; -BH_ENOSYS with *why naming the missing
 * feature if the unit lacks what the kernel relies on: queued invalidation
 * (ECAP.QI), interrupt remapping (ECAP.IR), a 3- or 4-level second-level
 * walk (CAP.SAGAW bit 1 or 2; 4 levels are chosen when both are there).
 */
int vtd_caps_decode(uint64_t cap, uint64_t ecap, struct vtd_caps *out, const char **why);

/* Last register byte the unit's fault recording registers use, plus one. */
static inline uint32_t vtd_caps_reg_end(const struct vtd_caps *c)
{
	return c->fault_offset + 16 * c->fault_count;
}

/* A present root entry for one bus, pointing at its context table (§9.1). */
struct vtd_entry vtd_root_entry(uint64_t context_table);

/*
 * A present context entry (§9.3): requests untranslated only (TT 00),
 * translated by the second-level table at sl_root with a walk of levels
 * (3 or 4) and tagged with domain id did in the IOMMU's caches.
 */
struct vtd_entry vtd_context_entry(uint64_t sl_root, unsigned levels, uint16_t did);

/* Source id, as VT-d and PCI name a requester: bus << 8 | devfn. */
static inline uint16_t vtd_source_id(uint8_t bus, uint8_t devfn)
{
	return (uint16_t)(bus << 8 | devfn);
}

/*
 * A present remapped-format interrupt remapping entry (§9.10): fixed
 * delivery, edge, physical destination mode to the xAPIC id dest, vector,
 * usable only by requests whose source id is exactly sid (SVT 01, SQ 00).
 */
struct vtd_entry vtd_irte(uint8_t vector, uint8_t dest, uint16_t sid);

/*
 * The remappable-format MSI address for IRT entry handle (§5.1.5.2):
 * 0xfee00000, handle bits 14:0 in 19:5, format bit 4, SHV bit 3 (a
 * subhandle in the data, which is 0), handle bit 15 in bit 2.
 */
uint64_t vtd_msi_address(uint16_t handle);

/* Invalidation descriptors (§6.5.2). */
struct vtd_entry vtd_qi_context_global(void);
struct vtd_entry vtd_qi_context_device(uint16_t did, uint16_t sid);
struct vtd_entry vtd_qi_iotlb_global(void);
struct vtd_entry vtd_qi_iotlb_domain(uint16_t did);   /* both drain reads and writes */
struct vtd_entry vtd_qi_iec_global(void);
struct vtd_entry vtd_qi_iec_index(uint16_t index);
/* Writes status to the 4-byte aligned status_addr once all before it are done. */
struct vtd_entry vtd_qi_wait(uint64_t status_addr, uint32_t status);

/* One fault recording register, decoded (§11.4.14). */
struct vtd_fault {
	bool     pending;       /* F */
	bool     write;         /* T clear: a write request */
	uint16_t sid;
	uint8_t  reason;
	uint64_t address;       /* the page (DMA) or, for interrupt faults, the index in 63:48 */
};

struct vtd_fault vtd_fault_decode(uint64_t lo, uint64_t hi);

/* Bit 63 of the high quadword: F, written 1 to clear the record. */
#define VTD_FAULT_F (1ull << 63)

/* A short name for a fault reason code (§7.1.3, Table 26), or NULL. */
const char *vtd_fault_reason(uint8_t reason);

#endif
