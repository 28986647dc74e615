/* SPDX-License-Identifier: GPL-2.0-only */
/* The port dispatch: the UART and RTC behind their ports, sinks, the ACPI
 * power registers and i8042 reset, unknown ports counted and reported
 * once each, up to the limit. */
#include "check.h"

#include "devices/ports.h"

static struct uart16550 uart;
static struct rtc rtc;
static struct ports p;
static char sent[64];
static unsigned nsent;
static char lines[40][100];
static unsigned nlines;

static void tx(void *ctx, uint8_t b)
{
	(void)ctx;
	CHECK(nsent < sizeof sent);
	sent[nsent++] = (char)b;
}

static void report(void *ctx, const char *line)
{
	CHECK(ctx == &nlines);
	CHECK(nlines < 40);
	snprintf(lines[nlines++], sizeof lines[0], "%s", line);
}

static void setup(void)
{
	nsent = nlines = 0;
	uart16550_init(&uart, tx, NULL);
	rtc_init(&rtc);
	ports_init(&p, &uart, &rtc, report, &nlines);
}

TEST(uart_and_rtc_answer_their_ports)
{
	setup();
	ports_out(&p, 0x3f8, 1, 'h');
	ports_out(&p, 0x3f8, 1, 'i');
	CHECK_EQ(nsent, 2);
	CHECK(memcmp(sent, "hi", 2) == 0);
	CHECK_EQ(ports_in(&p, 0x3fd, 1, 0), 0x60);              /* LSR */
	ports_out(&p, 0x3ff, 1, 0x5a);                          /* scratch */
	CHECK_EQ(ports_in(&p, 0x3ff, 1, 0), 0x5a);
	/* A 16-bit read of LSR and MSR: two byte accesses. */
	CHECK_EQ(ports_in(&p, 0x3fd, 2, 0), 0xb060);
	ports_out(&p, 0x70, 1, RTC_REG_D);
	CHECK_EQ(ports_in(&p, 0x71, 1, 0), 0x80);
	CHECK_EQ(p.unknown_accesses, 0);
}

TEST(sinks_read_all_ones_silently)
{
	setup();
	static const uint16_t sinks[] = { 0x40, 0x41, 0x43, 0x61, 0x80, 0x87, 0x2e, 0x2f, 0x4e, 0x4f,
	                                  0xcf8, 0xcfc, 0xcff, 0x2f8, 0x2ff, 0x3e8, 0x2e8, 0x60, 0x64 };
	for (unsigned i = 0; i < sizeof sinks / sizeof sinks[0]; i++) {
		CHECK(ports_is_sink(sinks[i]));
		CHECK_EQ(ports_in(&p, sinks[i], 1, 0), 0xff);
		ports_out(&p, sinks[i], 1, 0);
	}
	CHECK_EQ(ports_in(&p, 0x42, 1, 0), 0);                   /* PIT channel 2 */
	CHECK_EQ(ports_in(&p, 0x41, 2, 0), 0x00ff);
	CHECK_EQ(ports_in(&p, 0xcfc, 4, 0), 0xffffffff);
	CHECK_EQ(ports_in(&p, 0x40, 2, 0), 0xffff);
	CHECK(ports_is_sink(0x42));
	CHECK(!ports_is_sink(0x3f8) && !ports_is_sink(0x70) && !ports_is_sink(0x44));
	CHECK_EQ(nlines, 0);
	CHECK_EQ(p.unknown_accesses, 0);
	CHECK_EQ(ports_take_request(&p), PORTS_REQUEST_NONE);
}

TEST(power_off_and_reset_requests)
{
	setup();
	ports_out(&p, PORTS_ACPI_SLEEP_CONTROL, 1, 3 << 2 | 0x20);   /* S3: not offered */
	CHECK_EQ(ports_take_request(&p), PORTS_REQUEST_NONE);
	ports_out(&p, PORTS_ACPI_SLEEP_CONTROL, 1, 5 << 2);          /* no SLP_EN */
	CHECK_EQ(ports_take_request(&p), PORTS_REQUEST_NONE);
	ports_out(&p, PORTS_ACPI_SLEEP_STATUS, 1, 0x80);
	CHECK_EQ(ports_in(&p, PORTS_ACPI_SLEEP_STATUS, 1, 0), 0);
	ports_out(&p, PORTS_ACPI_SLEEP_CONTROL, 1, 5 << 2 | 0x20);   /* Linux's poweroff */
	CHECK_EQ(ports_take_request(&p), PORTS_REQUEST_POWEROFF);
	CHECK_EQ(ports_take_request(&p), PORTS_REQUEST_NONE);
	ports_out(&p, PORTS_ACPI_RESET, 1, 0x02);
	CHECK_EQ(ports_take_request(&p), PORTS_REQUEST_NONE);
	ports_out(&p, PORTS_ACPI_RESET, 1, PORTS_ACPI_RESET_VALUE);
	CHECK_EQ(ports_take_request(&p), PORTS_REQUEST_RESET);
	ports_out(&p, 0x64, 1, 0xd1);
	CHECK_EQ(ports_take_request(&p), PORTS_REQUEST_NONE);
	ports_out(&p, 0x64, 1, 0xfe);
	CHECK_EQ(ports_take_request(&p), PORTS_REQUEST_RESET);
	CHECK_EQ(nlines, 0);
}

TEST(unknown_ports_are_counted_and_reported_once_each_up_to_a_limit)
{
	setup();
	CHECK_EQ(ports_in(&p, 0x1234, 1, 0), 0xff);
	CHECK_EQ(ports_in(&p, 0x1234, 4, 0), 0xffffffff);       /* 0x1234..0x1237 */
	ports_out(&p, 0x1234, 1, 0);
	CHECK_EQ(p.unknown_accesses, 6);
	CHECK_EQ(nlines, 4);
	CHECK_STR_EQ(lines[0], "unknown port 0x1234 (read): reads all ones, writes ignored");
	CHECK_STR_EQ(lines[1], "unknown port 0x1235 (read): reads all ones, writes ignored");
	for (unsigned port = 0x2000; port < 0x2100; port++)
		ports_out(&p, (uint16_t)port, 1, 0);
	CHECK_EQ(nlines, PORTS_REPORTS_MAX + 1);
	CHECK_STR_EQ(lines[PORTS_REPORTS_MAX], "unknown ports: 32 reported, further ones only counted");
	CHECK_EQ(p.unknown_accesses, 6 + 0x100);
	/* Odd sizes read all ones and write nothing. */
	CHECK_EQ(ports_in(&p, 0x3f8, 3, 0), 0xffffffff);
	ports_out(&p, 0x3f8, 3, 'x');
	CHECK_EQ(nsent, 0);
}

/* A fake kernel behind the host bridge: one function, devfn 0x08, whose
 * registers read as their own offset. */
static unsigned config_calls;

static int64_t fake_config(void *ctx, uint32_t devfn, uint32_t reg, unsigned size,
                           uint32_t value, bool write)
{
	(void)value;
	(void)size;
	CHECK(ctx == &config_calls);
	config_calls++;
	if (write)
		return 0;
	return devfn == 0x08 ? (int64_t)(0xc0de0000u | reg) : 0xffffffff;
}

TEST(with_pci_the_configuration_ports_reach_the_host_bridge)
{
	struct pci_host pci;
	setup();
	config_calls = 0;
	pci_host_init(&pci, fake_config, &config_calls);
	p.pci = &pci;
	ports_out(&p, 0xcf8, 4, 0x80000000);
	CHECK_EQ(ports_in(&p, 0xcf8, 4, 0), 0x80000000);        /* mechanism #1 found */
	ports_out(&p, 0xcf8, 4, 0x80000800 | 0x2c);              /* devfn 0x08, 0x2c */
	CHECK_EQ(ports_in(&p, 0xcfc, 4, 0), 0xc0de002c);
	CHECK_EQ(ports_in(&p, 0xcfe, 2, 0), 0x002e);
	ports_out(&p, 0xcfc, 4, 0x1234);
	CHECK_EQ(config_calls, 3);
	ports_out(&p, 0xcf8, 4, 0x80001000);                     /* devfn 0x10: none */
	CHECK_EQ(ports_in(&p, 0xcfc, 4, 0), 0xffffffff);
	CHECK_EQ(config_calls, 4);
	CHECK_EQ(nlines, 0);
	CHECK_EQ(p.unknown_accesses, 0);
	/* Without PCI, the same ports are sinks again. */
	p.pci = NULL;
	ports_out(&p, 0xcf8, 4, 0x80000000);
	CHECK_EQ(ports_in(&p, 0xcf8, 4, 0), 0xffffffff);
	CHECK_EQ(config_calls, 4);
}
