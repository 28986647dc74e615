/* SPDX-License-Identifier: GPL-2.0-only */
/* Symbolized backtraces of the kernel's own stacks, for fault reports. */
#ifndef ARCH_X86_BACKTRACE_H
#define ARCH_X86_BACKTRACE_H

#include <stdint.h>

/*
 * Prints "  #0 0x<pc> <function>+0x<offset>" for pc, then one such line
 * per caller found by walking the frame chain from fp (arch/x86/frame_walk.h).
 * Never faults on a corrupt chain: frames outside the kernel's data (where
 * every kernel stack lives) or on the boot stack's guard page end the walk.
 */
void backtrace_print(uint64_t pc, uint64_t fp);

#endif
