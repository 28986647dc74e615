/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Console input for the console's owner (BH_HC_CONSOLE_READ). The UART
 * holds only 16 bytes, about 1.4 ms of typing or pasting at 115200 baud,
 * while its reader (the control VM) may sleep for tens of milliseconds or
 * wait behind other VMs' slices. So the kernel drains the UART into a
 * queue of its own at least every CONSOLE_POLL_NS, on every pass of the
 * scheduler, whose slices and idle periods it shortens to that while a VM
 * owns the console. Polling rather than the UART interrupt keeps the
 * kernel free of interrupt routing (IOAPIC) for one device; its cost is
 * one exit per millisecond.
 */
#ifndef KERNEL_CONSOLE_IN_H
#define KERNEL_CONSOLE_IN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* 16 UART bytes take 1.39 ms at 115200 baud; poll well within that. */
#define CONSOLE_POLL_NS 1000000ull
/* Bytes of typed-ahead input kept: ~0.35 s of a paste at line rate. */
#define CONSOLE_IN_SIZE 4096

/* True while a VM owns the console: the scheduler polls it then. */
bool console_in_active(void);

/* Moves what the UART holds into the queue. */
void console_in_poll(void);

/* Moves up to max queued bytes to out; returns how many. Logs once how
 * many bytes were lost to a full queue since the last read, if any. */
size_t console_in_read(char *out, size_t max);

#endif
