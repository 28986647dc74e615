/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The host's PCI configuration space, as the kernel reads and writes it for
 * the functions the policy grants (kernel/device.h). Only the standard
 * 256-byte space of segment 0 is reached: the kernel shows a driver VM no
 * extended capability, so it never needs the rest.
 */
#ifndef ARCH_PCI_H
#define ARCH_PCI_H

#include <stdbool.h>
#include <stdint.h>

/* addr is BH_POLICY_PCI form (segment << 16 | bus << 8 | devfn); off is
 * aligned to size (1, 2 or 4) and below 256. A function that is absent
 * reads as all ones. */
uint32_t arch_pci_read(uint32_t addr, unsigned off, unsigned size);
void arch_pci_write(uint32_t addr, unsigned off, unsigned size, uint32_t value);

/* Granted devices' interrupts arrive on ARCH_DEVICE_VECTORS host vectors;
 * slot i (0 <= i < ARCH_DEVICE_VECTORS) is vector arch_device_vector(i),
 * and its arrival calls device_interrupt(i) (kernel/device.h). */
#define ARCH_DEVICE_VECTORS 64
uint8_t arch_device_vector(unsigned slot);

/* The slots whose interrupts arrived on this CPU since the last call (bit
 * i = slot i), cleared as they are returned. */
uint64_t arch_device_irqs_taken(void);

/* True if host [hpa, hpa+size) overlaps what no device may claim: the
 * processor's and chipset's fixed registers (local APIC, IOAPIC, IOMMU
 * units, firmware flash) or addresses beyond the physical address width. */
bool arch_device_range_reserved(uint64_t hpa, uint64_t size);

/* A kernel pointer to a device's registers at host [hpa, hpa+size),
 * mapped uncached (4 KiB aligned); NULL if they cannot be mapped. */
volatile void *arch_device_map(uint64_t hpa, uint64_t size);

/* An MSI message (compatibility format, no interrupt remapping) that
 * interrupts this CPU on vector: for machines the policy declares
 * unprotected only. */
struct arch_msi { uint64_t address; uint32_t data; };
struct arch_msi arch_msi_direct(uint8_t vector);

/* The local APIC ID remapped device interrupts are sent to. */
uint32_t arch_msi_destination(void);

#endif
