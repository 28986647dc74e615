/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The kernel's console device, implemented per architecture (x86: the 16550
 * UART at COM1, arch/x86/uart16550.c). Polled, never interrupt-driven, so it
 * works in exception handlers and before anything else is set up. The
 * waiting writes are for the kernel's own log; the console's owner VM
 * writes through a queue (kernel/console_out.h) that uses the non-waiting
 * pair below.
 */
#ifndef ARCH_CONSOLE_H
#define ARCH_CONSOLE_H

#include <stddef.h>

/* Programs the device (115200 8N1) if present; safe to call twice. */
void arch_console_init(void);

/* Writes len bytes, turning "\n" into "\r\n". Drops them if there is no device. */
void arch_console_write(const char *s, size_t len);

/* Waits (bounded) until every written byte has left the device. */
void arch_console_flush(void);

/* Returns the next received byte, or -1 if none is waiting. */
int arch_console_getc(void);

/*
 * How many bytes arch_console_put_raw() can take now without waiting: the
 * transmitter's free room (0 while it is busy). With no device, a large
 * number: what is written then is dropped at once.
 */
size_t arch_console_tx_room(void);

/* Writes len <= arch_console_tx_room() bytes as they are (no "\n" to
 * "\r\n"), without waiting. */
void arch_console_put_raw(const char *s, size_t len);

#endif
