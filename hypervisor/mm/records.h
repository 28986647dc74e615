/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The kernel's records of a VM (its VM record, vCPU state, VMCS or VMCB,
 * EPT or NPT tables) as zeroed whole pages of a frame allocator: the one
 * the VM's own memory comes from (vm->frames), so a launched VM's
 * bookkeeping is paid from the run-time pool and a boot VM's from boot
 * memory, and there is no table sized by a fixed VM count.
 */
#ifndef MM_RECORDS_H
#define MM_RECORDS_H

#include <stddef.h>

#include "mm/frame.h"

/* Pages that hold bytes. */
#define RECORD_PAGES_FOR(bytes) (((bytes) + PAGE_SIZE - 1) / PAGE_SIZE)

/* Zeroed, page-aligned memory for bytes from fa, or NULL if it has none. */
void *record_alloc(struct frame_alloc *fa, size_t bytes);

/* Returns what record_alloc(fa, bytes) gave; it is zeroed first, so
 * nothing of the record reaches the frames' next user. */
void record_free(struct frame_alloc *fa, void *p, size_t bytes);

#endif
