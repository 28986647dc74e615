/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The kernel log: one memory ring (lib/log_ring.h) that holds every line in
 * the order it was made, and the console's view of it.
 *
 * Two kinds of lines share the ring. The kernel's events (kprintf: VM
 * lifecycle and containment, refused launches, policy errors) are always
 * taken. Text a VM causes (its console lines, the lines about its refused
 * accesses; log_vm_printf) is taken only while the console is at most
 * LOG_VM_BACKLOG_MAX behind the ring's head, so the rest of the ring is
 * reserved for events: a flood of VM text can neither overwrite an event
 * before the console has it nor delay one by more than the backlog's line
 * time.
 *
 * Who shows the ring: while no VM owns the console, the kernel sends it to
 * COM1 itself, from the scheduler (log_console_poll), taking only what the
 * UART has room for; no exit handler ever waits for the line. Before the
 * scheduler starts (boot) and after log_console_sync (panic, exception,
 * power-off) lines are sent at once, waiting for the line. While the
 * control VM owns the console it reads the ring (BH_HC_LOG_READ) and shows
 * it; its reads mark how far the console has got.
 */
#ifndef KERNEL_LOG_H
#define KERNEL_LOG_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>

#include "lib/log_ring.h"

/* Bytes of recent log kept in memory. */
#define LOG_RING_SIZE (64 * 1024)

/* The most VM text may run ahead of the console: ~1.4 s of COM1's line
 * time. The other 48 KiB of the ring are the events' alone. */
#define LOG_VM_BACKLOG_MAX (16 * 1024)

/* Longer lines are cut (and end with "...") rather than split. */
#define LOG_LINE_MAX 512

/* A kernel event: always logged. */
void kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void kvprintf(const char *fmt, va_list ap);

/* Text a VM causes: logged and true if the console's backlog leaves room
 * for it, else dropped and false (the caller counts what it dropped). */
bool log_vm_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* True if a line of len bytes of VM text would be taken now. */
bool log_vm_room(uint64_t len);

/* From now on lines wait for the scheduler to send them (sched_run). */
void log_console_queue(void);

/*
 * Sends what the console's owner's output queue and the ring still hold
 * for COM1, as far as the UART has room now. Returns true if bytes remain:
 * the caller polls again within CONSOLE_POLL_NS.
 */
bool log_console_poll(void);

/*
 * Takes the console back from its owner, sends everything not yet shown,
 * waiting for the line (bounded), and makes every later line do the same:
 * for panics, exceptions and power-off, whose lines must be seen.
 */
void log_console_sync(void);

/*
 * Console ownership. While the control VM owns it, log lines go only to
 * the ring. Taking it back does not wait: the owner's queued output goes
 * out first, then the ring from where the owner last read.
 */
void log_console_give(void);
void log_console_take_back(void);

/* True while a VM owns the console. */
bool log_console_owned(void);

/* The owner has read the ring up to cursor (BH_HC_LOG_READ). */
void log_console_owner_read(uint64_t cursor);

/* The ring position (bytes since boot) where the console was last given
 * away: what follows never reached COM1 (BH_LOG_CURSOR_CONSOLE). */
uint64_t log_console_from(void);

/* The ring, for readers; its cursor semantics are in lib/log_ring.h. */
const struct log_ring *log_ring(void);

#endif
