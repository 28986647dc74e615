/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Hypercall dispatch (docs/hypercalls.md, include/bulkhead/hypercall.h).
 * Generic: the arch exit handler decodes the registers into a struct
 * hypercall and writes the result back. Every handler validates all of its
 * arguments before it changes anything, so a failing call changes nothing.
 */
#ifndef KERNEL_HYPERCALL_H
#define KERNEL_HYPERCALL_H

#include <stdint.h>

#include "kernel/vm.h"

struct hypercall {
	uint64_t nr;
	uint64_t arg[6];   /* RDI, RSI, RDX, R10, R8, R9 */
};

/* What the caller does after the hypercall returned. */
enum hc_next {
	HC_RESUME,   /* write the result, resume the guest */
	HC_YIELD,    /* write the result, let the next VM run */
	HC_WAIT,     /* the VM now waits; its result is set when it wakes */
	HC_STOP,     /* the VM was stopped */
};

/* BH_HC_WAIT (timeout_ns) for vm: its pending events, -BH_ETIMEDOUT, or
 * 0 with *next = HC_WAIT (the VM waits; its result is set when it wakes).
 * Also the waiting half of BH_HC_MONITOR_RUN (kernel/monitor.h). */
int64_t hypercall_wait(struct vm *vm, uint64_t timeout_ns, enum hc_next *next);

int64_t hypercall_dispatch(struct vm *vm, const struct hypercall *hc, enum hc_next *next);

#endif
