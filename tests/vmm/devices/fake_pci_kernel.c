/* SPDX-License-Identifier: GPL-2.0-only */
/* The fake BH_HC_DEVICE_CONFIG (contract in fake_pci_kernel.h). */
#include "check.h"

#include "fake_pci_kernel.h"

#define BAR0_REG 0x10u

void fake_pci_kernel_init(struct fake_pci_kernel *k)
{
	memset(k, 0, sizeof *k);
	for (unsigned i = 0; i < 4; i++)
		k->space[i] = (uint8_t)(FAKE_PCI_ID >> (8 * i));
	k->space[0x0b] = FAKE_PCI_CLASS;
	k->bar0 = FAKE_PCI_BAR0;
}

/* Byte i of the function's space as the guest reads it. */
static uint8_t byte_at(const struct fake_pci_kernel *k, uint32_t i)
{
	if (i >= BAR0_REG && i < BAR0_REG + 4)
		return (uint8_t)(k->bar0 >> (8 * (i - BAR0_REG)));
	return k->space[i];
}

int64_t fake_pci_config(void *ctx, uint32_t devfn, uint32_t reg, unsigned size, uint32_t value,
                        bool write)
{
	struct fake_pci_kernel *k = ctx;

	CHECK(size == 1 || size == 2 || size == 4);
	CHECK_EQ(reg % size, 0);
	CHECK(reg < sizeof k->space);
	CHECK(devfn < 256);
	CHECK(write || value == 0);
	k->calls++;
	k->last = (struct fake_pci_call){ devfn, reg, size, value, write };
	if (k->refuse)
		return k->refuse;
	if (devfn != FAKE_PCI_DEVFN)
		return write ? 0 : (int64_t)((1ull << (8 * size)) - 1);
	if (write) {
		if (reg == BAR0_REG && size == 4)
			k->bar0 = value & ~(FAKE_PCI_BAR0_SIZE - 1);
		else if (reg >= BAR0_REG + 4 || reg + size <= BAR0_REG)
			for (unsigned i = 0; i < size; i++)
				k->space[reg + i] = (uint8_t)(value >> (8 * i));
		return 0;
	}
	uint32_t v = 0;
	for (unsigned i = 0; i < size; i++)
		v |= (uint32_t)byte_at(k, reg + i) << (8 * i);
	return v;
}
