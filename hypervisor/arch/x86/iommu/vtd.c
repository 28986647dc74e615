/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * VT-d bring-up and DMA domains (contracts in arch/iommu.h): finding the
 * units, the root and context tables that put every function in the
 * blocking domain, and moving a function between domains with the
 * invalidations the specification requires (§6.5.3.3: context-cache, then
 * IOTLB of the domain the function leaves).
 */
#include "arch/x86/iommu/iommu_ops.h"

#include <bulkhead/errno.h>
#include <bulkhead/policy_blob.h>

#include "arch/x86/iommu/vtd.h"
#include "arch/x86/iommu/vtd_pagetable.h"
#include "arch/x86/iommu/vtd_regs.h"
#include "arch/x86/mm/kernel_space.h"
#include "kernel/log.h"
#include "lib/format.h"
#include "lib/string.h"
#include "mm/phys.h"

#define PAGE_SIZE 4096ull
#define MAX_DOMAINS 16    /* besides the blocking one; ids 2.. */

struct vtd_state vtd;
static struct iommu_domain domains[MAX_DOMAINS];
static char why_buf[128];

/* Contract in vtd.h. */
uint64_t vtd_frame_alloc(void *ctx)
{
	(void)ctx;
	uint64_t f = frame_alloc(&phys_frames, 1, 1);
	if (f)
		memset(vtd_phys(f), 0, PAGE_SIZE);
	return f;
}

/* Contract in vtd.h. */
void vtd_frame_free(void *ctx, uint64_t phys)
{
	(void)ctx;
	frame_free(&phys_frames, phys, 1);
}

static void *identity(void *ctx, uint64_t phys)
{
	(void)ctx;
	return vtd_phys(phys);
}

static const struct ept_env sl_env = { vtd_frame_alloc, identity, vtd_frame_free, NULL };

/* Contract in vtd.h. */
void vtd_entry_set(struct vtd_entry *e, struct vtd_entry value)
{
	__atomic_store_n(&e->hi, value.hi, __ATOMIC_RELEASE);
	__atomic_store_n(&e->lo, value.lo, __ATOMIC_RELEASE);
}

/* Contract in iommu_ops.h. */
bool vtd_discover(uint64_t rsdp_phys, acpi_map_fn map, void *ctx)
{
	const uint8_t *t;
	uint32_t len;
	vtd.found = -BH_ENODEV;
	if (!rsdp_phys)
		return false;
	int err = acpi_find_table(rsdp_phys, "DMAR", map, ctx, &t, &len);
	if (err == -BH_ENOENT)
		return false;
	vtd.found_why = "it, or the ACPI root table naming it, fails its checks";
	if (!err)
		err = dmar_parse(t, len, &vtd.dmar, &vtd.found_why);
	vtd.found = err;
	return true;
}

/* Maps the unit's registers and reads what it can do. */
static int unit_probe(struct vtd_unit *u, uint64_t base, const char **why)
{
	u->base = base;
	u->regs = vtd_phys(base);
	int err = kernel_space_map_mmio(base, PAGE_SIZE);
	*why = "cannot map its registers";
	if (err)
		return err;
	err = vtd_caps_decode(vtd_read64(u, DMAR_CAP_REG), vtd_read64(u, DMAR_ECAP_REG),
	                      &u->caps, why);
	if (err)
		return err;
	uint64_t end = vtd_caps_reg_end(&u->caps);
	if (end > PAGE_SIZE) {
		*why = "cannot map its fault recording registers";
		err = kernel_space_map_mmio(base + PAGE_SIZE,
		                            (end - PAGE_SIZE + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1));
	}
	return err;
}

/* The shared tables: every bus's root entry names the blocking context
 * table, whose every entry names the blocking domain. */
static int build_tables(const char **why)
{
	*why = "no memory for the remapping tables";
	int err = vtd_sl_init(&vtd.blocking.sl, &sl_env, vtd.levels, false);
	if (err)
		return err;
	vtd.blocking.did = VTD_BLOCKING_DID;
	vtd.root_table = vtd_frame_alloc(NULL);
	vtd.blocking_context = vtd_frame_alloc(NULL);
	vtd.irt = vtd_frame_alloc(NULL);
	if (!vtd.root_table || !vtd.blocking_context || !vtd.irt)
		return -BH_ENOMEM;
	struct vtd_entry block = vtd_context_entry(vtd_sl_root(&vtd.blocking.sl, vtd.levels),
	                                           vtd.levels, VTD_BLOCKING_DID);
	struct vtd_entry *ctx = vtd_phys(vtd.blocking_context);
	struct vtd_entry *root = vtd_phys(vtd.root_table);
	for (unsigned i = 0; i < 256; i++) {
		ctx[i] = block;
		root[i] = vtd_root_entry(vtd.blocking_context);
	}
	return 0;
}

static int fail(int err, const struct vtd_unit *u, const char *what, const char **why)
{
	bh_snprintf(why_buf, sizeof(why_buf), "VT-d at 0x%llx: %s",
	            (unsigned long long)u->base, what);
	*why = why_buf;
	return err;
}

/* Contract in arch/iommu.h. */
int vtd_init(const char **why)
{
	if (vtd.found == -BH_ENODEV || (!vtd.found && !vtd.dmar.nunits)) {
		*why = "no IOMMU found (no ACPI DMAR table): device DMA is not confined";
		return -BH_ENODEV;
	}
	if (vtd.found) {
		bh_snprintf(why_buf, sizeof(why_buf), "the ACPI DMAR table is unusable: %s",
		            vtd.found_why);
		*why = why_buf;
		return vtd.found;
	}

	/* The firmware says whether the platform routes interrupts through
	 * the units (§8.1); without that, remapping would not confine MSIs. */
	if (!(vtd.dmar.flags & DMAR_FLAG_INTR_REMAP)) {
		*why = "the ACPI DMAR says interrupt remapping is not supported";
		return -BH_ENOSYS;
	}
	const char *what;
	vtd.levels = 4;
	vtd.large_2m = vtd.coherent = true;
	for (unsigned i = 0; i < vtd.dmar.nunits; i++) {
		struct vtd_unit *u = &vtd.units[i];
		int err = unit_probe(u, vtd.dmar.units[i].base, &what);
		if (err)
			return fail(err, u, what, why);
		/* One set of context entries serves all units: one walk length. */
		if (i > 0 && u->caps.levels != vtd.levels)
			return fail(-BH_ENOSYS, u, "units differ in page-walk levels", why);
		vtd.levels = u->caps.levels;
		vtd.large_2m &= u->caps.large_2m;
		vtd.coherent &= u->caps.coherent;
		vtd.caching_mode |= u->caps.caching_mode;
	}
	int err = build_tables(&what);
	if (err)
		return fail(err, &vtd.units[0], what, why);
	for (unsigned i = 0; i < vtd.dmar.nunits; i++) {
		err = vtd_unit_enable(&vtd.units[i], &what);
		if (err)
			return fail(err, &vtd.units[i], what, why);
	}
	vtd.active = true;
	for (unsigned i = 0; i < vtd.dmar.nunits; i++)
		kprintf("iommu: VT-d at 0x%llx: DMA and interrupt remapping on, every device "
		        "blocked (%u-level tables)\n",
		        (unsigned long long)vtd.units[i].base, vtd.levels);
	return 0;
}

/* Contract in arch/iommu.h. */
bool vtd_active(void)
{
	return vtd.active;
}

/* Contract in arch/iommu.h. */
struct iommu_domain *vtd_domain_create(void)
{
	if (!vtd.active)
		return NULL;
	for (unsigned i = 0; i < MAX_DOMAINS; i++) {
		struct iommu_domain *d = &domains[i];
		uint16_t did = (uint16_t)(VTD_BLOCKING_DID + 1 + i);
		if (d->sl.root || did >= vtd.units[0].caps.domains)
			continue;
		if (vtd_sl_init(&d->sl, &sl_env, vtd.levels, vtd.large_2m))
			return NULL;
		d->did = did;
		return d;
	}
	return NULL;
}

/* Contract in arch/iommu.h. */
int vtd_domain_map(struct iommu_domain *d, uint64_t iova, uint64_t hpa, uint64_t size,
                     bool writable)
{
	if (!d || !d->sl.root)
		return -BH_EINVAL;
	int err = vtd_sl_map(&d->sl, vtd.levels, iova, hpa, size, writable);
	if (err)
		return err;
	vtd_sync_tables();
	/* Units in caching mode may hold the not-present entries just filled. */
	if (vtd.caching_mode) {
		const struct vtd_entry inv = vtd_qi_iotlb_domain(d->did);
		return vtd_invalidate(&inv, 1);
	}
	return 0;
}

/* The context entry of bus:devfn, giving the bus its own table first if
 * it has none (then every other entry still names the blocking domain). */
static int context_slot(uint8_t bus, uint8_t devfn, struct vtd_entry **slot)
{
	if (!vtd.bus_context[bus]) {
		uint64_t t = vtd_frame_alloc(NULL);
		if (!t)
			return -BH_ENOMEM;
		memcpy(vtd_phys(t), vtd_phys(vtd.blocking_context), PAGE_SIZE);
		vtd_sync_tables();
		vtd_entry_set(&((struct vtd_entry *)vtd_phys(vtd.root_table))[bus],
		              vtd_root_entry(t));
		vtd.bus_context[bus] = t;
		/* Cached root and context entries of the bus are dropped. */
		const struct vtd_entry inv = vtd_qi_context_global();
		int err = vtd_invalidate(&inv, 1);
		if (err)
			return err;
	}
	*slot = &((struct vtd_entry *)vtd_phys(vtd.bus_context[bus]))[devfn];
	return 0;
}

/*
 * Points bus:devfn's context entry at domain d. The entry is made not
 * present and invalidated first, so a unit never reads half an old and
 * half a new entry, and nothing cached of the old domain outlives it.
 */
static int set_context(uint8_t bus, uint8_t devfn, const struct iommu_domain *d)
{
	struct vtd_entry *e;
	int err = context_slot(bus, devfn, &e);
	if (err)
		return err;
	uint16_t sid = vtd_source_id(bus, devfn);
	uint16_t old = (uint16_t)(e->hi >> 8);
	__atomic_store_n(&e->lo, 0, __ATOMIC_RELEASE);
	vtd_sync_tables();
	const struct vtd_entry drop[] = {
		vtd_qi_context_device(old, sid), vtd_qi_iotlb_domain(old),
	};
	err = vtd_invalidate(drop, 2);
	vtd_entry_set(e, vtd_context_entry(vtd_sl_root(&d->sl, vtd.levels), vtd.levels, d->did));
	vtd_sync_tables();
	/* Caching-mode units may hold the not-present entry. */
	const struct vtd_entry take = vtd_qi_context_device(d->did, sid);
	int err2 = vtd_invalidate(&take, 1);
	return err ? err : err2;
}

/* Segment 0 bus:devfn of a policy PCI address that a unit covers. */
static int covered(uint32_t pci_address, uint8_t *bus, uint8_t *devfn)
{
	if (!vtd.active)
		return -BH_ENODEV;
	if (BH_POLICY_PCI_SEG(pci_address) != 0)
		return -BH_EINVAL;
	*bus = (uint8_t)BH_POLICY_PCI_BUS(pci_address);
	*devfn = (uint8_t)(BH_POLICY_PCI_DEV(pci_address) << 3 | BH_POLICY_PCI_FN(pci_address));
	return dmar_unit_for(&vtd.dmar, *bus, *devfn) ? 0 : -BH_ENODEV;
}

/* Contract in arch/iommu.h. */
int vtd_attach(uint32_t pci_address, struct iommu_domain *d)
{
	uint8_t bus, devfn;
	int err = covered(pci_address, &bus, &devfn);
	if (err)
		return err;
	if (!d || !d->sl.root)
		return -BH_EINVAL;
	return set_context(bus, devfn, d);
}

/* Contract in arch/iommu.h. */
void vtd_detach(uint32_t pci_address)
{
	uint8_t bus, devfn;
	/* A bus with no table of its own has every function blocked already. */
	if (covered(pci_address, &bus, &devfn) == 0 && vtd.bus_context[bus] &&
	    set_context(bus, devfn, &vtd.blocking) != 0)
		kprintf("iommu: %02x:%02x.%u: invalidation failed on detach\n",
		        bus, devfn >> 3, devfn & 7);
}

/* Contract in arch/iommu.h. */
void vtd_domain_destroy(struct iommu_domain *d)
{
	if (!d || !d->sl.root)
		return;
	/* A function still attached would walk freed tables: detach it. */
	for (unsigned bus = 0; bus < 256; bus++) {
		if (!vtd.bus_context[bus])
			continue;
		struct vtd_entry *ctx = vtd_phys(vtd.bus_context[bus]);
		for (unsigned devfn = 0; devfn < 256; devfn++)
			if ((ctx[devfn].lo & 1) && (uint16_t)(ctx[devfn].hi >> 8) == d->did)
				set_context((uint8_t)bus, (uint8_t)devfn, &vtd.blocking);
	}
	const struct vtd_entry inv = vtd_qi_iotlb_domain(d->did);
	vtd_invalidate(&inv, 1);
	ept_destroy(&d->sl);
}
