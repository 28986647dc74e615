/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The IOMMU drivers behind arch/iommu.h, private to arch/x86/iommu/: Intel
 * VT-d (vtd*.c, found through the ACPI DMAR) and AMD-Vi (amdvi*.c, found
 * through the ACPI IVRS). iommu.c asks each to discover its table and
 * then passes every arch/iommu.h call to the one that found it. Each
 * function here has the contract of its iommu_ namesake in arch/iommu.h,
 * except discover, which also says whether the driver's table exists.
 */
#ifndef ARCH_X86_IOMMU_IOMMU_OPS_H
#define ARCH_X86_IOMMU_IOMMU_OPS_H

#include <stdbool.h>
#include <stdint.h>

#include "arch/iommu.h"
#include "arch/x86/mm/ept.h"

/*
 * A DMA address space. Both drivers keep their page table in an ept
 * (mm/ept.h: VT-d's second-level tables are EPT-shaped; AMD-Vi's are
 * built by amdvi_pagetable.c but freed by ept_destroy) and tag it in the
 * IOMMU's caches with a domain id.
 */
struct iommu_domain {
	struct ept sl;           /* the page table; sl.root 0 when free */
	uint16_t did;
};

struct iommu_ops {
	const char *name;
	/* Reads the driver's ACPI table; true if it exists (even if malformed). */
	bool (*discover)(uint64_t rsdp_phys, acpi_map_fn map, void *ctx);
	int (*init)(const char **why);
	bool (*active)(void);
	struct iommu_domain *(*domain_create)(void);
	int (*domain_map)(struct iommu_domain *d, uint64_t iova, uint64_t hpa, uint64_t size,
	                  bool writable);
	void (*domain_destroy)(struct iommu_domain *d);
	int (*attach)(uint32_t pci_address, struct iommu_domain *d);
	void (*detach)(uint32_t pci_address);
	int (*msi_route)(uint32_t pci_address, unsigned index, uint8_t host_vector,
	                 uint32_t dest_apic_id, struct iommu_msi *out);
	void (*msi_unroute)(uint32_t pci_address, unsigned index);
	void (*poll_faults)(void);
};

/* Whether a driver may log one more fault line now (iommu.c): both share
 * one limit, a burst then one line a second, and the first line allowed
 * after a suppressed spell says how many faults it hid. */
bool iommu_fault_line_allowed(void);

/* VT-d (vtd.c, vtd_irq.c, vtd_fault.c). */
bool vtd_discover(uint64_t rsdp_phys, acpi_map_fn map, void *ctx);
int vtd_init(const char **why);
bool vtd_active(void);
struct iommu_domain *vtd_domain_create(void);
int vtd_domain_map(struct iommu_domain *d, uint64_t iova, uint64_t hpa, uint64_t size,
                   bool writable);
void vtd_domain_destroy(struct iommu_domain *d);
int vtd_attach(uint32_t pci_address, struct iommu_domain *d);
void vtd_detach(uint32_t pci_address);
int vtd_msi_route(uint32_t pci_address, unsigned index, uint8_t host_vector,
                  uint32_t dest_apic_id, struct iommu_msi *out);
void vtd_msi_unroute(uint32_t pci_address, unsigned index);
void vtd_poll_faults(void);

/* AMD-Vi (amdvi.c, amdvi_irq.c, amdvi_fault.c). */
bool amdvi_discover(uint64_t rsdp_phys, acpi_map_fn map, void *ctx);
int amdvi_init(const char **why);
bool amdvi_active(void);
struct iommu_domain *amdvi_domain_create(void);
int amdvi_domain_map(struct iommu_domain *d, uint64_t iova, uint64_t hpa, uint64_t size,
                     bool writable);
void amdvi_domain_destroy(struct iommu_domain *d);
int amdvi_attach(uint32_t pci_address, struct iommu_domain *d);
void amdvi_detach(uint32_t pci_address);
int amdvi_msi_route(uint32_t pci_address, unsigned index, uint8_t host_vector,
                    uint32_t dest_apic_id, struct iommu_msi *out);
void amdvi_msi_unroute(uint32_t pci_address, unsigned index);
void amdvi_poll_faults(void);

#endif
