/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The kernel log: formatted lines go to the console and into a memory ring
 * (lib/log_ring.h) that keeps the most recent part for later readers.
 */
#ifndef KERNEL_LOG_H
#define KERNEL_LOG_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>

#include "lib/log_ring.h"

/* Bytes of recent log kept in memory. */
#define LOG_RING_SIZE (64 * 1024)

/* Longer lines are cut (and end with "...") rather than split. */
#define LOG_LINE_MAX 512

void kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void kvprintf(const char *fmt, va_list ap);

/*
 * Console ownership: while a control VM owns the console, log
 * lines go only to the ring, which the control VM reads and shows. Panics
 * and exceptions take the console back first, so they are always seen.
 */
void log_console_give(void);
void log_console_take_back(void);

/* True while a VM owns the console. */
bool log_console_owned(void);

/* The ring position (bytes since boot) where the console was last given
 * away: what follows never reached COM1 (BH_LOG_CURSOR_CONSOLE). */
uint64_t log_console_from(void);

/* The ring, for readers; its cursor semantics are in lib/log_ring.h. */
const struct log_ring *log_ring(void);

#endif
