/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The 16550A model, driven through the sequences Linux's 8250 driver uses
 * (autoconfig's scratch, IER, loopback and FIFO probes; the THRE test at
 * startup; interrupt-driven transmit and receive), with register values
 * written as the datasheet's numbers rather than the model's names,
 * and random accesses with the invariants checked after each.
 */
#include "check.h"
#include "test_rng.h"

#include "bulkhead/errno.h"
#include "devices/uart16550.h"

static struct uart16550 u;
static uint8_t sent[256];
static unsigned nsent;

static void tx(void *ctx, uint8_t byte)
{
	CHECK(ctx == &nsent);
	CHECK(nsent < sizeof sent);
	sent[nsent++] = byte;
}

static void setup(void)
{
	nsent = 0;
	uart16550_init(&u, tx, &nsent);
}

static uint8_t in(unsigned offset)
{
	uint8_t v = 0x5a;
	CHECK_EQ(uart16550_read(&u, offset, &v), 0);
	return v;
}

static void out(unsigned offset, uint8_t v)
{
	CHECK_EQ(uart16550_write(&u, offset, v), 0);
}

TEST(power_on_state_reads_as_an_idle_line)
{
	setup();
	CHECK_EQ(in(5), 0x60);           /* LSR: THR and transmitter empty */
	CHECK_EQ(in(2), 0x01);           /* IIR: nothing pending, no FIFOs */
	CHECK_EQ(in(6), 0xb0);           /* MSR: DCD, DSR, CTS */
	CHECK_EQ(in(1), 0);
	CHECK(!uart16550_irq_level(&u));
}

TEST(linux_autoconfig_probes_find_a_16550a)
{
	setup();
	/* scratch register */
	out(7, 0xa5);
	CHECK_EQ(in(7), 0xa5);
	out(7, 0x5a);
	CHECK_EQ(in(7), 0x5a);
	/* IER: the low four bits stick, the rest read 0 */
	out(1, 0);
	CHECK_EQ(in(1), 0);
	out(1, 0xff);
	CHECK_EQ(in(1), 0x0f);
	out(1, 0);
	/* loopback: MCR LOOP | OUT2 | RTS shows as MSR DCD | CTS */
	out(4, 0x10 | 0x0a);
	CHECK_EQ(in(6) & 0xf0, 0x90);
	out(4, 0);
	/* FIFO: FCR 0xe7 shows both FIFO bits in IIR */
	out(2, 0xe7);
	CHECK_EQ(in(2) & 0xc0, 0xc0);
	/* divisor latch behind DLAB */
	out(3, 0x80);
	out(0, 0x01);
	out(1, 0x00);
	CHECK_EQ(in(0), 0x01);
	CHECK_EQ(in(1), 0x00);
	out(3, 0x03);                    /* 8N1, DLAB off */
	CHECK_EQ(in(3), 0x03);
	CHECK_EQ(in(1), 0);              /* IER again, not DLM */
	CHECK_EQ(nsent, 0);              /* nothing left the UART */
}

TEST(transmit_goes_to_the_callback_with_thr_empty_interrupts)
{
	setup();
	out(3, 0x03);
	out(2, 0x07);
	out(4, 0x0b);                    /* DTR, RTS, OUT2 */
	/* serial8250_startup's THRE test: enabling THRI raises it at once */
	out(1, 0x02);
	CHECK(uart16550_irq_level(&u));
	CHECK_EQ(in(2), 0xc2);
	CHECK_EQ(in(2), 0xc1);           /* reading IIR acknowledged it */
	CHECK(!uart16550_irq_level(&u));
	out(1, 0);
	out(1, 0x02);
	CHECK_EQ(in(2), 0xc2);
	for (const char *c = "hi\n"; *c; c++) {
		CHECK_EQ(in(5) & 0x20, 0x20);
		out(0, (uint8_t)*c);
		CHECK(uart16550_irq_level(&u));   /* THR empty again */
	}
	CHECK_EQ(nsent, 3);
	CHECK(memcmp(sent, "hi\n", 3) == 0);
	out(1, 0);
	CHECK(!uart16550_irq_level(&u));
}

TEST(received_bytes_fill_the_fifo_and_interrupt)
{
	setup();
	CHECK_EQ(uart16550_rx_room(&u), 1);   /* FIFOs off: one holding register */
	CHECK(uart16550_receive(&u, 'a'));
	CHECK(!uart16550_receive(&u, 'b'));
	CHECK_EQ(in(5), 0x61);
	CHECK_EQ(in(0), 'a');
	CHECK_EQ(in(5), 0x60);

	out(2, 0x01);
	out(4, 0x08);
	out(1, 0x03);                    /* RDI and THRI */
	CHECK_EQ(in(2), 0xc2);
	for (unsigned i = 0; i < UART_FIFO_SIZE; i++)
		CHECK(uart16550_receive(&u, (uint8_t)('A' + i)));
	CHECK(!uart16550_receive(&u, '!'));
	CHECK_EQ(uart16550_rx_room(&u), 0);
	CHECK(uart16550_irq_level(&u));
	out(0, 'x');                     /* THRI pending too, but RDI ranks higher */
	CHECK_EQ(in(2), 0xc4);
	for (unsigned i = 0; i < UART_FIFO_SIZE; i++)
		CHECK_EQ(in(0), 'A' + i);
	CHECK_EQ(in(2), 0xc2);
	CHECK_EQ(in(2), 0xc1);
	CHECK(!uart16550_irq_level(&u));
	CHECK_EQ(in(0), 0);              /* empty: reads 0 */
	/* Typed bytes survive a FIFO clear and the FIFOs going off: Linux
	 * clears them whenever the port is opened (uart16550.c). */
	CHECK(uart16550_receive(&u, 'z'));
	out(2, 0x03);                    /* clear RX */
	CHECK_EQ(in(5) & 1, 1);
	CHECK_EQ(in(0), 'z');
	CHECK(uart16550_receive(&u, 'y'));
	out(2, 0x00);                    /* FIFOs off */
	CHECK_EQ(in(5) & 1, 1);
	CHECK_EQ(in(0), 'y');
	CHECK_EQ(in(5) & 1, 0);
}

TEST(loopback_returns_transmitted_bytes_and_reports_overrun)
{
	setup();
	out(4, 0x10 | 0x08);             /* LOOP, OUT2 */
	out(1, 0x05);                    /* RDI, RLSI */
	out(0, 'q');
	CHECK_EQ(nsent, 0);
	CHECK_EQ(in(2), 0x04);
	CHECK(!uart16550_irq_level(&u)); /* loopback: the line stays low */
	CHECK(!uart16550_receive(&u, 'r'));
	CHECK_EQ(uart16550_rx_room(&u), 0);
	out(0, 'w');                     /* one holding register: overrun */
	CHECK_EQ(in(2), 0x06);
	CHECK_EQ(in(5), 0x63);           /* DR, OE, THRE, TEMT */
	CHECK_EQ(in(5), 0x61);           /* OE cleared by the read */
	CHECK_EQ(in(0), 'q');
	out(4, 0x08);
	CHECK_EQ(uart16550_rx_room(&u), 1);
}

TEST(modem_status_changes_are_latched_until_read)
{
	setup();
	out(1, 0x08);                    /* MSI */
	out(4, 0x08);
	CHECK_EQ(in(2), 0x01);
	out(4, 0x10);                    /* loopback, all outputs off: lines drop */
	CHECK_EQ(in(2), 0x00);
	CHECK_EQ(in(6), 0x0b);           /* DCTS, DDSR, DDCD; no lines */
	CHECK_EQ(in(6), 0x00);
	out(4, 0x10 | 0x04);             /* OUT1 -> RI */
	CHECK_EQ(in(6), 0x40);
	out(4, 0x10);                    /* RI falls: trailing edge */
	CHECK_EQ(in(6), 0x04);
}

TEST(offsets_past_the_uart_are_refused)
{
	setup();
	uint8_t v = 0;
	CHECK_EQ(uart16550_read(&u, 8, &v), -BH_EINVAL);
	CHECK_EQ(v, 0xff);
	CHECK_EQ(uart16550_write(&u, 8, 1), -BH_EINVAL);
	CHECK_EQ(uart16550_write(&u, 0xffffffff, 1), -BH_EINVAL);
	out(5, 0);                       /* LSR and MSR writes are ignored */
	out(6, 0);
	CHECK_EQ(in(5), 0x60);
	CHECK_EQ(in(6), 0xb0);
}

static uint64_t rng = 0x9e3779b97f4a7c15ull;
static uint32_t rnd(void) { return test_rng_next(&rng); }

TEST(random_accesses_keep_the_uart_consistent)
{
	setup();
	unsigned rx_taken = 0, irqs = 0;
	for (unsigned i = 0; i < 200000; i++) {
		unsigned offset = rnd() % 10;   /* 8 and 9 lie past the UART */
		uint8_t value = (uint8_t)rnd();
		switch (rnd() % 3) {
		case 0: {
			uint8_t v;
			int r = uart16550_read(&u, offset, &v);
			CHECK(offset < 8 ? r == 0 : (r == -BH_EINVAL && v == 0xff));
			if (offset == 2)
				CHECK((v & 0x0f) == 0x01 || (v & 0x0f) == 0x00 || (v & 0x0f) == 0x02 ||
				      (v & 0x0f) == 0x04 || (v & 0x0f) == 0x06);
			if (offset == 5)
				CHECK_EQ(v & 0x60, 0x60);
			break;
		}
		case 1:
			CHECK_EQ(uart16550_write(&u, offset, value), offset < 8 ? 0 : -BH_EINVAL);
			break;
		default:
			if (uart16550_receive(&u, value))
				rx_taken++;
		}
		/* Bytes taken stay through FIFO clears: never more than 16. */
		CHECK(byte_fifo_len(&u.rx) <= UART_FIFO_SIZE);
		CHECK_EQ(u.ier & 0xf0, 0);
		CHECK_EQ(u.mcr & 0xe0, 0);
		if (uart16550_irq_level(&u)) {
			CHECK_EQ(u.mcr & (UART_MCR_OUT2 | UART_MCR_LOOP), UART_MCR_OUT2);
			irqs++;
		}
		if (nsent == sizeof sent)
			nsent = 0;
	}
	CHECK(rx_taken > 1000);
	CHECK(irqs > 1000);
	CHECK(nsent > 0);
}
