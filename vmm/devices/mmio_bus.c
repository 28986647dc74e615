/* SPDX-License-Identifier: GPL-2.0-only */
/* The device-window dispatch (contract in mmio_bus.h). */
#include <bulkhead/errno.h>
#include <bulkhead/guest_abi.h>

#include "devices/mmio_bus.h"
#include "lib/string.h"

void mmio_bus_init(struct mmio_bus *bus, struct lapic *lapic, struct ioapic *ioapic)
{
	memset(bus, 0, sizeof *bus);
	bus->lapic = lapic;
	bus->ioapic = ioapic;
}

static bool overlaps(uint64_t a, uint64_t an, uint64_t b, uint64_t bn)
{
	return a < b + bn && b < a + an;
}

/* Is [base, base + size) empty, wrapping, or does a model answer any of it? */
static bool unusable(const struct mmio_bus *bus, uint64_t base, uint64_t size)
{
	if (size == 0 || base + size < base || overlaps(base, size, LAPIC_BASE, LAPIC_SIZE) ||
	    overlaps(base, size, IOAPIC_BASE, IOAPIC_SIZE))
		return true;
	if (bus->pci && overlaps(base, size, bus->ecam_base, bus->ecam_size))
		return true;
	for (unsigned i = 0; i < bus->nvirtio; i++)
		if (overlaps(base, size, bus->virtio[i].base, bus->virtio[i].size))
			return true;
	return false;
}

int mmio_bus_add_virtio(struct mmio_bus *bus, uint64_t base, uint64_t size,
                        struct virtio_mmio *dev, unsigned gsi)
{
	if (bus->nvirtio >= MMIO_BUS_VIRTIO_MAX)
		return -BH_ENOSPC;
	if (!dev || gsi >= IOAPIC_PINS || unusable(bus, base, size))
		return -BH_EINVAL;
	bus->virtio[bus->nvirtio++] = (struct mmio_bus_window){
		.base = base, .size = size, .dev = dev, .gsi = gsi,
	};
	return 0;
}

int mmio_bus_add_ecam(struct mmio_bus *bus, uint64_t base, uint64_t size, struct pci_host *pci)
{
	if (bus->pci || !pci || size > PCI_ECAM_BUS_SIZE || unusable(bus, base, size))
		return -BH_EINVAL;
	bus->pci = pci;
	bus->ecam_base = base;
	bus->ecam_size = size;
	return 0;
}

/* The granted devices' window: the kernel maps their BARs there, and
 * forwards what it keeps (the MSI-X table) for relaying. */
static bool in_bars(const struct mmio_bus *bus, uint64_t gpa)
{
	return bus->pci && gpa >= BH_GUEST_DEVICE_BASE && gpa < BH_GUEST_DEVICE_LIMIT;
}

static bool in_ecam(const struct mmio_bus *bus, uint64_t gpa)
{
	return bus->pci && gpa >= bus->ecam_base && gpa - bus->ecam_base < bus->ecam_size;
}

static uint64_t all_ones(unsigned size)
{
	return size >= 8 ? ~0ull : (1ull << (8 * size)) - 1;
}

static struct mmio_bus_window *window_at(struct mmio_bus *bus, uint64_t gpa, unsigned size)
{
	for (unsigned i = 0; i < bus->nvirtio; i++) {
		struct mmio_bus_window *w = &bus->virtio[i];
		if (gpa >= w->base && gpa - w->base < w->size && size <= w->size - (gpa - w->base))
			return w;
	}
	return 0;
}

static void update_line(struct mmio_bus *bus, struct mmio_bus_window *w)
{
	ioapic_set_line(bus->ioapic, w->gsi, virtio_mmio_irq_level(w->dev));
}

uint64_t mmio_bus_read(struct mmio_bus *bus, uint64_t gpa, unsigned size, uint64_t tsc)
{
	uint32_t v;
	int err;

	if (gpa >= LAPIC_BASE && gpa - LAPIC_BASE < LAPIC_SIZE) {
		err = lapic_read(bus->lapic, (uint32_t)(gpa - LAPIC_BASE), size, tsc, &v);
	} else if (gpa >= IOAPIC_BASE && gpa - IOAPIC_BASE < IOAPIC_SIZE) {
		err = ioapic_read(bus->ioapic, (uint32_t)(gpa - IOAPIC_BASE), size, &v);
	} else if (in_ecam(bus, gpa)) {
		err = pci_host_ecam_read(bus->pci, (uint32_t)(gpa - bus->ecam_base), size, &v);
	} else if (in_bars(bus, gpa)) {
		uint64_t wide;
		if (pci_host_bar_read(bus->pci, gpa, size, &wide)) {
			bus->refused++;
			return all_ones(size);
		}
		return wide;
	} else {
		struct mmio_bus_window *w = window_at(bus, gpa, size);
		if (!w) {
			bus->unclaimed++;
			return all_ones(size);
		}
		err = size > 4 ? -BH_EINVAL
		               : virtio_mmio_read(w->dev, (uint32_t)(gpa - w->base), size, &v);
		update_line(bus, w);
	}
	if (err) {
		bus->refused++;
		return all_ones(size);
	}
	return v;
}

void mmio_bus_write(struct mmio_bus *bus, uint64_t gpa, unsigned size, uint64_t value,
                    uint64_t tsc)
{
	int err;

	if (gpa >= LAPIC_BASE && gpa - LAPIC_BASE < LAPIC_SIZE) {
		err = lapic_write(bus->lapic, (uint32_t)(gpa - LAPIC_BASE), size, (uint32_t)value, tsc);
	} else if (gpa >= IOAPIC_BASE && gpa - IOAPIC_BASE < IOAPIC_SIZE) {
		err = ioapic_write(bus->ioapic, (uint32_t)(gpa - IOAPIC_BASE), size, (uint32_t)value);
	} else if (in_ecam(bus, gpa)) {
		err = pci_host_ecam_write(bus->pci, (uint32_t)(gpa - bus->ecam_base), size,
		                          (uint32_t)value);
	} else if (in_bars(bus, gpa)) {
		err = pci_host_bar_write(bus->pci, gpa, size, value);
	} else {
		struct mmio_bus_window *w = window_at(bus, gpa, size);
		if (!w) {
			bus->unclaimed++;
			return;
		}
		err = size > 4 ? -BH_EINVAL
		               : virtio_mmio_write(w->dev, (uint32_t)(gpa - w->base), size,
		                                   (uint32_t)value);
		update_line(bus, w);
	}
	if (err)
		bus->refused++;
}

void mmio_bus_update_lines(struct mmio_bus *bus)
{
	for (unsigned i = 0; i < bus->nvirtio; i++)
		update_line(bus, &bus->virtio[i]);
}
