/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Hypercall numbers and limits: the single definition shared by the kernel
 * and the guest runtime. Specified in docs/hypercalls.md; keep the two in
 * step.
 *
 * Calling convention (native app VMs, guest CPL 0 only):
 *   instruction  VMCALL
 *   number       RAX
 *   arguments    RDI, RSI, RDX, R10, R8, R9   (Linux syscall order)
 *   result       RAX: >= 0 success, < 0 a negated BH_E* (bulkhead/errno.h)
 *   preserved    every other register, RFLAGS and the x87/SSE state
 * Unused argument registers are ignored. Every call validates all of its
 * arguments before it changes anything: a call that fails has no effect.
 * A number that is not assigned, including the reserved ones, returns
 * -BH_ENOSYS. A call from guest CPL > 0 returns -BH_EPERM.
 */
#ifndef BULKHEAD_HYPERCALL_H
#define BULKHEAD_HYPERCALL_H

/* () -> 0. Does nothing; measures the exit path. */
#define BH_HC_NULL          0
/* (const char *buf, uint64_t len) -> len. */
#define BH_HC_CONSOLE_WRITE 1
/* () -> 0. Gives the CPU to the next runnable VM. */
#define BH_HC_YIELD         2
/* (uint64_t timeout_ns) -> pending event bits (> 0, now cleared) or
 * -BH_ETIMEDOUT. */
#define BH_HC_WAIT          3
/* () -> monotonic nanoseconds since boot. */
#define BH_HC_TIME          4
/* (int64_t status) -> does not return. */
#define BH_HC_EXIT          5
/* (char *name_buf, uint64_t len) -> this VM's id. */
#define BH_HC_SELF          6

/* Numbers 7..31 are reserved for channels and VM lifecycle calls. */
#define BH_HC_RESERVED_FIRST 7
#define BH_HC_RESERVED_LAST  31
/* One past the highest assigned number: a kernel dispatch table size. */
#define BH_HC_COUNT          7

/* Most bytes one BH_HC_CONSOLE_WRITE accepts; more is -BH_E2BIG. */
#define BH_CONSOLE_WRITE_MAX 4096u

/* BH_HC_WAIT timeouts. */
#define BH_WAIT_POLL         0ull
#define BH_WAIT_FOREVER      0xffffffffffffffffull

/* Event bits BH_HC_WAIT can return: bits 0..62, assigned by the channel
 * calls; bit 63 is never set, so a non-zero result is always positive. */
#define BH_EVENT_MASK        0x7fffffffffffffffull

#endif
