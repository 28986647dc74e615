/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The DSDT's definition block body: the AML that tells Linux which
 * devices exist where, since a HW-reduced platform has no other way to
 * say it (the stock kernel has neither device tree nor virtio_mmio.device=
 * support, docs/monitor.md). tables.c wraps it in the table header.
 */
#ifndef VMM_ACPI_DSDT_H
#define VMM_ACPI_DSDT_H

#include "acpi/byte_writer.h"
#include "acpi/platform.h"

/*
 * Appends to w, for an already checked platform:
 *   Name(_S5_, Package() { s5_type, s5_type, 0, 0 })   if has_power
 *   Scope(\_SB_) {
 *     Device(COM1) { _HID PNP0501, _UID 0, _CRS: IO 8 ports, IRQNoFlags }
 *     Device(RTC_) { _HID PNP0B00, _CRS: IO 0x70-0x71 }
 *     Device(VRnn) { _HID "LNRO0005", _UID nn, _CCA 1,
 *                    _CRS: Memory32Fixed, Interrupt }   for each window
 *     Device(PCI0) { _HID PNP0A08, _CID PNP0A03, _SEG 0, _BBN 0, _UID 0,
 *                    _CCA 1, _CRS: WordBusNumber 0-0,
 *                    DWordMemory [pci_mem_base, pci_mem_limit) }
 *     Device(ECAM) { _HID PNP0C02, _UID 0, _CRS: Memory32Fixed of the ECAM }
 *   }
 * PCI0 and ECAM only if the platform has PCI. PNP0A08 is a PCI Express
 * root bridge, which Linux reaches through the MCFG's ECAM; PNP0A03 the
 * plain PCI bridge it is compatible with. Linux uses an MCFG region only
 * once firmware has reserved it, in the memory map or by a motherboard
 * resource (PNP0C02) device such as ECAM. The bridge has no _PRT: its
 * functions interrupt by MSI only.
 * COM1 and RTC_ only if the platform has them. The RTC lists no
 * interrupt: Linux's rtc_cmos assumes IRQ 8 for such an entry only when
 * a legacy PIC exists, which a HW-reduced platform has not, and otherwise
 * runs without its alarm interrupt.
 */
void acpi_write_dsdt_body(struct byte_writer *w, const struct acpi_platform *p);

#endif
