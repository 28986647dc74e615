/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Interrupt remapping (contracts in arch/iommu.h): one table of
 * VTD_IRT_ENTRIES entries shared by all units, each entry owned by one
 * (function, MSI number). With compatibility-format interrupts blocked,
 * a device's message reaches a CPU only through a present entry that
 * names that device's source id (Intel VT-d specification §5.1, §9.10).
 */
#include "arch/x86/iommu/iommu_ops.h"

#include <bulkhead/errno.h>
#include <bulkhead/policy_blob.h>

#include "arch/x86/iommu/vtd.h"

#define FIRST_VECTOR 32   /* 0..31 are exceptions */

struct irte_owner {
	bool     used;
	uint32_t pci_address;
	unsigned index;
};

static struct irte_owner owners[VTD_IRT_ENTRIES];

static struct vtd_entry *irte(unsigned handle)
{
	return &((struct vtd_entry *)vtd_phys(vtd.irt))[handle];
}

/* The entry (function, index) owns, or -1. */
static int find(uint32_t pci_address, unsigned index)
{
	for (unsigned h = 0; h < VTD_IRT_ENTRIES; h++)
		if (owners[h].used && owners[h].pci_address == pci_address &&
		    owners[h].index == index)
			return (int)h;
	return -1;
}

/* Makes entry h not present and drops the units' copies of it. */
static int clear(unsigned h)
{
	__atomic_store_n(&irte(h)->lo, 0, __ATOMIC_RELEASE);
	vtd_sync_tables();
	const struct vtd_entry inv = vtd_qi_iec_index((uint16_t)h);
	return vtd_invalidate(&inv, 1);
}

/* Contract in arch/iommu.h. */
int vtd_msi_route(uint32_t pci_address, unsigned index, uint8_t host_vector,
                    uint32_t dest_apic_id, struct iommu_msi *out)
{
	if (!vtd.active)
		return -BH_ENODEV;
	if (BH_POLICY_PCI_SEG(pci_address) != 0 || host_vector < FIRST_VECTOR ||
	    dest_apic_id > 0xff || !out)
		return -BH_EINVAL;
	int h = find(pci_address, index);
	if (h >= 0) {
		int err = clear((unsigned)h);
		if (err)
			return err;
	} else {
		for (unsigned i = 0; i < VTD_IRT_ENTRIES && h < 0; i++)
			if (!owners[i].used)
				h = (int)i;
		if (h < 0)
			return -BH_ENOSPC;
		owners[h] = (struct irte_owner){ true, pci_address, index };
	}

	uint8_t devfn = (uint8_t)(BH_POLICY_PCI_DEV(pci_address) << 3 |
	                          BH_POLICY_PCI_FN(pci_address));
	uint16_t sid = vtd_source_id((uint8_t)BH_POLICY_PCI_BUS(pci_address), devfn);
	vtd_entry_set(irte((unsigned)h), vtd_irte(host_vector, (uint8_t)dest_apic_id, sid));
	vtd_sync_tables();
	const struct vtd_entry inv = vtd_qi_iec_index((uint16_t)h);
	if (vtd_invalidate(&inv, 1))
		return -BH_EIO;
	out->address = vtd_msi_address((uint16_t)h);
	out->data = 0;   /* the subhandle: SHV is set, so the entry is handle + 0 */
	return 0;
}

/* Contract in arch/iommu.h. */
void vtd_msi_unroute(uint32_t pci_address, unsigned index)
{
	int h = vtd.active ? find(pci_address, index) : -1;
	if (h < 0)
		return;
	clear((unsigned)h);
	irte((unsigned)h)->hi = 0;
	owners[h].used = false;
}
