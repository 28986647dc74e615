/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The control calls (include/bulkhead/hypercall.h, BH_HC_VM_LAUNCH ..
 * BH_HC_SHUTDOWN, docs/cli.md): what the control VM's CLI is built on.
 * Every launch is checked against the compiled policy's launch rule, its
 * quotas, the run-time pool and the CPU (kernel/launch_check.h) before
 * anything is allocated.
 */
#ifndef KERNEL_CONTROL_H
#define KERNEL_CONTROL_H

#include <stdint.h>

#include <bulkhead/bootinfo.h>

#include "kernel/hypercall.h"
#include "kernel/vm.h"

/* Keeps the boot info (the image list, launched VMs' images) and the
 * policy for the calls below; called once at boot, after the run-time
 * pool is reserved (mm/pool.h). */
void control_init(const struct bh_boot_info *bi, const void *policy);

int64_t control_launch(struct vm *vm, const uint64_t *arg, enum hc_next *next);
int64_t control_stop(struct vm *vm, const uint64_t *arg, enum hc_next *next);
int64_t control_list(struct vm *vm, const uint64_t *arg, enum hc_next *next);
int64_t control_log_read(struct vm *vm, const uint64_t *arg, enum hc_next *next);
int64_t control_stats(struct vm *vm, const uint64_t *arg, enum hc_next *next);
int64_t control_console_read(struct vm *vm, const uint64_t *arg, enum hc_next *next);
int64_t control_images(struct vm *vm, const uint64_t *arg, enum hc_next *next);
int64_t control_channels(struct vm *vm, const uint64_t *arg, enum hc_next *next);
int64_t control_shutdown(struct vm *vm, const uint64_t *arg, enum hc_next *next);

#endif
