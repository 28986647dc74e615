/* SPDX-License-Identifier: GPL-2.0-only */
/* The port dispatch (contract in ports.h). */
#include "devices/ports.h"
#include "lib/format.h"
#include "lib/string.h"

void ports_init(struct ports *p, struct uart16550 *uart, struct rtc *rtc,
                void (*report)(void *ctx, const char *line), void *ctx)
{
	memset(p, 0, sizeof *p);
	p->uart = uart;
	p->rtc = rtc;
	p->report = report;
	p->ctx = ctx;
}

static bool in_range(uint16_t port, uint16_t base, unsigned n)
{
	return port >= base && port < base + n;
}

bool ports_is_sink(uint16_t port)
{
	return in_range(port, 0x40, 4) || port == 0x61 || port == 0x80 || port == 0x87 ||
	       in_range(port, 0x2e, 2) || in_range(port, 0x4e, 2) ||
	       in_range(port, 0xcf8, 8) || in_range(port, 0x2f8, 8) ||
	       in_range(port, 0x3e8, 8) || in_range(port, 0x2e8, 8) ||
	       port == 0x60 || port == PORTS_I8042_COMMAND;
}

static void note_unknown(struct ports *p, uint16_t port, bool write)
{
	p->unknown_accesses++;
	if (p->reported[port / 8] & (1u << (port % 8)))
		return;
	p->reported[port / 8] |= (uint8_t)(1u << (port % 8));
	if (p->reports > PORTS_REPORTS_MAX || !p->report)
		return;
	char line[96];
	if (p->reports++ == PORTS_REPORTS_MAX)
		bh_snprintf(line, sizeof line, "unknown ports: %u reported, further ones only counted",
		            PORTS_REPORTS_MAX);
	else
		bh_snprintf(line, sizeof line, "unknown port 0x%x (%s): reads all ones, writes ignored",
		            port, write ? "write" : "read");
	p->report(p->ctx, line);
}

static uint8_t in_byte(struct ports *p, uint16_t port, uint64_t now_ns)
{
	uint8_t v;

	if (in_range(port, PORTS_COM1, UART_PORTS)) {
		if (uart16550_read(p->uart, port - PORTS_COM1, &v) == 0)
			return v;
		return 0xff;
	}
	if (port == RTC_PORT_INDEX || port == RTC_PORT_DATA)
		return rtc_read(p->rtc, port, now_ns);
	if (port == PORTS_ACPI_SLEEP_STATUS || port == PORTS_ACPI_SLEEP_CONTROL)
		return 0;
	if (port == PORTS_PIT_CHANNEL2)
		return 0;   /* see ports.h: ends Linux's PIT calibration at once */
	if (port == PORTS_ACPI_RESET || ports_is_sink(port))
		return 0xff;
	note_unknown(p, port, false);
	return 0xff;
}

static void out_byte(struct ports *p, uint16_t port, uint8_t v)
{
	if (in_range(port, PORTS_COM1, UART_PORTS)) {
		uart16550_write(p->uart, port - PORTS_COM1, v);
		return;
	}
	if (port == RTC_PORT_INDEX || port == RTC_PORT_DATA) {
		rtc_write(p->rtc, port, v);
		return;
	}
	if (port == PORTS_ACPI_SLEEP_CONTROL) {
		if ((v & PORTS_ACPI_SLP_EN) && ((v >> 2) & 7) == PORTS_ACPI_S5_TYPE)
			p->request = PORTS_REQUEST_POWEROFF;
		return;
	}
	if (port == PORTS_ACPI_RESET) {
		if (v == PORTS_ACPI_RESET_VALUE)
			p->request = PORTS_REQUEST_RESET;
		return;
	}
	if (port == PORTS_I8042_COMMAND && v == PORTS_I8042_RESET) {
		p->request = PORTS_REQUEST_RESET;
		return;
	}
	if (port == PORTS_ACPI_SLEEP_STATUS || ports_is_sink(port))
		return;
	note_unknown(p, port, true);
}

uint32_t ports_in(struct ports *p, uint16_t port, unsigned size, uint64_t now_ns)
{
	uint32_t v = 0;

	if (size != 1 && size != 2 && size != 4)
		return 0xffffffffu;
	if (p->pci && pci_host_claims_port(port))
		return pci_host_port_in(p->pci, port, size);
	for (unsigned i = 0; i < size; i++)
		v |= (uint32_t)in_byte(p, (uint16_t)(port + i), now_ns) << (8 * i);
	return v;
}

void ports_out(struct ports *p, uint16_t port, unsigned size, uint32_t value)
{
	if (size != 1 && size != 2 && size != 4)
		return;
	if (p->pci && pci_host_claims_port(port)) {
		pci_host_port_out(p->pci, port, size, value);
		return;
	}
	for (unsigned i = 0; i < size; i++)
		out_byte(p, (uint16_t)(port + i), (uint8_t)(value >> (8 * i)));
}

enum ports_request ports_take_request(struct ports *p)
{
	enum ports_request r = p->request;

	p->request = PORTS_REQUEST_NONE;
	return r;
}
