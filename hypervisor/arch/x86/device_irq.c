/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Where granted devices' interrupts arrive (arch/pci.h): one vector per
 * policy device, sent to the boot CPU, which runs every VM.
 */
#include "arch/pci.h"

#include "arch/x86/lapic.h"

#define MSI_ADDRESS_BASE 0xfee00000u   /* SDM Vol. 3A §11.11.1 */
#define MSI_DEST_SHIFT   12

uint8_t arch_device_vector(unsigned index)
{
	return (uint8_t)(LAPIC_DEVICE_VECTOR + index % LAPIC_DEVICE_VECTORS);
}

uint32_t arch_msi_destination(void)
{
	return lapic_id();
}

struct arch_msi arch_msi_direct(uint8_t vector)
{
	/* Physical destination, fixed delivery, edge (data bits 8-15 zero). */
	return (struct arch_msi){
		.address = MSI_ADDRESS_BASE | (lapic_id() & 0xffu) << MSI_DEST_SHIFT,
		.data = vector,
	};
}
