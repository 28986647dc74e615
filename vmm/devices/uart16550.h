/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A 16550A UART as Linux's 8250 driver sees it at COM1 (ports 0x3f8 to
 * 0x3ff, IRQ 4): RBR/THR and the divisor latch behind DLAB, IER, IIR
 * (read) and FCR (write), LCR, MCR with loopback, LSR, MSR and SCR. The
 * driver's autoconfig probes (scratch register, FIFO bits in IIR, the
 * loopback test of MCR against MSR) see a 16550A.
 *
 * Transmission is instant: every byte written to THR goes to the tx
 * callback at once (or back into the receiver in loopback), so LSR
 * always shows THR and the transmitter empty (0x60 when idle), which is
 * what the guest polls for. Bytes from the outside arrive through
 * uart16550_receive into the 16-byte receive FIFO. The received-data
 * interrupt is raised for any byte waiting, as if the FIFO trigger level
 * were always 1, so the character-timeout interrupt (IIR 0x0c) never
 * occurs. Line settings (divisor, LCR, FCR trigger bits) are kept for
 * read-back and have no other effect.
 *
 * The model is byte-wide: the port exit handler passes one byte per
 * access and the register's offset 0..7 from the base. Pure and
 * freestanding; the caller reads uart16550_irq_level after each access
 * and each receive to drive the interrupt line.
 */
#ifndef VMM_DEVICES_UART16550_H
#define VMM_DEVICES_UART16550_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/byte_fifo.h"

/* Register offsets from the base port (PC16550D datasheet). */
#define UART_RBR 0   /* read, DLAB 0: receive buffer */
#define UART_THR 0   /* write, DLAB 0: transmit holding */
#define UART_DLL 0   /* DLAB 1: divisor latch, low byte */
#define UART_IER 1   /* DLAB 0: interrupt enable */
#define UART_DLM 1   /* DLAB 1: divisor latch, high byte */
#define UART_IIR 2   /* read: interrupt identification */
#define UART_FCR 2   /* write: FIFO control */
#define UART_LCR 3   /* line control; bit 7 is DLAB */
#define UART_MCR 4   /* modem control */
#define UART_LSR 5   /* line status */
#define UART_MSR 6   /* modem status */
#define UART_SCR 7   /* scratch */
#define UART_PORTS 8

#define UART_IER_RDI   0x01   /* received data available */
#define UART_IER_THRI  0x02   /* transmit holding register empty */
#define UART_IER_RLSI  0x04   /* receiver line status */
#define UART_IER_MSI   0x08   /* modem status */

#define UART_IIR_NO_INT 0x01
#define UART_IIR_MSI    0x00
#define UART_IIR_THRI   0x02
#define UART_IIR_RDI    0x04
#define UART_IIR_RLSI   0x06
#define UART_IIR_FIFOS  0xc0  /* both set: FIFOs enabled (a 16550A) */

#define UART_FCR_ENABLE   0x01
#define UART_FCR_CLEAR_RX 0x02
#define UART_FCR_CLEAR_TX 0x04

#define UART_LCR_DLAB  0x80

#define UART_MCR_DTR   0x01
#define UART_MCR_RTS   0x02
#define UART_MCR_OUT1  0x04
#define UART_MCR_OUT2  0x08
#define UART_MCR_LOOP  0x10

#define UART_LSR_DR    0x01   /* data ready */
#define UART_LSR_OE    0x02   /* overrun: a byte was lost */
#define UART_LSR_THRE  0x20
#define UART_LSR_TEMT  0x40

#define UART_MSR_DCTS  0x01
#define UART_MSR_DDSR  0x02
#define UART_MSR_TERI  0x04
#define UART_MSR_DDCD  0x08
#define UART_MSR_CTS   0x10
#define UART_MSR_DSR   0x20
#define UART_MSR_RI    0x40
#define UART_MSR_DCD   0x80

#define UART_FIFO_SIZE 16

struct uart16550 {
	void (*tx)(void *ctx, uint8_t byte);   /* never NULL */
	void *ctx;
	uint8_t ier, lcr, mcr, scr, fcr, dll, dlm;
	uint8_t overrun;        /* UART_LSR_OE until LSR is read */
	uint8_t msr_delta;      /* the MSR delta bits, until MSR is read */
	bool thre_pending;      /* the THR-empty interrupt, until IIR shows it */
	struct byte_fifo rx;
	uint8_t rx_buf[UART_FIFO_SIZE];
};

/* Resets u to the power-on state (FIFOs off, everything 0, divisor 12 for
 * 9600 baud); transmitted bytes go to tx(ctx, byte). */
void uart16550_init(struct uart16550 *u, void (*tx)(void *ctx, uint8_t byte), void *ctx);

/* A guest read of the register at offset (0..7). Returns 0 and *value, or
 * -BH_EINVAL for an offset outside the UART (value 0xff, as on a bus with
 * nothing there). Reading RBR, IIR, LSR and MSR has the side effects the
 * hardware has: RBR takes a byte, IIR acknowledges a THR-empty
 * interrupt, LSR clears overrun, MSR clears the delta bits. */
int uart16550_read(struct uart16550 *u, unsigned offset, uint8_t *value);

/* A guest write; 0, or -BH_EINVAL for an offset outside the UART. Writes
 * to LSR and MSR (factory test on real parts) are ignored. */
int uart16550_write(struct uart16550 *u, unsigned offset, uint8_t value);

/* A byte from the outside world. Returns false, keeping nothing, if the
 * receiver is full (16 bytes with FIFOs on, 1 without) or in loopback,
 * where the line is disconnected: the caller keeps the byte and retries
 * after the guest has read. */
bool uart16550_receive(struct uart16550 *u, uint8_t byte);

/* How many bytes uart16550_receive would take now. */
size_t uart16550_rx_room(const struct uart16550 *u);

/* The IRQ line: an enabled interrupt is pending and OUT2 is set. On a PC
 * OUT2 gates the UART's interrupt onto the bus, which is why Linux sets
 * it; in loopback the OUT2 pin is forced inactive, so no interrupt
 * leaves the chip. */
bool uart16550_irq_level(const struct uart16550 *u);

#endif
