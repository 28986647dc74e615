/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The VT-d driver's shared state, private to arch/x86/iommu/. One set of
 * in-memory structures (root table, context tables, second-level tables,
 * interrupt remapping table) serves every unit the DMAR lists: each unit
 * is pointed at the same ones, so every function is translated alike
 * whichever unit it sits behind, and every change is invalidated on all
 * units. Each unit has its own registers and invalidation queue.
 */
#ifndef ARCH_X86_IOMMU_VTD_H
#define ARCH_X86_IOMMU_VTD_H

#include <stdbool.h>
#include <stdint.h>

#include "arch/x86/iommu/dmar.h"
#include "arch/x86/iommu/iommu_ops.h"
#include "arch/x86/iommu/vtd_entries.h"
#include "arch/x86/mm/ept.h"

#define VTD_BLOCKING_DID 1       /* the domain that maps nothing */
#define VTD_IRT_ENTRIES  256     /* one 4 KiB page of 16-byte entries */
#define VTD_IRTA_SIZE    7       /* IRTA.S: 2^(7+1) = 256 entries */

struct vtd_unit {
	uint64_t base;
	volatile uint8_t *regs;
	struct vtd_caps caps;
	struct vtd_entry *queue;      /* invalidation queue, DMA_IQ_ENTRIES long */
	uint32_t tail;                /* next free queue slot */
	volatile uint32_t wait_status;   /* written by the unit's wait descriptors */
	bool ready;                   /* enabled: vtd_invalidate reaches it */
};

struct vtd_state {
	int      found;               /* 0: a DMAR parsed; -BH_ENODEV: none (or not looked for
	                                 yet: 0 with no units); else why it is unusable */
	const char *found_why;        /* with that error: a sentence */
	struct dmar_info dmar;
	struct vtd_unit units[DMAR_MAX_UNITS];
	unsigned levels;              /* second-level walk all units share */
	bool     large_2m;            /* every unit takes 2 MiB leaves */
	bool     coherent;            /* every unit snoops the CPU caches */
	bool     caching_mode;        /* some unit caches not-present entries */
	uint64_t root_table;
	uint64_t blocking_context;    /* context table every bus starts with */
	uint64_t bus_context[256];    /* a bus's own context table, or 0: the blocking one */
	struct iommu_domain blocking;
	uint64_t irt;                 /* interrupt remapping table */
	bool     active;
};

extern struct vtd_state vtd;

/* A zeroed 4 KiB frame's physical address, or 0; and its return. */
uint64_t vtd_frame_alloc(void *ctx);
void vtd_frame_free(void *ctx, uint64_t phys);

/* The kernel's pointer to physical address phys (identity map). */
static inline void *vtd_phys(uint64_t phys)
{
	return (void *)(uintptr_t)phys;
}

/*
 * Writes a 128-bit entry the units may be reading: the high half first,
 * then the low half (which holds the present bit) in one store, so a unit
 * never sees a present entry with a stale high half, provided the entry
 * was not present before.
 */
void vtd_entry_set(struct vtd_entry *e, struct vtd_entry value);

/*
 * Makes table writes visible to units that do not snoop the CPU caches
 * (ECAP.C clear); nothing on coherent units.
 */
void vtd_sync_tables(void);

/*
 * Runs the n (<= 8) descriptors on every unit's invalidation queue,
 * followed by a wait descriptor, and returns once every unit reported
 * them done: 0; -BH_EIO if a unit reported a queue error or did not
 * finish within a second.
 */
int vtd_invalidate(const struct vtd_entry *d, unsigned n);

/*
 * Brings one unit up on the shared structures (root table, IRT): root
 * table pointer, queued invalidation, global invalidations, interrupt
 * remapping (compatibility format blocked, xAPIC mode), translation.
 * Returns 0 or a negative error with *why.
 */
int vtd_unit_enable(struct vtd_unit *u, const char **why);

/* MMIO register access. */
uint32_t vtd_read32(const struct vtd_unit *u, uint32_t off);
uint64_t vtd_read64(const struct vtd_unit *u, uint32_t off);
void vtd_write32(const struct vtd_unit *u, uint32_t off, uint32_t v);
void vtd_write64(const struct vtd_unit *u, uint32_t off, uint64_t v);

#endif
