/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Device grants (docs/design.md, "Devices and DMA"): the policy's device
 * table, enforced. A granted PCI function belongs to one VM at a time,
 * the one its grant names (a native VM, or a Linux guest, whose monitor
 * reaches its configuration space on its behalf):
 *  - its memory BARs are mapped, uncached, into that VM only, at
 *    BH_GUEST_DEVICE_BASE and up;
 *  - its configuration space is seen through kernel/device_config.h;
 *  - its DMA goes through an IOMMU domain mapping exactly that VM's
 *    memory, and every other device sits in a domain that maps nothing;
 *  - its MSI reaches the kernel on a vector of its own (remapped by the
 *    IOMMU) and is posted to the VM as the vector the VM programmed.
 * Without an IOMMU no VM gets a device, unless the policy declares the
 * machine unprotected (test platforms), which is logged on every boot.
 * Between holders the function is quiet: no memory decoding, no bus
 * mastering, no interrupts, and in the blocking domain.
 */
#ifndef KERNEL_DEVICE_H
#define KERNEL_DEVICE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mm/memmap.h"

#include "kernel/hypercall.h"
#include "kernel/vm.h"

/*
 * Reads the validated policy's device table, finds each function on the
 * host, sizes its BARs and quiets it. iommu_rc is what the IOMMU's set-up
 * returned (0: confining every device; it logged why otherwise); regions
 * the machine's memory map (kept: no BAR may claim memory it lists).
 * Logs each grant's state; a grant that cannot be honoured (no such
 * function, no IOMMU on a protected machine) is logged and refused to
 * its VM at creation.
 */
void devices_init(const void *policy, int iommu_rc, const struct mem_region *regions,
                  size_t nregions);

/*
 * vm (a native VM or a Linux guest, not a monitor) was just built: gives
 * it the devices the policy grants it. 0, or a negative error after
 * logging why (the VM must not start: it was promised a device it cannot
 * have, or one another live VM holds).
 */
int devices_vm_created(struct vm *vm);

/* vm (a Linux guest) is reset by its monitor: its devices go quiet (no DMA
 * into the memory about to be reloaded, no message) and its view of them
 * is as at boot, while it keeps them. */
void devices_vm_reset(struct vm *vm);

/* vm is being reaped: its devices go quiet and back to the blocking
 * domain before its memory is scrubbed and freed. */
void devices_vm_reaped(struct vm *vm);

/* How many devices vm holds (they are its bus-0 devices 1..n). */
uint32_t devices_held(const struct vm *vm);

/* The interrupt of vector slot slot (arch/pci.h) arrived. True if it gave
 * a VM work (a vector posted). */
bool device_interrupt(unsigned slot);

/* Whether vm (a Linux guest or its monitor, or a native VM) holds a
 * granted device. */
bool devices_vm_holds(struct vm *vm);

/* Passes on the device interrupts this CPU took (device_interrupt for
 * each); the scheduler calls it every pass. */
void devices_take_interrupts(void);

/* BH_HC_DEVICE_CONFIG (bulkhead/hypercall.h). */
int64_t device_config_call(struct vm *vm, const uint64_t *arg, enum hc_next *next);

/* BH_HC_DEVICE_MMIO (bulkhead/hypercall.h): the MSI-X table. */
int64_t device_mmio_call(struct vm *vm, const uint64_t *arg, enum hc_next *next);

/* Logs new IOMMU faults; called by the scheduler now and then. */
void devices_poll(uint64_t now);

#endif
