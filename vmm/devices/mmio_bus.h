/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The guest's device window (BH_LINUX_MMIO_BASE..LIMIT, bulkhead/monitor.h):
 * which model answers an MMIO access. The local APIC's page at
 * 0xfee00000, the IOAPIC's at 0xfec00000, up to MMIO_BUS_VIRTIO_MAX
 * virtio-mmio windows, each with the IOAPIC pin its interrupt line drives,
 * and, for a guest with PCI, the host bridge's ECAM window (pci_host.h).
 * An address no model claims, or an access a model refuses, reads all
 * ones and ignores writes; both are counted. After each virtio access
 * the window's line is brought to the IOAPIC, since an access (an
 * interrupt acknowledgement, a reset) may lower it. Pure.
 */
#ifndef VMM_DEVICES_MMIO_BUS_H
#define VMM_DEVICES_MMIO_BUS_H

#include <stdint.h>

#include "devices/ioapic.h"
#include "devices/lapic.h"
#include "devices/pci_host.h"
#include "virtio/mmio.h"

#define MMIO_BUS_VIRTIO_MAX 8

struct mmio_bus_window {
	uint64_t base, size;          /* guest-physical */
	struct virtio_mmio *dev;
	unsigned gsi;                 /* IOAPIC pin */
};

struct mmio_bus {
	struct lapic *lapic;
	struct ioapic *ioapic;
	unsigned nvirtio;
	struct mmio_bus_window virtio[MMIO_BUS_VIRTIO_MAX];
	struct pci_host *pci;         /* NULL: no ECAM window */
	uint64_t ecam_base, ecam_size;
	uint64_t unclaimed;           /* accesses no model took */
	uint64_t refused;             /* accesses a model refused */
};

/* Binds bus to the two interrupt controllers; no virtio windows yet. */
void mmio_bus_init(struct mmio_bus *bus, struct lapic *lapic, struct ioapic *ioapic);

/* Adds a virtio window; 0, or -BH_ENOSPC when all are taken, -BH_EINVAL
 * for a window that is empty, wraps or overlaps the APICs, the ECAM
 * window or another. */
int mmio_bus_add_virtio(struct mmio_bus *bus, uint64_t base, uint64_t size,
                        struct virtio_mmio *dev, unsigned gsi);

/* Adds the host bridge's ECAM window [base, base + size): accesses there
 * go to pci_host_ecam_read/write at their offset. 0, or -BH_EINVAL if
 * there is one already, size is 0 or above PCI_ECAM_BUS_SIZE (bus 0
 * only), or the window wraps or overlaps the APICs or a virtio window. */
int mmio_bus_add_ecam(struct mmio_bus *bus, uint64_t base, uint64_t size, struct pci_host *pci);

/* A read of size (1, 2, 4 or 8) bytes at gpa, TSC now tsc. Returns the
 * value; all ones of the size where nothing answers. */
uint64_t mmio_bus_read(struct mmio_bus *bus, uint64_t gpa, unsigned size, uint64_t tsc);

/* A write of size bytes of value at gpa. */
void mmio_bus_write(struct mmio_bus *bus, uint64_t gpa, unsigned size, uint64_t value,
                    uint64_t tsc);

/* Brings every virtio window's interrupt line to the IOAPIC (after the
 * device side raised or lowered one outside a guest access). */
void mmio_bus_update_lines(struct mmio_bus *bus);

#endif
