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
#include "arch/time.h"
#include "arch/x86/iommu/amdvi.h"
#include "arch/x86/iommu/amdvi_regs.h"
#include "kernel/log.h"
#include "kernel/log_limit.h"

#define FAULT_LINES_BURST 5   /* lines at once after a quiet spell, then one a second */

static struct log_limit limit;

static void report(const struct amdvi_event *e)
{
	uint64_t second = arch_tsc_hz();
	if (!log_limit_allow(&limit, arch_tsc(), second, FAULT_LINES_BURST * second))
		return;
	if (limit.suppressed) {
		kprintf("iommu: %llu faults not shown\n", (unsigned long long)limit.suppressed);
		limit.suppressed = 0;
	}
	const char *name = amdvi_event_name(e->code);
	kprintf("iommu: fault: %02x:%02x.%u %s 0x%llx: event 0x%x%s%s flags 0x%03x%s\n",
	        e->devid >> 8, (e->devid >> 3) & 0x1f, e->devid & 7,
	        e->write ? "write" : "read", (unsigned long long)e->address, e->code,
	        name ? " " : "", name ? name : "", e->flags, e->interrupt ? " (interrupt)" : "");
}

static void poll_unit(const struct amdvi_unit *u)
{
	uint64_t tail = amdvi_read64(u, AMDVI_EVENT_LOG_TAIL) & AMDVI_RING_PTR_MASK;
	uint64_t head = amdvi_read64(u, AMDVI_EVENT_LOG_HEAD) & AMDVI_RING_PTR_MASK;
	if (head != tail) {
		while (head != tail) {
			struct amdvi_cmd raw = u->event_log[head / sizeof(struct amdvi_cmd)];
			struct amdvi_event e = amdvi_event_decode(raw);
			report(&e);
			head = (head + sizeof(struct amdvi_cmd)) %
			       (AMDVI_RING_ENTRIES * sizeof(struct amdvi_cmd));
		}
		amdvi_write64(u, AMDVI_EVENT_LOG_HEAD, head);
	}
	if (amdvi_read64(u, AMDVI_STATUS) & AMDVI_STATUS_EVENT_OVERFLOW) {
		amdvi_write64(u, AMDVI_STATUS, AMDVI_STATUS_EVENT_OVERFLOW);
		kprintf("iommu: AMD-Vi at 0x%llx: event log overflowed; some faults not shown\n",
		        (unsigned long long)u->base);
	}
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
