/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The platform a monitor presents to its Linux guest, as the ACPI table
 * builder (tables.h) describes it: the smallest one a stock kernel boots
 * on (docs/monitor.md): xAPIC local APICs, one IOAPIC, a 16550 UART, a
 * CMOS RTC, virtio-mmio windows that Linux finds only through ACPI, and
 * for a guest granted PCI functions a PCI Express root bridge of bus 0
 * (its ECAM in an MCFG table). No PIC, PIT or legacy BIOS: the FADT is
 * HW-reduced.
 */
#ifndef VMM_ACPI_PLATFORM_H
#define VMM_ACPI_PLATFORM_H

#include <stdbool.h>
#include <stdint.h>

/* Limits that keep every table small and the builder's loops bounded. */
#define ACPI_MAX_VCPUS   64
#define ACPI_MAX_VIRTIO  32
#define ACPI_IOAPIC_PINS 24    /* GSIs ioapic_gsi_base .. +23 */
#define ACPI_ECAM_SIZE   0x100000u   /* the ECAM of one bus, bus 0 */

/* How an interrupt line signals (ACPI 6.x §6.4.3.6, Extended Interrupt
 * descriptor; MADT interrupt source override flags). */
enum acpi_trigger { ACPI_EDGE_HIGH, ACPI_LEVEL_HIGH };

struct acpi_virtio_mmio {
	uint32_t base;        /* guest-physical, 512-byte aligned, below 4 GiB */
	uint32_t size;        /* >= 0x200 (registers plus device config) */
	uint32_t gsi;         /* an IOAPIC pin */
	enum acpi_trigger trigger;
};

struct acpi_platform {
	uint64_t ram_bytes;       /* guest RAM from 0; device windows lie above */
	unsigned nvcpus;          /* 1..ACPI_MAX_VCPUS; APIC IDs 0..nvcpus-1 */
	uint32_t lapic_base;      /* 0xfee00000 on every x86 */
	uint32_t ioapic_base;     /* 0xfec00000 by convention */
	uint8_t ioapic_id;        /* must differ from every APIC ID */
	uint32_t ioapic_gsi_base; /* 0: ISA IRQ n is GSI n */
	bool has_uart;            /* COM1, a 16550 */
	uint16_t uart_port;       /* 0x3f8 */
	uint32_t uart_gsi;        /* 4; ISA convention: edge, active high */
	bool has_rtc;             /* CMOS RTC at ports 0x70/0x71, GSI 8 */
	/* Power-off and reset for a HW-reduced platform: the FADT's
	 * SLEEP_CONTROL_REG, SLEEP_STATUS_REG and RESET_REG as 8-bit I/O ports,
	 * RESET_VALUE, and the DSDT's _S5_ with SLP_TYP s5_type (0-7). */
	bool has_power;
	uint16_t sleep_control_port, sleep_status_port, reset_port;
	uint8_t reset_value;
	uint8_t s5_type;
	/* A PCI root bridge (PNP0A08, segment 0, bus 0 only): its ECAM, 1 MiB
	 * at ecam_base, 1 MiB aligned, below 4 GiB, announced in the MCFG
	 * and reserved by a motherboard-resources device (PNP0C02), as Linux
	 * requires before it uses it; and its memory window [pci_mem_base,
	 * pci_mem_limit), where the functions' BARs lie. */
	bool has_pci;
	uint32_t ecam_base;
	uint32_t pci_mem_base;
	uint64_t pci_mem_limit;   /* exclusive, at most 4 GiB */
	unsigned nvirtio;         /* 0..ACPI_MAX_VIRTIO */
	struct acpi_virtio_mmio virtio[ACPI_MAX_VIRTIO];
};

#endif
