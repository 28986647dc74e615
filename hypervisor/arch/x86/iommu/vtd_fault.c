/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Primary fault reporting (contract in arch/iommu.h): the units record
 * each blocked DMA or interrupt in their fault recording registers and
 * set FSTS.PPF; the timer tick polls FSTS and logs and clears the records
 * (Intel VT-d specification §7.2.1, §11.4.9.1, §11.4.14). The fault
 * interrupt stays masked: a device that faults without end costs the
 * kernel one register read per tick and a rate-limited log line.
 */
#include "arch/x86/iommu/iommu_ops.h"

#include "arch/x86/iommu/vtd.h"
#include "arch/x86/iommu/vtd_regs.h"
#include "kernel/log.h"

static void report(const struct vtd_fault *f)
{
	if (!iommu_fault_line_allowed())
		return;
	const char *why = vtd_fault_reason(f->reason);
	kprintf("iommu: fault: %02x:%02x.%u %s 0x%llx: reason 0x%02x%s%s\n",
	        f->sid >> 8, (f->sid >> 3) & 0x1f, f->sid & 7, f->write ? "write" : "read",
	        (unsigned long long)f->address, f->reason, why ? " " : "", why ? why : "");
}

static void poll_unit(const struct vtd_unit *u)
{
	uint32_t fsts = vtd_read32(u, DMAR_FSTS_REG);
	if (!(fsts & (DMA_FSTS_PPF | DMA_FSTS_PFO)))
		return;
	for (uint32_t i = 0; i < u->caps.fault_count; i++) {
		uint32_t rec = u->caps.fault_offset + 16 * i;
		uint64_t hi = vtd_read64(u, rec + 8);
		if (!(hi & VTD_FAULT_F))
			continue;
		struct vtd_fault f = vtd_fault_decode(vtd_read64(u, rec), hi);
		/* F is write-1-to-clear, in the record's top dword. */
		vtd_write32(u, rec + 12, (uint32_t)(VTD_FAULT_F >> 32));
		report(&f);
	}
	if (fsts & DMA_FSTS_PFO) {
		vtd_write32(u, DMAR_FSTS_REG, DMA_FSTS_PFO);
		kprintf("iommu: VT-d at 0x%llx: fault records overflowed; some faults not shown\n",
		        (unsigned long long)u->base);
	}
}

/* Contract in arch/iommu.h. */
void vtd_poll_faults(void)
{
	if (!vtd.active)
		return;
	for (unsigned i = 0; i < vtd.dmar.nunits; i++)
		poll_unit(&vtd.units[i]);
}
