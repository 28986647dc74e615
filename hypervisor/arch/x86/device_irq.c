/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Where granted devices' interrupts arrive (arch/pci.h): a block of
 * vectors the kernel hands out by message (MSI, each MSI-X entry), each
 * sent to the CPU that programmed it (the holder's); which slots came is
 * noted per CPU by the interrupt and taken under the kernel lock; and the
 * kernel's mapping of the registers it programs itself (MSI-X tables).
 */
#include "arch/pci.h"

#include <stddef.h>

#include <bulkhead/errno.h>

#include "arch/x86/cpu.h"
#include "arch/x86/lapic.h"
#include "arch/x86/mm/kernel_space.h"
#include "arch/x86/percpu.h"

#define MSI_ADDRESS_BASE 0xfee00000u   /* SDM Vol. 3A §11.11.1 */
#define MSI_DEST_SHIFT   12

_Static_assert(ARCH_DEVICE_VECTORS == LAPIC_DEVICE_VECTORS, "one vector per slot");

void device_irq_note(unsigned slot)
{
	struct percpu *me = percpu_this();
	__atomic_or_fetch(&me->device_pending, 1ull << slot, __ATOMIC_RELAXED);
	me->irq_news = true;
}

uint64_t arch_device_irqs_taken(void)
{
	return __atomic_exchange_n(&percpu_this()->device_pending, 0, __ATOMIC_ACQ_REL);
}

uint8_t arch_device_vector(unsigned slot)
{
	return (uint8_t)(LAPIC_DEVICE_VECTOR + slot % LAPIC_DEVICE_VECTORS);
}

/* [4 GiB - 20 MiB, 4 GiB): the IOAPICs, the IOMMU units, the local APIC
 * and the firmware flash live here on every x86 chipset. */
#define FIXED_REGISTERS_BASE 0xfec00000ull
#define FIXED_REGISTERS_END  0x100000000ull

bool arch_device_range_reserved(uint64_t hpa, uint64_t size)
{
	unsigned width = cpuid(0x80000000, 0).eax >= 0x80000008
	                 ? cpuid(0x80000008, 0).eax & 0xff : 36;
	uint64_t end = hpa + size;
	return end < hpa || end > 1ull << width ||
	       (hpa < FIXED_REGISTERS_END && FIXED_REGISTERS_BASE < end);
}

volatile void *arch_device_map(uint64_t hpa, uint64_t size)
{
	/* Already mapped means already something else's: never shared. */
	return kernel_space_map_mmio(hpa, size) ? NULL : (volatile void *)(uintptr_t)hpa;
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
