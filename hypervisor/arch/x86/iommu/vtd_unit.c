/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * One VT-d unit's registers: global commands, the invalidation queue, and
 * the enable sequence (Intel VT-d specification §10.4.4 for GCMD, §6.5.2
 * for queued invalidation, §6.5.3 and §5.1 for interrupt remapping).
 */
#include <bulkhead/errno.h>

#include "arch/time.h"
#include "arch/x86/iommu/vtd.h"
#include "arch/x86/iommu/vtd_regs.h"
#include "lib/string.h"

#define QI_DONE 1u

uint32_t vtd_read32(const struct vtd_unit *u, uint32_t off)
{
	return *(volatile uint32_t *)(u->regs + off);
}

uint64_t vtd_read64(const struct vtd_unit *u, uint32_t off)
{
	return *(volatile uint64_t *)(u->regs + off);
}

void vtd_write32(const struct vtd_unit *u, uint32_t off, uint32_t v)
{
	*(volatile uint32_t *)(u->regs + off) = v;
}

void vtd_write64(const struct vtd_unit *u, uint32_t off, uint64_t v)
{
	*(volatile uint64_t *)(u->regs + off) = v;
}

/* A second from now: how long any unit may take to act on a command. */
static uint64_t deadline(void)
{
	return arch_tsc() + arch_tsc_hz();
}

/*
 * Issues a global command: GCMD takes the persistent enables (TE, QIE,
 * IRE, CFI) as GSTS shows them plus cmd, since a bit written 0 turns its
 * feature off. Waits until GSTS shows the bits of want set (or, for a
 * one-shot command that the unit clears when done, cleared).
 */
static int gcmd(const struct vtd_unit *u, uint32_t cmd, uint32_t want, bool set)
{
	uint32_t keep = vtd_read32(u, DMAR_GSTS_REG) & ~DMA_GCMD_ONE_SHOT;
	vtd_write32(u, DMAR_GCMD_REG, keep | cmd);
	for (uint64_t end = deadline(); arch_tsc() < end;) {
		uint32_t sts = vtd_read32(u, DMAR_GSTS_REG);
		if (set ? (sts & want) == want : !(sts & want))
			return 0;
	}
	return -BH_EIO;
}

/* Runs d[0..n) and a wait descriptor on u's queue and waits for it. */
static int qi_run(struct vtd_unit *u, const struct vtd_entry *d, unsigned n)
{
	/* Every submission is waited for, so the queue is empty here and
	 * n + 1 descriptors always fit. */
	for (unsigned i = 0; i < n; i++) {
		u->queue[u->tail] = d[i];
		u->tail = (u->tail + 1) % DMA_IQ_ENTRIES;
	}
	u->wait_status = 0;
	u->queue[u->tail] = vtd_qi_wait((uint64_t)(uintptr_t)&u->wait_status, QI_DONE);
	u->tail = (u->tail + 1) % DMA_IQ_ENTRIES;
	vtd_sync_tables();
	vtd_write64(u, DMAR_IQT_REG, (uint64_t)u->tail << DMA_IQT_SHIFT);

	for (uint64_t end = deadline(); arch_tsc() < end;) {
		if (u->wait_status == QI_DONE)
			return 0;
		uint32_t err = vtd_read32(u, DMAR_FSTS_REG) &
		               (DMA_FSTS_IQE | DMA_FSTS_ICE | DMA_FSTS_ITE);
		if (err) {
			/* The unit stopped at the bad descriptor; skip the rest. */
			vtd_write32(u, DMAR_FSTS_REG, err);
			vtd_write64(u, DMAR_IQT_REG, vtd_read64(u, DMAR_IQH_REG));
			u->tail = (uint32_t)(vtd_read64(u, DMAR_IQH_REG) >> DMA_IQT_SHIFT) %
			          DMA_IQ_ENTRIES;
			return -BH_EIO;
		}
	}
	return -BH_EIO;
}

/* Contract in vtd.h. */
int vtd_invalidate(const struct vtd_entry *d, unsigned n)
{
	int result = 0;
	for (unsigned i = 0; i < vtd.dmar.nunits; i++) {
		struct vtd_unit *u = &vtd.units[i];
		if (u->ready && qi_run(u, d, n))
			result = -BH_EIO;
	}
	return result;
}

/* Contract in vtd.h. */
void vtd_sync_tables(void)
{
	if (!vtd.coherent)
		__asm__ volatile("wbinvd" ::: "memory");
	else
		__asm__ volatile("" ::: "memory");
}

/* Turns off what firmware may have left on, so the unit can be set up afresh. */
static int quiesce(struct vtd_unit *u)
{
	uint32_t on = vtd_read32(u, DMAR_GSTS_REG) &
	              (DMA_GCMD_TE | DMA_GCMD_QIE | DMA_GCMD_IRE | DMA_GCMD_CFI);
	if (!on)
		return 0;
	/* The queue must be idle before QIE goes off (§6.5.2). */
	for (uint64_t end = deadline(); (on & DMA_GCMD_QIE) &&
	     vtd_read64(u, DMAR_IQH_REG) != vtd_read64(u, DMAR_IQT_REG);)
		if (arch_tsc() >= end)
			return -BH_EIO;
	vtd_write32(u, DMAR_GCMD_REG, 0);
	for (uint64_t end = deadline(); vtd_read32(u, DMAR_GSTS_REG) & on;)
		if (arch_tsc() >= end)
			return -BH_EIO;
	return 0;
}

/* Contract in vtd.h. */
int vtd_unit_enable(struct vtd_unit *u, const char **why)
{
	*why = "the unit does not turn off what firmware left on";
	if (quiesce(u))
		return -BH_EIO;
	/* Faults are polled (iommu_poll_faults), never signalled. */
	vtd_write32(u, DMAR_FECTL_REG, DMA_FECTL_IM);

	vtd_sync_tables();
	if (u->caps.write_buffer_flush && gcmd(u, DMA_GCMD_WBF, DMA_GSTS_WBFS, false)) {
		*why = "the unit does not flush its write buffer";
		return -BH_EIO;
	}
	vtd_write64(u, DMAR_RTADDR_REG, vtd.root_table);   /* TTM 00: legacy mode */
	*why = "the unit does not take the root table";
	if (gcmd(u, DMA_GCMD_SRTP, DMA_GCMD_SRTP, true))
		return -BH_EIO;

	u->queue = vtd_phys(vtd_frame_alloc(NULL));
	*why = "no memory for the invalidation queue";
	if (!u->queue)
		return -BH_ENOMEM;
	u->tail = 0;
	vtd_write64(u, DMAR_IQT_REG, 0);
	vtd_write64(u, DMAR_IQA_REG, (uint64_t)(uintptr_t)u->queue | DMA_IQA_QS_4K);
	*why = "the unit does not turn on queued invalidation";
	if (gcmd(u, DMA_GCMD_QIE, DMA_GCMD_QIE, true))
		return -BH_EIO;

	/* Nothing the unit cached before the new root table may survive. */
	const struct vtd_entry flush[] = {
		vtd_qi_context_global(), vtd_qi_iotlb_global(), vtd_qi_iec_global(),
	};
	*why = "the unit fails global invalidation";
	if (qi_run(u, flush, 3))
		return -BH_EIO;

	/* xAPIC mode (EIME 0); CFI stays clear: compatibility-format
	 * interrupts, which bypass the table, are blocked. */
	vtd_write64(u, DMAR_IRTA_REG, vtd.irt | VTD_IRTA_SIZE);
	*why = "the unit does not take the interrupt remapping table";
	if (gcmd(u, DMA_GCMD_SIRTP, DMA_GCMD_SIRTP, true))
		return -BH_EIO;
	const struct vtd_entry iec = vtd_qi_iec_global();
	*why = "the unit fails interrupt entry cache invalidation";
	if (qi_run(u, &iec, 1))
		return -BH_EIO;
	*why = "the unit does not turn on interrupt remapping";
	if (gcmd(u, DMA_GCMD_IRE, DMA_GCMD_IRE, true))
		return -BH_EIO;
	*why = "the unit does not turn on DMA remapping";
	if (gcmd(u, DMA_GCMD_TE, DMA_GCMD_TE, true))
		return -BH_EIO;
	u->ready = true;
	return 0;
}
