/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Stand-ins for what kernel/monitor.c calls outside itself (the back end's
 * register access and reset, vm_stop, hypercall_wait), for its host test:
 * each records its calls in `fake` and does the least its contract needs.
 */
#ifndef TESTS_MONITOR_FAKES_H
#define TESTS_MONITOR_FAKES_H

#include <stdint.h>

#include <bulkhead/monitor.h>

#include "kernel/vm.h"

struct monitor_fakes {
	struct bh_monitor_regs cpu;   /* the guest's registers, as the back end holds them */
	unsigned get_regs, set_regs, resets, stops, waits;
	struct vm *regs_vm, *reset_vm, *stopped;   /* the last VM each was called for */
	const struct bh_monitor_regs *set_from;   /* what arch_linux_set_regs read */
	uint64_t wait_timeout;                    /* hypercall_wait's timeout_ns */
	char stop_why[64];                        /* vm_stop's first reason */
};

extern struct monitor_fakes fake;

/* Forgets every call; the registers become the reset state's. */
void fake_forget(void);

#endif
