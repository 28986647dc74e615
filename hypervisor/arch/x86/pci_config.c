/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Configuration mechanism #1 (ports 0xcf8/0xcfc, PCI Local Bus Spec. 3.0
 * §3.2.2.3.2): every x86 chipset has it for the first 256 bytes of each
 * function, which is all the kernel uses (arch/pci.h). Only segment 0
 * exists through it. One CPU runs the kernel, so the address/data pair is
 * never interleaved.
 */
#include "arch/pci.h"

#include "arch/x86/cpu.h"

#define PCI_CONFIG_ADDRESS 0xcf8
#define PCI_CONFIG_DATA    0xcfc
#define PCI_CONFIG_ENABLE  0x80000000u

static uint16_t select(uint32_t addr, unsigned off)
{
	outl(PCI_CONFIG_ADDRESS, PCI_CONFIG_ENABLE | (addr & 0xffffu) << 8 | (off & 0xfcu));
	return (uint16_t)(PCI_CONFIG_DATA + (off & 3));
}

uint32_t arch_pci_read(uint32_t addr, unsigned off, unsigned size)
{
	if (addr >> 16)
		return size == 1 ? 0xff : size == 2 ? 0xffff : 0xffffffffu;
	uint16_t port = select(addr, off);
	switch (size) {
	case 1:  return inb(port);
	case 2:  return inw(port);
	default: return inl(port);
	}
}

void arch_pci_write(uint32_t addr, unsigned off, unsigned size, uint32_t value)
{
	if (addr >> 16)
		return;
	uint16_t port = select(addr, off);
	switch (size) {
	case 1:  outb(port, (uint8_t)value); break;
	case 2:  outw(port, (uint16_t)value); break;
	default: outl(port, value); break;
	}
}
