/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * One AMD-Vi unit's registers: the command buffer and its completion
 * waits, the event log, and the enable sequence (AMD IOMMU specification
 * §3.4 for the registers, §2.4 for commands, §2.5 for the event log).
 */
#include <stddef.h>

#include <bulkhead/errno.h>

#include "arch/time.h"
#include "arch/x86/iommu/amdvi.h"
#include "arch/x86/iommu/amdvi_regs.h"

uint64_t amdvi_read64(const struct amdvi_unit *u, uint32_t off)
{
	return *(volatile uint64_t *)(u->regs + off);
}

void amdvi_write64(const struct amdvi_unit *u, uint32_t off, uint64_t v)
{
	*(volatile uint64_t *)(u->regs + off) = v;
}

/* Runs c[0..n) and a COMPLETION_WAIT on u and waits for its store. */
static int run_unit(struct amdvi_unit *u, const struct amdvi_cmd *c, unsigned n)
{
	/* Every submission is waited for, so the buffer is empty here and
	 * n + 1 commands always fit. */
	for (unsigned i = 0; i < n; i++) {
		u->cmd_buf[u->cmd_tail] = c[i];
		u->cmd_tail = (u->cmd_tail + 1) % AMDVI_RING_ENTRIES;
	}
	uint64_t seq = ++u->wait_seq;
	u->cmd_buf[u->cmd_tail] = amdvi_cmd_completion_wait((uint64_t)(uintptr_t)&u->wait_store, seq);
	u->cmd_tail = (u->cmd_tail + 1) % AMDVI_RING_ENTRIES;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	amdvi_write64(u, AMDVI_CMD_BUF_TAIL, (uint64_t)u->cmd_tail * sizeof(struct amdvi_cmd));
	for (uint64_t end = arch_tsc() + arch_tsc_hz(); arch_tsc() < end;)
		if (u->wait_store == seq)
			return 0;
	return -BH_EIO;
}

/* Contract in amdvi.h. */
int amdvi_run(const struct amdvi_cmd *c, unsigned n)
{
	int err = 0;
	for (unsigned i = 0; i < amdvi.ivrs.nunits; i++) {
		struct amdvi_unit *u = &amdvi.units[i];
		if (u->ready && run_unit(u, c, n))
			err = -BH_EIO;
	}
	return err;
}

/* Contract in amdvi.h. */
int amdvi_unit_enable(struct amdvi_unit *u, const char **why)
{
	/* Firmware may have left it on: off first, so the bases take. */
	amdvi_write64(u, AMDVI_CONTROL, 0);
	u->cmd_buf = amdvi_phys(amdvi_frame_alloc(NULL));
	u->event_log = amdvi_phys(amdvi_frame_alloc(NULL));
	if (!u->cmd_buf || !u->event_log) {
		*why = "no memory for its command buffer and event log";
		return -BH_ENOMEM;
	}
	amdvi_write64(u, AMDVI_DEV_TABLE_BASE,
	              (uint64_t)(uintptr_t)amdvi.dev_table | (AMDVI_DEV_TABLE_PAGES - 1));
	amdvi_write64(u, AMDVI_CMD_BUF_BASE, (uint64_t)(uintptr_t)u->cmd_buf |
	              (uint64_t)AMDVI_RING_LEN_LOG2 << AMDVI_LEN_SHIFT);
	amdvi_write64(u, AMDVI_EVENT_LOG_BASE, (uint64_t)(uintptr_t)u->event_log |
	              (uint64_t)AMDVI_RING_LEN_LOG2 << AMDVI_LEN_SHIFT);
	amdvi_write64(u, AMDVI_CMD_BUF_HEAD, 0);
	amdvi_write64(u, AMDVI_CMD_BUF_TAIL, 0);
	amdvi_write64(u, AMDVI_EVENT_LOG_HEAD, 0);
	amdvi_write64(u, AMDVI_EVENT_LOG_TAIL, 0);
	amdvi_write64(u, AMDVI_STATUS, AMDVI_STATUS_EVENT_OVERFLOW | AMDVI_STATUS_EVENT_LOG_INT |
	              AMDVI_STATUS_COM_WAIT_INT);
	u->cmd_tail = 0;
	u->event_next = 0;
	/* The event and completion interrupts stay off: faults are polled. */
	amdvi_write64(u, AMDVI_CONTROL, AMDVI_CTRL_IOMMU_EN | AMDVI_CTRL_CMD_BUF_EN |
	              AMDVI_CTRL_EVENT_LOG_EN);
	u->ready = true;
	/* Whatever the unit cached before it was pointed at this table goes. */
	int err;
	if (u->efr & AMDVI_EFR_IA) {
		const struct amdvi_cmd all = amdvi_cmd_inv_all();
		err = run_unit(u, &all, 1);
	} else {
		err = run_unit(u, NULL, 0);
	}
	if (err) {
		u->ready = false;
		amdvi_write64(u, AMDVI_CONTROL, 0);
		*why = "its command buffer did not run";
	}
	return err;
}
