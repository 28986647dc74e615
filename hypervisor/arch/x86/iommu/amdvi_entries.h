/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The in-memory formats an AMD-Vi unit reads and writes, encoded and
 * decoded (AMD IOMMU specification 48882: §2.2.2 device table entry,
 * §2.2.3 I/O page table entries, §2.2.5 interrupt remapping table entry
 * (the 32-bit format), §2.4 commands, §2.5 event log entries). xAPIC
 * destinations, no guest translation. Pure, so host tests check every bit.
 */
#ifndef ARCH_X86_IOMMU_AMDVI_ENTRIES_H
#define ARCH_X86_IOMMU_AMDVI_ENTRIES_H

#include <stdbool.h>
#include <stdint.h>

/* A 256-bit device table entry, lowest quadword first as in memory. */
struct amdvi_dte {
	uint64_t q[4];
};

/* A 128-bit command or event log entry, low quadword first. */
struct amdvi_cmd {
	uint64_t lo, hi;
};

#define AMDVI_DTE_V   (1ull << 0)    /* q[0]: the entry is valid */
#define AMDVI_DTE_TV  (1ull << 1)    /* q[0]: its translation fields are valid */
#define AMDVI_DTE_IR  (1ull << 61)   /* q[0]: reads allowed */
#define AMDVI_DTE_IW  (1ull << 62)   /* q[0]: writes allowed */
#define AMDVI_DTE_IV  (1ull << 0)    /* q[2]: interrupt fields valid */

/* Entries of the 32-bit interrupt remapping table per function table. */
#define AMDVI_IRT_LEN_LOG2 8
#define AMDVI_IRT_ENTRIES  (1u << AMDVI_IRT_LEN_LOG2)

/*
 * A valid device table entry: DMA translated by the page table at root
 * with a walk of mode (1..6) levels, tagged domain in the IOMMU's caches,
 * reads and writes allowed only if allow (else every DMA faults whatever
 * the table says); interrupts remapped (IntCtl 10b) by the table of
 * AMDVI_IRT_ENTRIES entries at irt (128-byte aligned); INIT, NMI, ExtInt
 * and LINT pass-through off (such messages are aborted). root and irt
 * must be aligned; extra bits are dropped.
 */
struct amdvi_dte amdvi_dte_make(uint64_t root, unsigned mode, uint16_t domain, bool allow,
                                uint64_t irt);

/* The DomainID and interrupt table a device table entry names. */
static inline uint16_t amdvi_dte_domain(const struct amdvi_dte *e)
{
	return (uint16_t)e->q[1];
}

uint64_t amdvi_dte_irt(const struct amdvi_dte *e);

/*
 * A present I/O page table entry (§2.2.3): for a table at level > 1 it
 * names the next table (next level = level - 1); a leaf (next level 0) maps
 * one 4 KiB page. Reads are always allowed, writes if writable; tables
 * allow both, so the leaf decides.
 */
uint64_t amdvi_pte_table(uint64_t table, unsigned level);
uint64_t amdvi_pte_leaf(uint64_t page, bool writable);

#define AMDVI_PTE_PR (1ull << 0)

/*
 * A remapped interrupt table entry (32-bit format): RemapEn, fixed
 * delivery, edge (RqEoi 0), physical destination to the xAPIC id dest,
 * vector; guest mode off, IO page faults for it not suppressed.
 */
uint32_t amdvi_irte(uint8_t vector, uint8_t dest);

/*
 * The MSI a device sends through its interrupt table: the address is the
 * plain 0xfee00000 (destination and mode come from the entry) and the data's
 * bits 10:0 name entry index, with delivery mode bits 10:8 then 0 (fixed),
 * which is why tables have at most 256 entries.
 */
#define AMDVI_MSI_ADDRESS 0xfee00000ull
static inline uint32_t amdvi_msi_data(uint16_t index)
{
	return index & 0xffu;
}

/* Commands (§2.4). */
/* Stores data at the 8-byte aligned store_addr once every command before it is done. */
struct amdvi_cmd amdvi_cmd_completion_wait(uint64_t store_addr, uint64_t data);
struct amdvi_cmd amdvi_cmd_inv_devtab(uint16_t devid);
/* Every page of domain, page directory entries included. */
struct amdvi_cmd amdvi_cmd_inv_pages(uint16_t domain);
struct amdvi_cmd amdvi_cmd_inv_irt(uint16_t devid);
struct amdvi_cmd amdvi_cmd_inv_all(void);

/* An event log entry, decoded (§2.5). */
struct amdvi_event {
	uint8_t  code;          /* event code: 2 is IO_PAGE_FAULT */
	uint16_t devid;
	uint16_t domain;        /* IO_PAGE_FAULT: the domain */
	uint16_t flags;         /* IO_PAGE_FAULT: the flags field, bits 27:16 of dword 1 */
	bool     write;         /* IO_PAGE_FAULT: RW, a write */
	bool     interrupt;     /* IO_PAGE_FAULT: I, an interrupt request */
	uint64_t address;
};

#define AMDVI_EVENT_IO_PAGE_FAULT 2

struct amdvi_event amdvi_event_decode(struct amdvi_cmd e);

/* A short name for an event code, or NULL. */
const char *amdvi_event_name(uint8_t code);

#endif
