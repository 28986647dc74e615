/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Interrupt remapping on AMD-Vi (contracts in arch/iommu.h, reached
 * through iommu_ops.h). The device table entry names the interrupt table
 * a function's messages go through, so tables are per function and a
 * function can only ever reach entries the kernel wrote for it: that is
 * AMD-Vi's source verification. Every function starts on the shared empty
 * table; its first routed MSI gives it a table of its own, where MSI
 * number index uses entry index (AMD IOMMU specification §2.2.5).
 */
#include <stddef.h>

#include <bulkhead/errno.h>
#include <bulkhead/policy_blob.h>

#include "arch/x86/iommu/amdvi.h"

#define FIRST_VECTOR 32   /* 0..31 are exceptions */
#define MAX_FUNCTIONS 32  /* functions with a table of their own */

struct fn_table {
	bool     used;
	uint16_t devid;
	uint64_t irt;
};

static struct fn_table tables[MAX_FUNCTIONS];

static uint16_t devid_of(uint32_t pci_address)
{
	return (uint16_t)(BH_POLICY_PCI_BUS(pci_address) << 8 |
	                  BH_POLICY_PCI_DEV(pci_address) << 3 | BH_POLICY_PCI_FN(pci_address));
}

/* The function's own table, or NULL. */
static struct fn_table *find(uint16_t devid)
{
	for (unsigned i = 0; i < MAX_FUNCTIONS; i++)
		if (tables[i].used && tables[i].devid == devid)
			return &tables[i];
	return NULL;
}

/* The function's own table, made and named in its device table entry if new. */
static int own_table(uint16_t devid, struct fn_table **out)
{
	struct fn_table *t = find(devid);
	for (unsigned i = 0; i < MAX_FUNCTIONS && !t; i++)
		if (!tables[i].used)
			t = &tables[i];
	if (!t)
		return -BH_ENOSPC;
	if (!t->used) {
		uint64_t irt = amdvi_frame_alloc(NULL);
		if (!irt)
			return -BH_ENOSPC;
		*t = (struct fn_table){ true, devid, irt };
		/* Only the interrupt fields change: one store, DMA goes on. */
		struct amdvi_dte *e = &amdvi.dev_table[devid];
		struct amdvi_dte v = amdvi_dte_make(0, 0, 0, false, irt);
		__atomic_store_n(&e->q[2], v.q[2], __ATOMIC_RELEASE);
		const struct amdvi_cmd inv[] = { amdvi_cmd_inv_devtab(devid), amdvi_cmd_inv_irt(devid) };
		if (amdvi_run(inv, 2))
			return -BH_EIO;
	}
	*out = t;
	return 0;
}

static uint32_t *irte(const struct fn_table *t, unsigned index)
{
	return &((uint32_t *)amdvi_phys(t->irt))[index];
}

/* Contract in iommu_ops.h. */
int amdvi_msi_route(uint32_t pci_address, unsigned index, uint8_t host_vector,
                    uint32_t dest_apic_id, struct iommu_msi *out)
{
	if (!amdvi.active)
		return -BH_ENODEV;
	if (BH_POLICY_PCI_SEG(pci_address) != 0 || host_vector < FIRST_VECTOR ||
	    dest_apic_id > 0xff || !out)
		return -BH_EINVAL;
	if (index >= AMDVI_IRT_ENTRIES)
		return -BH_ENOSPC;
	uint16_t devid = devid_of(pci_address);
	struct fn_table *t;
	int err = own_table(devid, &t);
	if (err)
		return err;
	/* A 32-bit entry changes in one store: no need to clear it first. */
	__atomic_store_n(irte(t, index), amdvi_irte(host_vector, (uint8_t)dest_apic_id),
	                 __ATOMIC_RELEASE);
	const struct amdvi_cmd inv = amdvi_cmd_inv_irt(devid);
	if (amdvi_run(&inv, 1))
		return -BH_EIO;
	out->address = AMDVI_MSI_ADDRESS;
	out->data = amdvi_msi_data((uint16_t)index);
	return 0;
}

/* Contract in iommu_ops.h. */
void amdvi_msi_unroute(uint32_t pci_address, unsigned index)
{
	struct fn_table *t = amdvi.active ? find(devid_of(pci_address)) : NULL;
	if (!t || index >= AMDVI_IRT_ENTRIES || !*irte(t, index))
		return;
	__atomic_store_n(irte(t, index), 0, __ATOMIC_RELEASE);
	const struct amdvi_cmd inv = amdvi_cmd_inv_irt(t->devid);
	amdvi_run(&inv, 1);
}
