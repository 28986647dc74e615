/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Console output of the console's owner (BH_HC_CONSOLE_WRITE by the control
 * VM). The UART sends about 11.5 bytes per millisecond at 115200 baud; a
 * write that waited for it would hold the whole machine, every VM, for
 * 87 us per byte (a 500-byte `list` for 43 ms). So the owner's bytes go to
 * a kernel queue, which the scheduler's console poll (CONSOLE_POLL_NS,
 * kernel/console_in.h) moves into the UART's 16-byte FIFO as it empties,
 * while VMs run. A writer CONSOLE_OUT_SIZE ahead of the line gets a short
 * count and comes back later; the kernel never waits for the line on a
 * VM's behalf. When the kernel takes the console back (the owner stopping,
 * a panic, an exception, shutdown), what the queue holds goes out before
 * the kernel's own lines (kernel/log.h), so nothing is lost or reordered.
 */
#ifndef KERNEL_CONSOLE_OUT_H
#define KERNEL_CONSOLE_OUT_H

#include <stdbool.h>
#include <stddef.h>

/* Bytes of output the owner may be ahead of the line: ~1.4 s at 115200. */
#define CONSOLE_OUT_SIZE 16384

/* Queues the first bytes of s that fit, "\n" as "\r\n"; returns how many
 * of the len bytes were taken (0 when the queue is full). */
size_t console_out_write(const char *s, size_t len);

/* Moves what the UART can take now from the queue into it. Returns true
 * if bytes are still queued: the UART empties its FIFO every 1.4 ms, so
 * the caller should poll again sooner than its usual interval. */
bool console_out_poll(void);

/* Waits (bounded) until the queue is empty. */
void console_out_flush(void);

#endif
