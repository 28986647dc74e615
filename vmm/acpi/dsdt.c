/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * DSDT contents (contract in dsdt.h). The IDs are those Linux matches:
 * PNP0501 (8250_pnp), PNP0B00 (rtc_cmos), LNRO0005 (virtio_mmio's ACPI
 * match table), PNP0A08/PNP0A03 (the ACPI PCI root driver), PNP0C02
 * (the motherboard-resources driver, and the check that an MCFG region
 * is reserved). _CCA 1 says device DMA is cache-coherent, which virtio
 * assumes; without it Linux treats an ACPI device as incapable of DMA.
 */
#include "acpi/aml.h"
#include "acpi/dsdt.h"

#define UART_PORTS 8
#define RTC_PORT   0x70
#define RTC_PORTS  2

static void write_uart(struct byte_writer *w, const struct acpi_platform *p)
{
	size_t dev = aml_device_begin(w, "COM1");
	aml_name_eisaid(w, "_HID", "PNP0501");
	aml_name_integer(w, "_UID", 0);
	size_t res = aml_name_resources_begin(w, "_CRS");
	aml_res_io(w, p->uart_port, UART_PORTS);
	aml_res_irq_noflags(w, p->uart_gsi);
	aml_resources_end(w, res);
	aml_pkg_end(w, dev);
}

static void write_rtc(struct byte_writer *w)
{
	size_t dev = aml_device_begin(w, "RTC_");
	aml_name_eisaid(w, "_HID", "PNP0B00");
	size_t res = aml_name_resources_begin(w, "_CRS");
	aml_res_io(w, RTC_PORT, RTC_PORTS);
	aml_resources_end(w, res);
	aml_pkg_end(w, dev);
}

static void write_virtio(struct byte_writer *w, const struct acpi_virtio_mmio *v, unsigned index)
{
	/* VR00..VR31: ACPI_MAX_VIRTIO keeps index to two decimal digits. */
	char name[5] = { 'V', 'R', (char)('0' + index / 10), (char)('0' + index % 10), 0 };
	size_t dev = aml_device_begin(w, name);
	aml_name_string(w, "_HID", "LNRO0005");
	aml_name_integer(w, "_UID", index);
	aml_name_integer(w, "_CCA", 1);
	size_t res = aml_name_resources_begin(w, "_CRS");
	aml_res_mem32_fixed(w, v->base, v->size);
	aml_res_interrupt(w, v->gsi, v->trigger == ACPI_EDGE_HIGH);
	aml_resources_end(w, res);
	aml_pkg_end(w, dev);
}

static void write_pci(struct byte_writer *w, const struct acpi_platform *p)
{
	size_t dev = aml_device_begin(w, "PCI0");
	aml_name_eisaid(w, "_HID", "PNP0A08");
	aml_name_eisaid(w, "_CID", "PNP0A03");
	aml_name_integer(w, "_SEG", 0);
	aml_name_integer(w, "_BBN", 0);
	aml_name_integer(w, "_UID", 0);
	aml_name_integer(w, "_CCA", 1);
	size_t res = aml_name_resources_begin(w, "_CRS");
	aml_res_word_bus_number(w, 0, 0);
	aml_res_dword_memory(w, p->pci_mem_base, (uint32_t)(p->pci_mem_limit - 1));
	aml_resources_end(w, res);
	aml_pkg_end(w, dev);

	dev = aml_device_begin(w, "ECAM");
	aml_name_eisaid(w, "_HID", "PNP0C02");
	aml_name_integer(w, "_UID", 0);
	res = aml_name_resources_begin(w, "_CRS");
	aml_res_mem32_fixed(w, p->ecam_base, ACPI_ECAM_SIZE);
	aml_resources_end(w, res);
	aml_pkg_end(w, dev);
}

void acpi_write_dsdt_body(struct byte_writer *w, const struct acpi_platform *p)
{
	if (p->has_power) {
		/* SLP_TYPa, SLP_TYPb, reserved, reserved (ACPI 6.x §7.4.2). */
		const uint64_t s5[4] = { p->s5_type, p->s5_type, 0, 0 };
		aml_name_package(w, "_S5_", s5, 4);
	}
	size_t sb = aml_scope_begin(w, "_SB_");
	if (p->has_uart)
		write_uart(w, p);
	if (p->has_rtc)
		write_rtc(w);
	for (unsigned i = 0; i < p->nvirtio && i < ACPI_MAX_VIRTIO; i++)
		write_virtio(w, &p->virtio[i], i);
	if (p->has_pci)
		write_pci(w, p);
	aml_pkg_end(w, sb);
}
