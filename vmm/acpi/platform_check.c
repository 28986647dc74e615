/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * acpi_platform_check (contract in tables.h): a description the monitor
 * got from the policy is checked before any table is written, so that the
 * guest never sees two devices claiming one address or one interrupt.
 */
#include <stdbool.h>

#include "acpi/tables.h"
#include "bulkhead/errno.h"

#define VIRTIO_ALIGN    0x200u
#define VIRTIO_MIN_SIZE 0x200u
#define LAPIC_SIZE      0x1000u
#define IOAPIC_SIZE     0x1000u
#define RTC_GSI         8u
#define PCI_MEM_ALIGN   0x1000u   /* BARs are at least 4 KiB apart here */

/* [a, a+alen) and [b, b+blen) share a byte; lengths are nonzero and the
 * sums are computed in 64 bits, so nothing wraps. */
static bool overlaps(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	return a < b + blen && b < a + alen;
}

static bool gsi_on_ioapic(const struct acpi_platform *p, uint32_t gsi)
{
	return gsi >= p->ioapic_gsi_base && gsi - p->ioapic_gsi_base < ACPI_IOAPIC_PINS;
}

static int check_window(const struct acpi_platform *p, unsigned i)
{
	const struct acpi_virtio_mmio *v = &p->virtio[i];
	if (v->base % VIRTIO_ALIGN != 0 || v->size < VIRTIO_MIN_SIZE)
		return -BH_EINVAL;
	if ((uint64_t)v->base + v->size > 0x100000000ull || v->base < p->ram_bytes)
		return -BH_EINVAL;
	if (overlaps(v->base, v->size, p->lapic_base, LAPIC_SIZE) ||
	    overlaps(v->base, v->size, p->ioapic_base, IOAPIC_SIZE))
		return -BH_EINVAL;
	if (!gsi_on_ioapic(p, v->gsi) || (v->trigger != ACPI_EDGE_HIGH && v->trigger != ACPI_LEVEL_HIGH))
		return -BH_EINVAL;
	if ((p->has_uart && v->gsi == p->uart_gsi) || (p->has_rtc && v->gsi == RTC_GSI))
		return -BH_EINVAL;
	if (p->has_pci && (overlaps(v->base, v->size, p->ecam_base, ACPI_ECAM_SIZE) ||
	                   overlaps(v->base, v->size, p->pci_mem_base,
	                            p->pci_mem_limit - p->pci_mem_base)))
		return -BH_EINVAL;
	for (unsigned j = 0; j < i; j++) {
		const struct acpi_virtio_mmio *o = &p->virtio[j];
		if (overlaps(v->base, v->size, o->base, o->size) || v->gsi == o->gsi)
			return -BH_EINVAL;
	}
	return 0;
}

/* The range [base, base + len) lies above RAM, below 4 GiB and clear of
 * both APICs. */
static bool device_range_ok(const struct acpi_platform *p, uint64_t base, uint64_t len)
{
	return len && base >= p->ram_bytes && base + len <= 0x100000000ull &&
	       !overlaps(base, len, p->lapic_base, LAPIC_SIZE) &&
	       !overlaps(base, len, p->ioapic_base, IOAPIC_SIZE);
}

static int check_pci(const struct acpi_platform *p)
{
	if (p->ecam_base % ACPI_ECAM_SIZE || !device_range_ok(p, p->ecam_base, ACPI_ECAM_SIZE))
		return -BH_EINVAL;
	if (p->pci_mem_limit <= p->pci_mem_base || p->pci_mem_base % PCI_MEM_ALIGN ||
	    p->pci_mem_limit % PCI_MEM_ALIGN ||
	    !device_range_ok(p, p->pci_mem_base, p->pci_mem_limit - p->pci_mem_base))
		return -BH_EINVAL;
	if (overlaps(p->ecam_base, ACPI_ECAM_SIZE, p->pci_mem_base,
	             p->pci_mem_limit - p->pci_mem_base))
		return -BH_EINVAL;
	return 0;
}

int acpi_platform_check(const struct acpi_platform *p)
{
	if (p->nvcpus == 0 || p->nvcpus > ACPI_MAX_VCPUS || p->nvirtio > ACPI_MAX_VIRTIO)
		return -BH_EINVAL;
	if (p->ioapic_id < p->nvcpus)   /* APIC IDs are 0..nvcpus-1 */
		return -BH_EINVAL;
	if (overlaps(p->lapic_base, LAPIC_SIZE, p->ioapic_base, IOAPIC_SIZE) ||
	    p->lapic_base < p->ram_bytes || p->ioapic_base < p->ram_bytes)
		return -BH_EINVAL;
	if ((uint64_t)p->ioapic_gsi_base + ACPI_IOAPIC_PINS > 0x100000000ull)
		return -BH_EINVAL;
	if (p->has_uart && (!gsi_on_ioapic(p, p->uart_gsi) || p->uart_gsi >= 16 ||
	                    p->uart_port > 0xffff - 8))
		return -BH_EINVAL;
	if (p->has_rtc && !gsi_on_ioapic(p, RTC_GSI))
		return -BH_EINVAL;
	if (p->has_power && (p->s5_type > 7 || p->sleep_control_port == p->sleep_status_port))
		return -BH_EINVAL;   /* SLP_TYP is 3 bits; two registers, two ports */
	if (p->has_pci && check_pci(p))
		return -BH_EINVAL;
	for (unsigned i = 0; i < p->nvirtio; i++) {
		int err = check_window(p, i);
		if (err)
			return err;
	}
	return 0;
}
