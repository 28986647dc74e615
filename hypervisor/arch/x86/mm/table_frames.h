/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Where a VM's second-level tables (EPT or NPT) get their frames: the
 * kernel's frame allocator, zeroed, reached through the identity map
 * (private to arch/x86; both back ends build their tables with it).
 */
#ifndef ARCH_X86_MM_TABLE_FRAMES_H
#define ARCH_X86_MM_TABLE_FRAMES_H

#include "arch/x86/mm/ept.h"

extern const struct ept_env table_frames_env;

#endif
