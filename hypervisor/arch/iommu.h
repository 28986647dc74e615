/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The IOMMU, as generic kernel code sees it: what confines the DMA and the
 * MSIs of PCI functions (docs/iommu.md). On x86 it is Intel VT-d
 * (arch/x86/iommu/). Once iommu_init succeeds every PCI function sits in a
 * blocking domain that maps nothing, so all of its DMA faults, and every
 * interrupt message a device sends must go through the interrupt remapping
 * table, where only entries the kernel wrote (iommu_msi_route) are present.
 * A function reaches memory only after iommu_attach puts it in a domain,
 * and only the memory iommu_domain_map put there.
 *
 * PCI functions are named as in the policy blob: BH_POLICY_PCI(seg, bus,
 * dev, fn) (bulkhead/policy_blob.h). Only segment 0 is supported.
 *
 * Called on any CPU, with the kernel lock held and interrupts off (the
 * kernel's rule, kernel/kernel_lock.h); nothing here locks.
 */
#ifndef ARCH_IOMMU_H
#define ARCH_IOMMU_H

#include <stdbool.h>
#include <stdint.h>

#include "acpi/acpi.h"

struct iommu_domain;   /* opaque: an address space for DMA */

/*
 * Reads the firmware's description of the IOMMUs (on x86 the ACPI DMAR)
 * while its tables are still mapped (kernel/main.c, before the kernel's
 * own page tables), and keeps what iommu_init needs. rsdp_phys 0 or a
 * missing table leaves nothing found; a malformed one is remembered with
 * its reason, which iommu_init reports.
 */
void iommu_discover(uint64_t rsdp_phys, acpi_map_fn map, void *ctx);

/*
 * Turns the IOMMU on: every function in the blocking domain, interrupt
 * remapping on with no entry present. Needs the frame allocator (after
 * phys_init) and iommu_discover before it. Returns 0 and logs one line
 * naming the unit(s); -BH_ENODEV if no IOMMU was found (*why says so);
 * another negative error if one was found but could not be used (*why
 * says why; the IOMMU is then left off, or blocking every device).
 * iommu_active() is true only after 0.
 */
int iommu_init(const char **why);

/* True once iommu_init succeeded: device DMA and MSIs are confined. */
bool iommu_active(void);

/* A domain that maps nothing; NULL if memory ran out or no IOMMU is active. */
struct iommu_domain *iommu_domain_create(void);

/*
 * Lets DMA to [iova, iova+size) reach host-physical [hpa, hpa+size), for
 * reads always and for writes if writable. All three 4 KiB aligned, size
 * non-zero, iova+size within the domain's address width (at least 2^39).
 * Returns 0; -BH_EINVAL on bad arguments; -BH_EEXIST if any page of the
 * range is mapped already; -BH_ENOMEM. On any error no page of the range
 * is mapped.
 */
int iommu_domain_map(struct iommu_domain *d, uint64_t iova, uint64_t hpa, uint64_t size,
                     bool writable);

/* Frees the domain and its tables; no function may be attached to it any more. */
void iommu_domain_destroy(struct iommu_domain *d);

/*
 * Puts the function in domain d, replacing whatever domain it was in,
 * and invalidates the IOMMU's caches for it, so its next DMA is
 * translated by d. Returns 0; -BH_EINVAL for a bad address or a NULL
 * domain; -BH_ENODEV if no IOMMU is active or none covers the function;
 * -BH_EIO if the IOMMU did not complete the invalidation.
 */
int iommu_attach(uint32_t pci_address, struct iommu_domain *d);

/*
 * Puts the function back in the blocking domain. Returns only once the
 * IOMMU's context and IOTLB caches no longer hold its old domain, so the
 * memory that domain mapped may be reused at once.
 */
void iommu_detach(uint32_t pci_address);

/* What to write into a device's MSI address and data registers. */
struct iommu_msi {
	uint64_t address;
	uint32_t data;
};

/*
 * Routes the function's MSI number index (0 for plain MSI) to host_vector
 * on the CPU whose APIC id is dest_apic_id: writes an interrupt remapping
 * entry (fixed delivery, edge, physical destination) that only requests
 * from this function may use (source-id verification), and invalidates
 * the IOMMU's copy of it. *out is the remappable-format message naming
 * that entry. Routing the same (function, index) again replaces the entry.
 * Returns 0; -BH_EINVAL for a bad address, vector (< 32) or APIC id
 * (> 255: xAPIC destinations only); -BH_ENODEV if no IOMMU is active;
 * -BH_ENOSPC if the table is full; -BH_EIO if the invalidation failed.
 */
int iommu_msi_route(uint32_t pci_address, unsigned index, uint8_t host_vector,
                    uint32_t dest_apic_id, struct iommu_msi *out);

/* Removes that entry (messages naming it are blocked); nothing if there is none. */
void iommu_msi_unroute(uint32_t pci_address, unsigned index);

/*
 * Logs each new fault the IOMMU recorded: the function (BB:DD.F), the
 * address, read or write, and the reason, at a limited rate, and clears it
 * so the IOMMU can record more. Called from the timer tick: when nothing
 * is pending it reads one register per unit.
 */
void iommu_poll_faults(void);

#endif
