// SPDX-License-Identifier: GPL-2.0-only
/*
 * acpi-tables-dump: writes the HW-reduced ACPI tables that Bulkhead's
 * monitor builds for a Linux VM (vmm/acpi/tables.h), for a bare machine
 * of one CPU with COM1 and the RTC, no virtio, so that the bare Linux
 * boot of `make bench` (tests/bench/linux_bare.py) can give the kernel the
 * same tables as the monitor will.
 *
 *   acpi-tables-dump RAM_MIB GPA OUT
 *
 * The tables are built to lie at guest-physical GPA; OUT receives their
 * bytes, and stdout one line: "rsdp 0x...", the RSDP's address. Exits 1
 * with a reason on bad arguments or a failed build.
 */
#include <stdio.h>
#include <stdlib.h>

#include "acpi/tables.h"

int main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: acpi-tables-dump RAM_MIB GPA OUT\n");
		return 1;
	}
	char *end;
	unsigned long long mib = strtoull(argv[1], &end, 0);
	if (*end || !mib || mib > 3584) {
		fprintf(stderr, "acpi-tables-dump: RAM_MIB %s: want 1 to 3584\n", argv[1]);
		return 1;
	}
	unsigned long long gpa = strtoull(argv[2], &end, 0);
	if (*end || gpa >= 1ull << 32) {
		fprintf(stderr, "acpi-tables-dump: GPA %s: want an address below 4 GiB\n", argv[2]);
		return 1;
	}
	/* The monitor's platform, as docs/monitor.md describes it, with
	 * what Bochs's i440fx has at the same places: the LAPIC, the IOAPIC
	 * (ID 1, which acpi_build wants distinct from the CPU's APIC ID 0),
	 * COM1 and the RTC. */
	struct acpi_platform p = {
		.ram_bytes = mib << 20, .nvcpus = 1,
		.lapic_base = 0xfee00000, .ioapic_base = 0xfec00000, .ioapic_id = 1,
		.ioapic_gsi_base = 0,
		.has_uart = true, .uart_port = 0x3f8, .uart_gsi = 4, .has_rtc = true,
		.nvirtio = 0,
	};
	static uint8_t buf[64 * 1024];
	struct acpi_layout layout;
	int err = acpi_build(&p, buf, sizeof buf, gpa, &layout);
	if (err) {
		fprintf(stderr, "acpi-tables-dump: acpi_build failed (%d)\n", err);
		return 1;
	}
	FILE *f = fopen(argv[3], "wb");
	if (!f || fwrite(buf, 1, layout.total, f) != layout.total || fclose(f)) {
		fprintf(stderr, "acpi-tables-dump: cannot write %s\n", argv[3]);
		return 1;
	}
	printf("rsdp %#llx\n", (unsigned long long)layout.rsdp_gpa);
	return 0;
}
