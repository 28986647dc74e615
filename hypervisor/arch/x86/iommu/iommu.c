/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * arch/iommu.h on x86: the ACPI tables say which IOMMU the platform has,
 * the DMAR (Intel VT-d) or the IVRS (AMD-Vi); every call goes to the
 * driver whose table was found (iommu_ops.h). A platform has one kind,
 * so the first table found, in that order, decides.
 */
#include "arch/iommu.h"

#include <stddef.h>

#include <bulkhead/errno.h>

#include "arch/x86/iommu/iommu_ops.h"
#include "arch/time.h"
#include "kernel/log.h"
#include "kernel/log_limit.h"

static const struct iommu_ops vtd_ops = {
	"VT-d", vtd_discover, vtd_init, vtd_active, vtd_domain_create, vtd_domain_map,
	vtd_domain_destroy, vtd_attach, vtd_detach, vtd_msi_route, vtd_msi_unroute,
	vtd_poll_faults,
};

static const struct iommu_ops amdvi_ops = {
	"AMD-Vi", amdvi_discover, amdvi_init, amdvi_active, amdvi_domain_create,
	amdvi_domain_map, amdvi_domain_destroy, amdvi_attach, amdvi_detach, amdvi_msi_route,
	amdvi_msi_unroute, amdvi_poll_faults,
};

static const struct iommu_ops *const drivers[] = { &vtd_ops, &amdvi_ops };

static const struct iommu_ops *found;   /* NULL: no table found */

/* Contract in arch/iommu.h. */
void iommu_discover(uint64_t rsdp_phys, acpi_map_fn map, void *ctx)
{
	found = NULL;
	for (unsigned i = 0; i < sizeof(drivers) / sizeof(drivers[0]) && !found; i++)
		if (drivers[i]->discover(rsdp_phys, map, ctx))
			found = drivers[i];
}

/* Contract in arch/iommu.h. */
int iommu_init(const char **why)
{
	if (!found) {
		*why = "no IOMMU found (no ACPI DMAR or IVRS table): device DMA is not confined";
		return -BH_ENODEV;
	}
	return found->init(why);
}

/* Contract in arch/iommu.h. */
bool iommu_active(void)
{
	return found && found->active();
}

/* Contract in arch/iommu.h. */
struct iommu_domain *iommu_domain_create(void)
{
	return iommu_active() ? found->domain_create() : NULL;
}

/* Contract in arch/iommu.h. */
int iommu_domain_map(struct iommu_domain *d, uint64_t iova, uint64_t hpa, uint64_t size,
                     bool writable)
{
	return iommu_active() ? found->domain_map(d, iova, hpa, size, writable) : -BH_EINVAL;
}

/* Contract in arch/iommu.h. */
void iommu_domain_destroy(struct iommu_domain *d)
{
	if (iommu_active())
		found->domain_destroy(d);
}

/* Contract in arch/iommu.h. */
int iommu_attach(uint32_t pci_address, struct iommu_domain *d)
{
	return iommu_active() ? found->attach(pci_address, d) : -BH_ENODEV;
}

/* Contract in arch/iommu.h. */
void iommu_detach(uint32_t pci_address)
{
	if (iommu_active())
		found->detach(pci_address);
}

/* Contract in arch/iommu.h. */
int iommu_msi_route(uint32_t pci_address, unsigned index, uint8_t host_vector,
                    uint32_t dest_apic_id, struct iommu_msi *out)
{
	if (!iommu_active())
		return -BH_ENODEV;
	return found->msi_route(pci_address, index, host_vector, dest_apic_id, out);
}

/* Contract in arch/iommu.h. */
void iommu_msi_unroute(uint32_t pci_address, unsigned index)
{
	if (iommu_active())
		found->msi_unroute(pci_address, index);
}

/* Contract in arch/iommu.h. */
void iommu_poll_faults(void)
{
	if (iommu_active())
		found->poll_faults();
}

#define FAULT_LINES_BURST 5   /* lines at once after a quiet spell, then one a second */

bool iommu_fault_line_allowed(void)
{
	static struct log_limit limit;
	uint64_t second = arch_tsc_hz();
	if (!log_limit_allow(&limit, arch_tsc(), second, FAULT_LINES_BURST * second))
		return false;
	if (limit.suppressed) {
		kprintf("iommu: %llu faults not shown\n", (unsigned long long)limit.suppressed);
		limit.suppressed = 0;
	}
	return true;
}
