/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The AMD-Vi driver's shared state, private to arch/x86/iommu/. One device
 * table (every one of the 65536 device IDs of segment 0) serves every unit
 * the IVRS lists: each unit is pointed at it, so a function is treated
 * alike whichever unit it sits behind, and every change is invalidated on
 * all units. Each unit has its own registers, command buffer and event
 * log.
 */
#ifndef ARCH_X86_IOMMU_AMDVI_H
#define ARCH_X86_IOMMU_AMDVI_H

#include <stdbool.h>
#include <stdint.h>

#include "arch/x86/iommu/amdvi_entries.h"
#include "arch/x86/iommu/iommu_ops.h"
#include "arch/x86/iommu/ivrs.h"

#define AMDVI_BLOCKING_DID 1      /* the domain that maps nothing */
#define AMDVI_DEVICE_IDS   65536u
#define AMDVI_DEV_TABLE_PAGES (AMDVI_DEVICE_IDS * sizeof(struct amdvi_dte) / 4096)
#define AMDVI_RING_LEN_LOG2 8     /* command buffer and event log: 256 entries, 4 KiB */
#define AMDVI_RING_ENTRIES (1u << AMDVI_RING_LEN_LOG2)

struct amdvi_unit {
	uint64_t base;
	volatile uint8_t *regs;
	uint64_t efr;                 /* the extended feature register */
	struct amdvi_cmd *cmd_buf;    /* AMDVI_RING_ENTRIES commands */
	uint32_t cmd_tail;            /* next free slot */
	struct amdvi_cmd *event_log;  /* AMDVI_RING_ENTRIES events */
	uint64_t event_next;          /* byte offset of the next event to read: the head */
	volatile uint64_t wait_store; /* written by the unit's COMPLETION_WAITs */
	uint64_t wait_seq;            /* the value the last one stores */
	bool ready;                   /* enabled: amdvi_run reaches it */
};

struct amdvi_state {
	int      found;               /* 0: an IVRS parsed; else why it is unusable */
	const char *found_why;        /* with that error: a sentence */
	struct ivrs_info ivrs;
	struct amdvi_unit units[IVRS_MAX_UNITS];
	struct amdvi_dte *dev_table;  /* AMDVI_DEVICE_IDS entries */
	uint64_t empty_irt;           /* the interrupt table every function starts with */
	struct iommu_domain blocking;
	bool     active;
};

extern struct amdvi_state amdvi;

/* A zeroed 4 KiB frame's physical address, or 0; and its return. */
uint64_t amdvi_frame_alloc(void *ctx);
void amdvi_frame_free(void *ctx, uint64_t phys);

/* The kernel's pointer to physical address phys (identity map). */
static inline void *amdvi_phys(uint64_t phys)
{
	return (void *)(uintptr_t)phys;
}

/*
 * Runs the n (<= 8) commands on every ready unit, followed by a
 * COMPLETION_WAIT, and returns once every unit stored its completion: 0;
 * -BH_EIO if a unit did not within a second.
 */
int amdvi_run(const struct amdvi_cmd *c, unsigned n);

/*
 * Writes device table entry devid and invalidates the units' copy of it:
 * first the entry is made to deny all DMA (the old domain's cached
 * translations are dropped with it), then the new value is written low
 * quadwords last, and invalidated again, so no unit ever uses a mix of the
 * old and new entries. Returns 0 or -BH_EIO.
 */
int amdvi_dte_set(uint16_t devid, struct amdvi_dte value);

/*
 * Brings one unit up on the shared device table: command buffer, event
 * log, then translation on (which also turns interrupt remapping on, as
 * every entry asks for it). Returns 0 or a negative error with *why.
 */
int amdvi_unit_enable(struct amdvi_unit *u, const char **why);

/* MMIO register access. */
uint64_t amdvi_read64(const struct amdvi_unit *u, uint32_t off);
void amdvi_write64(const struct amdvi_unit *u, uint32_t off, uint64_t v);

#endif
