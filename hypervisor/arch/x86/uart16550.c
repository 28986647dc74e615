/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * 16550A UART at COM1 (I/O port 0x3f8), polled. Register layout: PC16550D
 * datasheet. Presence is checked through the scratch register so a machine
 * without COM1 costs nothing and never hangs in a transmit wait.
 */
#include "arch/console.h"

#include <stdbool.h>
#include <stdint.h>

#include "arch/x86/cpu.h"

#define COM1 0x3f8
enum { THR = 0, RBR = 0, DLL = 0, IER = 1, DLM = 1, FCR = 2, IIR = 2, LCR = 3, MCR = 4,
       LSR = 5, SCR = 7 };
#define IIR_FIFOS_ON   0xc0   /* bits 7:6 both set: the FIFOs work (a 16550A) */
#define LSR_DATA_READY 0x01
#define LSR_THR_EMPTY  0x20
#define LSR_TX_IDLE    0x40   /* transmitter empty: THR and shift register */
#define LCR_DLAB       0x80
#define LCR_8N1        0x03

/* A transmit wait longer than this means the UART is gone: stop waiting. */
#define TX_SPIN_LIMIT  100000

static bool present;
static unsigned tx_fifo_bytes;   /* 16 on a 16550A, 1 on an 8250/16450 */

void arch_console_init(void)
{
	outb(COM1 + SCR, 0x5a);
	if (inb(COM1 + SCR) != 0x5a) {
		present = false;
		return;
	}
	present = true;
	/* What the previous owner (firmware, the UEFI stage) wrote may still
	 * be in the transmit FIFO, longer while the far end holds the line
	 * back: let it out before the FIFOs are cleared, or it is lost. */
	arch_console_flush();
	outb(COM1 + IER, 0x00);          /* polled: no interrupts */
	outb(COM1 + LCR, LCR_DLAB);
	outb(COM1 + DLL, 1);             /* 115200 baud = 1.8432 MHz / 16 / 1 */
	outb(COM1 + DLM, 0);
	outb(COM1 + LCR, LCR_8N1);
	outb(COM1 + FCR, 0x07);          /* enable and clear FIFOs */
	tx_fifo_bytes = (inb(COM1 + IIR) & IIR_FIFOS_ON) == IIR_FIFOS_ON ? 16 : 1;
	outb(COM1 + MCR, 0x03);          /* DTR, RTS */
}

static void uart_putc(char c)
{
	for (int i = 0; i < TX_SPIN_LIMIT && !(inb(COM1 + LSR) & LSR_THR_EMPTY); i++)
		cpu_relax();
	outb(COM1 + THR, (uint8_t)c);
}

void arch_console_write(const char *s, size_t len)
{
	if (!present)
		return;
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\n')
			uart_putc('\r');
		uart_putc(s[i]);
	}
}

void arch_console_flush(void)
{
	for (int i = 0; present && i < TX_SPIN_LIMIT && !(inb(COM1 + LSR) & LSR_TX_IDLE); i++)
		cpu_relax();
}

/* THR-empty means the whole transmit FIFO is free (PC16550D datasheet,
 * LSR bit 5 in FIFO mode); without a FIFO, the one holding register. */
size_t arch_console_tx_room(void)
{
	if (!present)
		return (size_t)-1;
	return (inb(COM1 + LSR) & LSR_THR_EMPTY) ? tx_fifo_bytes : 0;
}

void arch_console_put_raw(const char *s, size_t len)
{
	for (size_t i = 0; present && i < len; i++)
		outb(COM1 + THR, (uint8_t)s[i]);
}

int arch_console_getc(void)
{
	if (!present || !(inb(COM1 + LSR) & LSR_DATA_READY))
		return -1;
	return inb(COM1 + RBR);
}
