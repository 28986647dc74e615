/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The 16550A model (contracts in uart16550.h). Register semantics are
 * the PC16550D datasheet's: interrupt priorities (line status, received
 * data, THR empty, modem status), how each interrupt is cleared, and the
 * loopback wiring of MCR to MSR (RTS to CTS, DTR to DSR, OUT1 to RI,
 * OUT2 to DCD).
 */
#include "bulkhead/errno.h"
#include "devices/uart16550.h"
#include "lib/string.h"

/* 115200 / 9600: the divisor firmware leaves for 9600 baud. */
#define DEFAULT_DIVISOR 12

void uart16550_init(struct uart16550 *u, void (*tx)(void *ctx, uint8_t byte), void *ctx)
{
	memset(u, 0, sizeof *u);
	u->tx = tx;
	u->ctx = ctx;
	u->dll = DEFAULT_DIVISOR;
	byte_fifo_init(&u->rx, u->rx_buf, sizeof u->rx_buf);
}

static size_t rx_depth(const struct uart16550 *u)
{
	return (u->fcr & UART_FCR_ENABLE) ? UART_FIFO_SIZE : 1;
}

/* The modem lines MSR shows: in loopback the MCR outputs, else a
 * connected line with carrier, DSR and CTS up. */
static uint8_t modem_lines(uint8_t mcr)
{
	if (!(mcr & UART_MCR_LOOP))
		return UART_MSR_DCD | UART_MSR_DSR | UART_MSR_CTS;
	uint8_t m = 0;
	if (mcr & UART_MCR_RTS)  m |= UART_MSR_CTS;
	if (mcr & UART_MCR_DTR)  m |= UART_MSR_DSR;
	if (mcr & UART_MCR_OUT1) m |= UART_MSR_RI;
	if (mcr & UART_MCR_OUT2) m |= UART_MSR_DCD;
	return m;
}

static void write_mcr(struct uart16550 *u, uint8_t value)
{
	uint8_t before = modem_lines(u->mcr), after = modem_lines(value & 0x1f);
	uint8_t changed = before ^ after;
	if (changed & UART_MSR_CTS) u->msr_delta |= UART_MSR_DCTS;
	if (changed & UART_MSR_DSR) u->msr_delta |= UART_MSR_DDSR;
	if (changed & UART_MSR_DCD) u->msr_delta |= UART_MSR_DDCD;
	if ((before & UART_MSR_RI) && !(after & UART_MSR_RI))   /* trailing edge */
		u->msr_delta |= UART_MSR_TERI;
	u->mcr = value & 0x1f;
}

static void write_fcr(struct uart16550 *u, uint8_t value)
{
	/* On the chip, turning the FIFOs on or off or the clear bit empties
	 * the receive FIFO (datasheet, FCR bits 0 and 1). Here what is in it
	 * was typed on the console, and Linux's 8250 driver clears the FIFO
	 * each time the port is opened or set up, which would lose keys
	 * typed meanwhile: received bytes are kept. */
	/* TX is instant: there is never anything to clear. The clear bits
	 * are self-clearing and not kept. */
	u->fcr = value & (uint8_t)~(UART_FCR_CLEAR_RX | UART_FCR_CLEAR_TX);
}

static void transmit(struct uart16550 *u, uint8_t byte)
{
	if (u->mcr & UART_MCR_LOOP) {
		if (byte_fifo_len(&u->rx) >= rx_depth(u))
			u->overrun = UART_LSR_OE;
		else
			byte_fifo_put(&u->rx, byte);
	} else {
		u->tx(u->ctx, byte);
	}
	/* Sent at once: THR is empty again, which is itself an interrupt. */
	u->thre_pending = true;
}

static void write_ier(struct uart16550 *u, uint8_t value)
{
	/* Enabling THRI while THR is empty (always, here) raises it. */
	if ((value & UART_IER_THRI) && !(u->ier & UART_IER_THRI))
		u->thre_pending = true;
	u->ier = value & 0x0f;
}

int uart16550_write(struct uart16550 *u, unsigned offset, uint8_t value)
{
	bool dlab = u->lcr & UART_LCR_DLAB;
	switch (offset) {
	case UART_THR:
		if (dlab)
			u->dll = value;
		else
			transmit(u, value);
		return 0;
	case UART_IER:
		if (dlab)
			u->dlm = value;
		else
			write_ier(u, value);
		return 0;
	case UART_FCR: write_fcr(u, value); return 0;
	case UART_LCR: u->lcr = value; return 0;
	case UART_MCR: write_mcr(u, value); return 0;
	case UART_LSR:
	case UART_MSR: return 0;
	case UART_SCR: u->scr = value; return 0;
	default:       return -BH_EINVAL;
	}
}

/* The highest-priority pending, enabled interrupt, as IIR encodes it. */
static uint8_t interrupt_id(const struct uart16550 *u)
{
	if ((u->ier & UART_IER_RLSI) && u->overrun)
		return UART_IIR_RLSI;
	if ((u->ier & UART_IER_RDI) && byte_fifo_len(&u->rx) > 0)
		return UART_IIR_RDI;
	if ((u->ier & UART_IER_THRI) && u->thre_pending)
		return UART_IIR_THRI;
	if ((u->ier & UART_IER_MSI) && u->msr_delta)
		return UART_IIR_MSI;
	return UART_IIR_NO_INT;
}

static uint8_t read_iir(struct uart16550 *u)
{
	uint8_t id = interrupt_id(u);
	if (id == UART_IIR_THRI)   /* reading IIR acknowledges THR empty */
		u->thre_pending = false;
	return id | ((u->fcr & UART_FCR_ENABLE) ? UART_IIR_FIFOS : 0);
}

static uint8_t read_rbr(struct uart16550 *u)
{
	uint8_t byte = 0;
	byte_fifo_take(&u->rx, &byte, 1);
	return byte;
}

static uint8_t read_lsr(struct uart16550 *u)
{
	uint8_t lsr = UART_LSR_THRE | UART_LSR_TEMT | u->overrun;
	if (byte_fifo_len(&u->rx) > 0)
		lsr |= UART_LSR_DR;
	u->overrun = 0;
	return lsr;
}

static uint8_t read_msr(struct uart16550 *u)
{
	uint8_t msr = modem_lines(u->mcr) | u->msr_delta;
	u->msr_delta = 0;
	return msr;
}

int uart16550_read(struct uart16550 *u, unsigned offset, uint8_t *value)
{
	bool dlab = u->lcr & UART_LCR_DLAB;
	switch (offset) {
	case UART_RBR: *value = dlab ? u->dll : read_rbr(u); return 0;
	case UART_IER: *value = dlab ? u->dlm : u->ier; return 0;
	case UART_IIR: *value = read_iir(u); return 0;
	case UART_LCR: *value = u->lcr; return 0;
	case UART_MCR: *value = u->mcr; return 0;
	case UART_LSR: *value = read_lsr(u); return 0;
	case UART_MSR: *value = read_msr(u); return 0;
	case UART_SCR: *value = u->scr; return 0;
	default:
		*value = 0xff;
		return -BH_EINVAL;
	}
}

size_t uart16550_rx_room(const struct uart16550 *u)
{
	if (u->mcr & UART_MCR_LOOP)
		return 0;
	size_t len = byte_fifo_len(&u->rx);
	return len < rx_depth(u) ? rx_depth(u) - len : 0;
}

bool uart16550_receive(struct uart16550 *u, uint8_t byte)
{
	if (uart16550_rx_room(u) == 0)
		return false;
	return byte_fifo_put(&u->rx, byte);
}

bool uart16550_irq_level(const struct uart16550 *u)
{
	if ((u->mcr & (UART_MCR_OUT2 | UART_MCR_LOOP)) != UART_MCR_OUT2)
		return false;
	return interrupt_id(u) != UART_IIR_NO_INT;
}
