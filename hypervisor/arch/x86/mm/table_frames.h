/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Where a VM's second-level tables (EPT or NPT) get their frames: the
 * frame allocator its memory comes from (vm->frames: the run-time pool
 * for a launched VM), zeroed, reached through the identity map (private
 * to arch/x86; both back ends build their tables with it).
 */
#ifndef ARCH_X86_MM_TABLE_FRAMES_H
#define ARCH_X86_MM_TABLE_FRAMES_H

#include "arch/x86/mm/ept.h"

#include "mm/frame.h"

/* The environment whose tables come from frames (ept_init copies it). */
struct ept_env table_frames_env(struct frame_alloc *frames);

#endif
