/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * I/O ports: a native VM owns no port (docs/guest-abi.md: no devices), and
 * every IN or OUT exits unconditionally. The kernel must stop the VM at
 * the first one:
 *
 *     vm NAME: stopped: I/O port 0x3f8 write (1 bytes) denied at rip 0x...
 *
 * Several would do harm if they got through: 0xcf9 and 0x64 reset the
 * machine, 0x604 and 0x8900 power it off, 0xcf8/0xcfc reach every PCI
 * device's configuration space.
 */
#include "isolation.h"

enum io_op { IO_IN, IO_OUT, IO_OUTS };

static const struct {
	const char *name;
	uint16_t port;
	enum io_op op;
	unsigned width;     /* bytes: 1, 2 or 4 */
	uint32_t value;     /* what OUT writes */
	const char *what;
} probes[] = {
	{ "io-com1-write",  0x3f8,  IO_OUT,  1, 'X',        "COM1 data" },
	{ "io-com1-read",   0x3fd,  IO_IN,   1, 0,          "COM1 line status" },
	{ "io-com1-outs",   0x3f8,  IO_OUTS, 1, 0,          "COM1 data, string" },
	{ "io-cf8-write",   0xcf8,  IO_OUT,  4, 0x80000000, "PCI config address" },
	{ "io-cfc-read",    0xcfc,  IO_IN,   4, 0,          "PCI config data" },
	{ "io-cf9-write",   0xcf9,  IO_OUT,  1, 0x06,       "reset control: hard reset" },
	{ "io-pit-write",   0x40,   IO_OUT,  1, 0,          "PIT channel 0" },
	{ "io-pit-read",    0x40,   IO_IN,   1, 0,          "PIT channel 0" },
	{ "io-kbd-write",   0x64,   IO_OUT,  1, 0xfe,       "keyboard controller: reset" },
	{ "io-bochs-write", 0x8900, IO_OUT,  1, 'S',        "Bochs power-off port" },
	{ "io-acpi-write",  0x604,  IO_OUT,  2, 0x2000,     "ACPI PM1a control: S5" },
	{ "io-e9-write",    0xe9,   IO_OUT,  1, 'X',        "Bochs debug port" },
};

static uint32_t port_in(uint16_t port, unsigned width)
{
	uint32_t v = 0;

	if (width == 1) {
		uint8_t b;
		asm volatile("inb %1, %0" : "=a"(b) : "Nd"(port));
		v = b;
	} else if (width == 2) {
		uint16_t w;
		asm volatile("inw %1, %0" : "=a"(w) : "Nd"(port));
		v = w;
	} else {
		asm volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
	}
	return v;
}

static void port_out(uint16_t port, unsigned width, uint32_t v)
{
	if (width == 1)
		asm volatile("outb %b0, %1" : : "a"(v), "Nd"(port));
	else if (width == 2)
		asm volatile("outw %w0, %1" : : "a"(v), "Nd"(port));
	else
		asm volatile("outl %0, %1" : : "a"(v), "Nd"(port));
}

/* REP OUTSB of a whole string. */
static void port_outs(uint16_t port, const char *s, size_t n)
{
	asm volatile("rep outsb" : "+S"(s), "+c"(n) : "d"(port) : "memory");
}

int ioport_probe(void)
{
	static const char text[] = "escaped\n";
	const char *name = probe_name();

	for (size_t i = 0; i < sizeof(probes) / sizeof(probes[0]); i++) {
		if (strcmp(probes[i].name, name) != 0)
			continue;
		uint16_t port = probes[i].port;
		unsigned width = probes[i].width;
		switch (probes[i].op) {
		case IO_IN:
			bh_probe_say("in%c 0x%x (%s)", "bw?l"[width - 1], port, probes[i].what);
			return bh_probe_not_contained("in from port 0x%x returned 0x%x", port,
			                              port_in(port, width));
		case IO_OUT:
			bh_probe_say("out%c 0x%x, 0x%x (%s)", "bw?l"[width - 1], port,
			             probes[i].value, probes[i].what);
			port_out(port, width, probes[i].value);
			return bh_probe_not_contained("out to port 0x%x went through", port);
		case IO_OUTS:
			bh_probe_say("rep outsb 0x%x, %zu bytes (%s)", port, sizeof(text) - 1,
			             probes[i].what);
			port_outs(port, text, sizeof(text) - 1);
			return bh_probe_not_contained("rep outsb to port 0x%x went through", port);
		}
	}
	return probe_unknown();
}
