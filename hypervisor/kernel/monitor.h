/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The kernel's side of the exit protocol between a Linux guest and its
 * monitor (bulkhead/monitor.h, docs/monitor.md): forwarding an exit,
 * taking the monitor's answer, and the interrupts and timer deadline the
 * monitor posts in the exit page. Generic: the CPU back ends call these
 * from their Linux exit handlers and before each entry, and read and write
 * the guest's registers through arch/virt.h.
 *
 * The exit page is shared with the monitor, which may write it at any
 * time it runs: every field is read once into kernel memory and checked
 * before use, and what the monitor can cause is limited to what its guest
 * could do itself.
 */
#ifndef KERNEL_MONITOR_H
#define KERNEL_MONITOR_H

#include <stdbool.h>
#include <stdint.h>

#include <bulkhead/monitor.h>

#include "kernel/hypercall.h"
#include "kernel/vm.h"

/*
 * Forwards the guest's exit e (reason and its fields; the registers are
 * read here) to its monitor: the guest waits, not runnable, until the
 * monitor answers, and the monitor is woken with BH_EVENT_MONITOR_EXIT.
 * Returns RUN_WAIT.
 */
int monitor_forward(struct vm *guest, const struct bh_monitor_exit *e);

/* Posts the timer vector if the guest's timer deadline has passed at TSC
 * value now, re-arming a periodic timer. */
void monitor_timer_tick(struct vm *guest, uint64_t now);

/* The guest's timer deadline (TSC value), 0 if none is armed. */
uint64_t monitor_timer_deadline(const struct vm *guest);

/* The highest vector (32-255) the monitor posted and the guest has not
 * taken yet, or -1. */
int monitor_pending_vector(const struct vm *guest);

/* Posts vector v (32-255) of a device granted to the guest, from its
 * interrupt: pending for injection and marked kernel-posted so the
 * monitor's local APIC accounts for it; wakes the guest if it halted.
 * True if the guest has work now. */
bool monitor_post_device_vector(struct vm *guest, unsigned v);

/* The guest took vector v: it is no longer pending. */
void monitor_vector_delivered(struct vm *guest, unsigned v);

/*
 * HLT by the guest, whose RFLAGS.IF is interruptible: with a vector
 * pending the guest goes on (-1, the back ends' EXIT_RESUME), else it
 * waits until the monitor posts one or its timer deadline passes
 * (RUN_WAIT).
 */
int monitor_guest_hlt(struct vm *guest, bool interruptible);

/*
 * BH_HC_MONITOR_RUN (timeout_ns): applies the monitor's answer to the
 * exit its guest waits on, if there is one, wakes the guest if it halted
 * and a vector is now pending, then waits like BH_HC_WAIT. Only a
 * monitor may call it (-BH_EPERM otherwise).
 */
int64_t monitor_run(struct vm *vm, const uint64_t *arg, enum hc_next *next);

#endif
