/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The guest's I/O port space: which model answers each port.
 *
 *   0x3f8-0x3ff  COM1, the 16550A (uart16550.h)
 *   0x70-0x71    the CMOS RTC (rtc.h)
 *   0x600        ACPI SLEEP_CONTROL_REG (the FADT's, 8 bits): a write
 *                with SLP_EN (bit 5) and SLP_TYP (bits 2-4) equal to
 *                PORTS_ACPI_S5_TYPE, the type the DSDT's _S5_ names, asks
 *                for power-off; other sleep types are ignored
 *   0x601        ACPI SLEEP_STATUS_REG: reads 0, writes ignored
 *   0x602        ACPI RESET_REG: writing PORTS_ACPI_RESET_VALUE asks for
 *                a reset
 *   0x64         i8042 command port: writing 0xfe (pulse the reset line)
 *                asks for a reset; otherwise a sink
 *
 * and sinks, which read all ones and ignore writes, for the devices Linux
 * probes although nothing announces them: the PIT (0x40-0x43) and port B
 * (0x61), the POST and DMA page ports (0x80, 0x87), Super I/O
 * configuration (0x2e-0x2f, 0x4e-0x4f), PCI configuration (0xcf8-0xcff),
 * COM2-COM4 (0x2f8, 0x3e8, 0x2e8, eight ports each) and the i8042
 * (0x60, 0x64). Every other port behaves the same but is counted, and
 * the first access to each is reported through the report callback, at
 * most PORTS_REPORTS_MAX times in all.
 *
 * One sink reads differently: the PIT's channel 2 counter (0x42) reads 0.
 * Where CPUID does not give the TSC's frequency (on AMD CPUs, always),
 * Linux's quick PIT calibration polls that counter for its high byte to
 * count down from 0xff: all ones would keep it polling some 100,000
 * times, an exit each; 0 ends it at the first read, and the slower
 * calibration that follows stops at once on port 0x61 reading all ones
 * (its "output high" bit set).
 *
 * A guest with PCI (ports.pci set) has configuration mechanism #1
 * instead of the sink at 0xcf8-0xcff: an access starting there goes whole
 * to the host bridge (pci_host.h).
 *
 * Accesses wider than a byte to byte-wide devices are split into byte
 * accesses to consecutive ports (low byte first), as an 8-bit bus does.
 * A reset or power-off request is left in ports.request for the monitor,
 * which answers the exit with it. Pure.
 */
#ifndef VMM_DEVICES_PORTS_H
#define VMM_DEVICES_PORTS_H

#include <stdbool.h>
#include <stdint.h>

#include "devices/pci_host.h"
#include "devices/rtc.h"
#include "devices/uart16550.h"

#define PORTS_COM1                 0x3f8
#define PORTS_ACPI_SLEEP_CONTROL   0x600
#define PORTS_ACPI_SLEEP_STATUS    0x601
#define PORTS_ACPI_RESET           0x602
#define PORTS_ACPI_RESET_VALUE     0x01
#define PORTS_ACPI_S5_TYPE         5
#define PORTS_ACPI_SLP_EN          0x20
#define PORTS_I8042_COMMAND        0x64
#define PORTS_PIT_CHANNEL2         0x42
#define PORTS_I8042_RESET          0xfe
#define PORTS_REPORTS_MAX          32

enum ports_request {
	PORTS_REQUEST_NONE,
	PORTS_REQUEST_RESET,
	PORTS_REQUEST_POWEROFF,
};

struct ports {
	struct uart16550 *uart;
	struct rtc *rtc;
	/* One line of text (no newline) for the monitor's console. */
	void (*report)(void *ctx, const char *line);
	void *ctx;
	struct pci_host *pci;            /* NULL: 0xcf8-0xcff are sinks */
	enum ports_request request;      /* the latest request, until taken */
	uint64_t unknown_accesses;
	unsigned reports;
	uint8_t reported[65536 / 8];     /* one bit per port */
};

/* Binds p to its devices; no request, nothing reported yet, no PCI (the
 * caller sets pci for a guest that has it). */
void ports_init(struct ports *p, struct uart16550 *uart, struct rtc *rtc,
                void (*report)(void *ctx, const char *line), void *ctx);

/* True for the sink ports listed above (not the unknown ones). */
bool ports_is_sink(uint16_t port);

/* An IN of size (1, 2 or 4) bytes at port, at clock time now_ns (the RTC's).
 * Returns the value, all ones of the size where nothing answers. */
uint32_t ports_in(struct ports *p, uint16_t port, unsigned size, uint64_t now_ns);

/* An OUT of size bytes of value at port. */
void ports_out(struct ports *p, uint16_t port, unsigned size, uint32_t value);

/* Takes the pending request (PORTS_REQUEST_NONE if none). */
enum ports_request ports_take_request(struct ports *p);

#endif
