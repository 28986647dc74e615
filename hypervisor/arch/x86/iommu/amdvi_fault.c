/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * AMD-Vi fault reporting (contract in arch/iommu.h, reached through
 * iommu_ops.h): each unit writes an entry to its event log for every
 * blocked DMA or interrupt and moves the tail pointer; the timer tick
 * compares head and tail, logs the new entries and moves the head (AMD
 * IOMMU specification §2.5, §3.4.12). The event interrupt stays off: a
 * device that faults without end costs one register read per tick and a
 * rate-limited log line; when the log fills, the unit stops logging and
 * sets EventOverflow, which is reported and cleared here.
 */
#include "arch/x86/iommu/amdvi.h"
#include "arch/x86/iommu/iommu_ops.h"
#include "arch/x86/iommu/amdvi_regs.h"
#include "kernel/log.h"

static void report(const struct amdvi_event *e)
{
	if (!iommu_fault_line_allowed())
		return;
	const char *name = amdvi_event_name(e->code);
	kprintf("iommu: fault: %02x:%02x.%u %s 0x%llx: event 0x%x%s%s flags 0x%03x%s\n",
	        e->devid >> 8, (e->devid >> 3) & 0x1f, e->devid & 7,
	        e->write ? "write" : "read", (unsigned long long)e->address, e->code,
	        name ? " " : "", name ? name : "", e->flags, e->interrupt ? " (interrupt)" : "");
}

#define LOG_BYTES (AMDVI_RING_ENTRIES * sizeof(struct amdvi_cmd))

/*
 * Empties the log and starts it again at offset 0: what the specification
 * asks after an overflow (logging off, pointers reset, EventOverflow
 * cleared, logging on).
 */
static void restart_log(struct amdvi_unit *u)
{
	uint64_t ctrl = amdvi_read64(u, AMDVI_CONTROL);
	amdvi_write64(u, AMDVI_CONTROL, ctrl & ~AMDVI_CTRL_EVENT_LOG_EN);
	amdvi_write64(u, AMDVI_EVENT_LOG_HEAD, 0);
	amdvi_write64(u, AMDVI_EVENT_LOG_TAIL, 0);
	amdvi_write64(u, AMDVI_STATUS, AMDVI_STATUS_EVENT_OVERFLOW | AMDVI_STATUS_EVENT_LOG_INT);
	for (unsigned i = 0; i < AMDVI_RING_ENTRIES; i++)
		u->event_log[i] = (struct amdvi_cmd){ 0, 0 };
	u->event_next = 0;
	amdvi_write64(u, AMDVI_CONTROL, ctrl);
}

/*
 * Entries from the head to the unit's tail are new. Every entry the
 * kernel read is zeroed, and a non-zero entry at the head counts as new
 * too (no event is all zeros: codes start at 1): QEMU's emulated unit
 * (7.2) writes entries without moving its tail register. Such a unit's
 * log is restarted once read, so it never fills.
 */
static void poll_unit(struct amdvi_unit *u)
{
	uint64_t tail = amdvi_read64(u, AMDVI_EVENT_LOG_TAIL) & AMDVI_RING_PTR_MASK;
	bool lagging = false;
	for (unsigned n = 0; n < AMDVI_RING_ENTRIES; n++) {
		struct amdvi_cmd *slot = &u->event_log[u->event_next / sizeof(struct amdvi_cmd)];
		bool listed = u->event_next != tail;
		if (!listed && !slot->lo && !slot->hi)
			break;
		lagging |= !listed;
		struct amdvi_event e = amdvi_event_decode(*slot);
		*slot = (struct amdvi_cmd){ 0, 0 };
		report(&e);
		u->event_next = (u->event_next + sizeof(struct amdvi_cmd)) % LOG_BYTES;
		amdvi_write64(u, AMDVI_EVENT_LOG_HEAD, u->event_next);
	}
	bool overflow = amdvi_read64(u, AMDVI_STATUS) & AMDVI_STATUS_EVENT_OVERFLOW;
	if (overflow)
		kprintf("iommu: AMD-Vi at 0x%llx: event log overflowed; some faults not shown\n",
		        (unsigned long long)u->base);
	if (overflow || lagging)
		restart_log(u);
}

/* Contract in iommu_ops.h. */
void amdvi_poll_faults(void)
{
	if (!amdvi.active)
		return;
	for (unsigned i = 0; i < amdvi.ivrs.nunits; i++)
		if (amdvi.units[i].ready)
			poll_unit(&amdvi.units[i]);
}
