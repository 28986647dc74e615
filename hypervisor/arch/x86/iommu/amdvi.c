/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * AMD-Vi bring-up and DMA domains (contracts in arch/iommu.h, reached
 * through iommu_ops.h): finding the units in the IVRS, the device table
 * that puts every device ID in the blocking domain, and moving a function
 * between domains with the invalidations the specification asks for
 * (AMD IOMMU specification §2.4: INVALIDATE_DEVTAB_ENTRY after a device
 * table change, INVALIDATE_IOMMU_PAGES for the domain it left).
 *
 * The blocking domain is a valid, translating entry (Mode 4) whose page
 * table maps nothing and whose IR and IW bits are clear, so every DMA of a
 * function in it faults at the device table, and whose interrupt table
 * (shared by every function until iommu_msi_route gives it its own) has
 * no entry with RemapEn set, so every message it sends is aborted.
 */
#include <stddef.h>

#include <bulkhead/errno.h>
#include <bulkhead/policy_blob.h>

#include "arch/x86/iommu/amdvi.h"
#include "arch/x86/iommu/amdvi_pagetable.h"
#include "arch/x86/iommu/amdvi_regs.h"
#include "arch/x86/mm/kernel_space.h"
#include "kernel/log.h"
#include "lib/format.h"
#include "lib/string.h"
#include "mm/phys.h"

#define PAGE_SIZE 4096ull
#define MAX_DOMAINS 16    /* besides the blocking one; ids 2.. */

struct amdvi_state amdvi;
static struct iommu_domain domains[MAX_DOMAINS];
static char why_buf[128];

/* Contract in amdvi.h. */
uint64_t amdvi_frame_alloc(void *ctx)
{
	(void)ctx;
	uint64_t f = frame_alloc(&phys_frames, 1, 1);
	if (f)
		memset(amdvi_phys(f), 0, PAGE_SIZE);
	return f;
}

/* Contract in amdvi.h. */
void amdvi_frame_free(void *ctx, uint64_t phys)
{
	(void)ctx;
	frame_free(&phys_frames, phys, 1);
}

static void *identity(void *ctx, uint64_t phys)
{
	(void)ctx;
	return amdvi_phys(phys);
}

static const struct ept_env pt_env = { amdvi_frame_alloc, identity, amdvi_frame_free, NULL };

/* Contract in iommu_ops.h. */
bool amdvi_discover(uint64_t rsdp_phys, acpi_map_fn map, void *ctx)
{
	const uint8_t *t;
	uint32_t len;
	amdvi.found = -BH_ENODEV;
	if (!rsdp_phys)
		return false;
	int err = acpi_find_table(rsdp_phys, "IVRS", map, ctx, &t, &len);
	if (err == -BH_ENOENT)
		return false;
	amdvi.found_why = "it, or the ACPI root table naming it, fails its checks";
	if (!err)
		err = ivrs_parse(t, len, &amdvi.ivrs, &amdvi.found_why);
	amdvi.found = err;
	return true;
}

static struct amdvi_dte entry_for(const struct iommu_domain *d, uint64_t irt)
{
	return amdvi_dte_make(d->sl.root, AMDVI_PT_LEVELS, d->did, d != &amdvi.blocking, irt);
}

/* Contract in amdvi.h. */
int amdvi_dte_set(uint16_t devid, struct amdvi_dte value)
{
	struct amdvi_dte *e = &amdvi.dev_table[devid];
	uint16_t old = amdvi_dte_domain(e);
	__atomic_store_n(&e->q[0], e->q[0] & ~(AMDVI_DTE_IR | AMDVI_DTE_IW), __ATOMIC_RELEASE);
	const struct amdvi_cmd drop[] = { amdvi_cmd_inv_devtab(devid), amdvi_cmd_inv_pages(old) };
	int err = amdvi_run(drop, 2);
	for (int i = 3; i >= 0; i--)
		__atomic_store_n(&e->q[i], value.q[i], __ATOMIC_RELEASE);
	const struct amdvi_cmd take[] = { amdvi_cmd_inv_devtab(devid), amdvi_cmd_inv_irt(devid) };
	int err2 = amdvi_run(take, 2);
	return err ? err : err2;
}

/* Maps the unit's registers and reads what it can do. */
static int unit_probe(struct amdvi_unit *u, const struct ivrs_unit *iu, const char **why)
{
	u->base = iu->base;
	u->regs = amdvi_phys(iu->base);
	*why = "cannot map its registers";
	int err = kernel_space_map_mmio(iu->base, AMDVI_MMIO_SIZE);
	if (err)
		return err;
	u->efr = amdvi_read64(u, AMDVI_EXT_FEATURES);
	return 0;
}

/* The device table, every entry in the blocking domain. */
static int build_tables(const char **why)
{
	*why = "no memory for the device table";
	int err = amdvi_pt_init(&amdvi.blocking.sl, &pt_env);
	if (err)
		return err;
	amdvi.blocking.did = AMDVI_BLOCKING_DID;
	amdvi.empty_irt = amdvi_frame_alloc(NULL);
	uint64_t table = frame_alloc(&phys_frames, AMDVI_DEV_TABLE_PAGES, 1);
	if (!amdvi.empty_irt || !table)
		return -BH_ENOMEM;
	amdvi.dev_table = amdvi_phys(table);
	struct amdvi_dte block = entry_for(&amdvi.blocking, amdvi.empty_irt);
	for (unsigned i = 0; i < AMDVI_DEVICE_IDS; i++)
		amdvi.dev_table[i] = block;
	return 0;
}

static int fail(int err, const struct amdvi_unit *u, const char *what, const char **why)
{
	bh_snprintf(why_buf, sizeof(why_buf), "AMD-Vi at 0x%llx: %s",
	            (unsigned long long)u->base, what);
	*why = why_buf;
	return err;
}

/* Contract in iommu_ops.h. */
int amdvi_init(const char **why)
{
	if (amdvi.found == -BH_ENODEV) {
		*why = "no IOMMU found (no ACPI IVRS table): device DMA is not confined";
		return -BH_ENODEV;
	}
	if (amdvi.found) {
		bh_snprintf(why_buf, sizeof(why_buf), "the ACPI IVRS table is unusable: %s",
		            amdvi.found_why);
		*why = why_buf;
		return amdvi.found;
	}
	const char *what;
	for (unsigned i = 0; i < amdvi.ivrs.nunits; i++) {
		int err = unit_probe(&amdvi.units[i], &amdvi.ivrs.units[i], &what);
		if (err)
			return fail(err, &amdvi.units[i], what, why);
	}
	int err = build_tables(&what);
	if (err)
		return fail(err, &amdvi.units[0], what, why);
	for (unsigned i = 0; i < amdvi.ivrs.nunits; i++) {
		err = amdvi_unit_enable(&amdvi.units[i], &what);
		if (err)
			return fail(err, &amdvi.units[i], what, why);
	}
	amdvi.active = true;
	for (unsigned i = 0; i < amdvi.ivrs.nunits; i++)
		kprintf("iommu: AMD-Vi at 0x%llx: DMA and interrupt remapping on, every device "
		        "blocked (%u-level tables)\n",
		        (unsigned long long)amdvi.units[i].base, AMDVI_PT_LEVELS);
	return 0;
}

/* Contract in iommu_ops.h. */
bool amdvi_active(void)
{
	return amdvi.active;
}

/* Contract in iommu_ops.h. */
struct iommu_domain *amdvi_domain_create(void)
{
	if (!amdvi.active)
		return NULL;
	for (unsigned i = 0; i < MAX_DOMAINS; i++) {
		struct iommu_domain *d = &domains[i];
		if (d->sl.root)
			continue;
		if (amdvi_pt_init(&d->sl, &pt_env))
			return NULL;
		d->did = (uint16_t)(AMDVI_BLOCKING_DID + 1 + i);
		return d;
	}
	return NULL;
}

/* Contract in iommu_ops.h. */
int amdvi_domain_map(struct iommu_domain *d, uint64_t iova, uint64_t hpa, uint64_t size,
                     bool writable)
{
	if (!d || !d->sl.root)
		return -BH_EINVAL;
	int err = amdvi_pt_map(&d->sl, iova, hpa, size, writable);
	if (err)
		return err;
	/* A unit that caches not-present entries (capability NpCache) may
	 * hold the ones just filled. */
	const struct amdvi_cmd inv = amdvi_cmd_inv_pages(d->did);
	return amdvi_run(&inv, 1);
}

/* The device ID of a policy PCI address that a unit covers. */
static int covered(uint32_t pci_address, uint16_t *devid)
{
	if (!amdvi.active)
		return -BH_ENODEV;
	if (BH_POLICY_PCI_SEG(pci_address) != 0)
		return -BH_EINVAL;
	*devid = (uint16_t)(BH_POLICY_PCI_BUS(pci_address) << 8 |
	                    BH_POLICY_PCI_DEV(pci_address) << 3 | BH_POLICY_PCI_FN(pci_address));
	return ivrs_unit_for(&amdvi.ivrs, *devid) ? 0 : -BH_ENODEV;
}

/* Puts devid in domain d, keeping its interrupt table. */
static int set_domain(uint16_t devid, const struct iommu_domain *d)
{
	return amdvi_dte_set(devid, entry_for(d, amdvi_dte_irt(&amdvi.dev_table[devid])));
}

/* Contract in iommu_ops.h. */
int amdvi_attach(uint32_t pci_address, struct iommu_domain *d)
{
	uint16_t devid;
	int err = covered(pci_address, &devid);
	if (err)
		return err;
	if (!d || !d->sl.root)
		return -BH_EINVAL;
	return set_domain(devid, d);
}

/* Contract in iommu_ops.h. */
void amdvi_detach(uint32_t pci_address)
{
	uint16_t devid;
	if (covered(pci_address, &devid) == 0 &&
	    amdvi_dte_domain(&amdvi.dev_table[devid]) != AMDVI_BLOCKING_DID &&
	    set_domain(devid, &amdvi.blocking) != 0)
		kprintf("iommu: %02x:%02x.%u: invalidation failed on detach\n",
		        devid >> 8, (devid >> 3) & 0x1f, devid & 7);
}

/* Contract in iommu_ops.h. */
void amdvi_domain_destroy(struct iommu_domain *d)
{
	if (!d || !d->sl.root)
		return;
	/* A function still attached would walk freed tables: detach it. */
	for (unsigned devid = 0; devid < AMDVI_DEVICE_IDS; devid++)
		if (amdvi_dte_domain(&amdvi.dev_table[devid]) == d->did)
			set_domain((uint16_t)devid, &amdvi.blocking);
	const struct amdvi_cmd inv = amdvi_cmd_inv_pages(d->did);
	amdvi_run(&inv, 1);
	ept_destroy(&d->sl);
}
