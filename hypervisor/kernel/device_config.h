/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What a driver VM sees of its granted PCI function's configuration space
 * (docs/design.md, "Devices and DMA"): the device's own registers, except
 * where letting the VM write them would reach past its grant. Pure: the
 * device is reached through struct dcfg_ops, so host tests run it against
 * a simulated function.
 *
 * Virtualised (the VM's view is kept here, the device never sees the write):
 *  - the BARs: they read as the guest-physical addresses the kernel mapped
 *    them at, and sizing (writing all ones) works as on hardware; a write
 *    never moves the device, and I/O BARs read as 0 (they are not passed);
 *  - the expansion ROM BAR reads 0, interrupt pin reads 0 (no INTx: the
 *    VM gets MSIs), interrupt line is a plain byte of storage;
 *  - the capability list shows only power management, MSI, MSI-X and PCI
 *    Express; vendor and all extended capabilities are unlinked, and the
 *    offsets past 0x100 read as 0;
 *  - MSI: address and data are the VM's (its vector), one message only;
 *    the device itself is programmed by the kernel (msi_changed) with a
 *    remapped message naming a host vector;
 *  - MSI-X: the enable and function-mask bits are the VM's, and so is the
 *    whole table, which the kernel does not map: the VM's accesses to it
 *    reach dcfg_msix_access, and the kernel programs the device's own
 *    table (msix_changed) with remapped messages, entry by entry. At most
 *    DCFG_MSIX_MAX entries are shown. The pending-bit array reads as 0.
 * Passed through with a mask: the command register (memory space, bus
 * master and INTx disable only: never I/O space, SERR or parity error
 * reporting), status (its write-one-to-clear bits), cache line size and
 * latency timer. Every other write is dropped, among them power
 * management control (a D3 round trip would reset the BARs under the
 * kernel's mappings) and PCI Express device, link and device-2 control
 * (payload sizes, phantom functions, no-snoop, function-level reset,
 * ASPM: settings of the link and the platform, not of one VM). Every
 * other read passes. A capability whose registers would run past the
 * standard 256 bytes is not shown.
 */
#ifndef KERNEL_DEVICE_CONFIG_H
#define KERNEL_DEVICE_CONFIG_H

#include <stdbool.h>
#include <stdint.h>

#define DCFG_BARS 6

/* Config space offsets and bits (PCI Local Bus Spec. 3.0 §6, PCIe Base
 * Spec. §7). */
#define PCI_VENDOR_ID       0x00
#define PCI_COMMAND         0x04
#define PCI_STATUS          0x06
#define PCI_CACHE_LINE      0x0c
#define PCI_HEADER_TYPE     0x0e
#define PCI_BAR0            0x10
#define PCI_ROM_BAR         0x30
#define PCI_CAP_PTR         0x34
#define PCI_INTERRUPT_LINE  0x3c
#define PCI_STATUS_CAP_LIST 0x10
#define PCI_CMD_IO          0x0001
#define PCI_CMD_MEMORY      0x0002
#define PCI_CMD_MASTER      0x0004
#define PCI_CMD_PARITY      0x0040
#define PCI_CMD_SERR        0x0100
#define PCI_CMD_INTX_OFF    0x0400
#define PCI_CAP_PM          0x01
#define PCI_CAP_MSI         0x05
#define PCI_CAP_EXP         0x10
#define PCI_CAP_MSIX        0x11
#define PCI_MSI_ENABLE      0x0001
#define PCI_MSIX_ENABLE     0x8000
#define PCI_MSIX_MASKALL    0x4000
#define PCI_MSIX_SIZE       0x07ff   /* table size - 1 */
#define PCI_MSIX_ENTRY_MASKED 0x1
#define PCI_MSI_64BIT       0x0080
#define PCI_MSI_MASKABLE    0x0100
#define PCI_EXP_DEVCTL_FLR  0x8000
#define PCI_CONFIG_SIZE     4096u
#define PCI_STD_SIZE        256u

struct dcfg_ops {
	uint32_t (*read)(void *ctx, unsigned off, unsigned size);
	void (*write)(void *ctx, unsigned off, unsigned size, uint32_t value);
	/* The VM enabled or disabled MSI, or changed its message while
	 * enabled: the kernel (re)programs the device. */
	void (*msi_changed)(void *ctx, bool enabled);
	/* MSI-X entry (or, with entry DCFG_MSIX_ALL, every entry) may have
	 * changed: the kernel programs or masks the device's entry to match
	 * dcfg_msix_vector. */
	void (*msix_changed)(void *ctx, unsigned entry);
};

#define DCFG_MSIX_MAX 32
#define DCFG_MSIX_ALL 0xffffffffu

struct dcfg_msix_entry {
	uint32_t address, address_hi, data, control;   /* as the VM wrote them */
};

struct dcfg_bar {
	uint64_t gpa;          /* where the VM sees it; 0: not passed */
	uint64_t size;         /* power of two, >= 4 KiB; 0: none */
	uint32_t flags;        /* the low bits the BAR reads with (type, prefetch) */
	bool upper;            /* the high half of the 64-bit BAR before it */
};

struct dcfg {
	const struct dcfg_ops *ops;
	void *ctx;
	struct dcfg_bar bar[DCFG_BARS];
	uint32_t bar_value[DCFG_BARS];   /* what the VM last wrote (sizing) */
	uint8_t next[PCI_STD_SIZE];      /* shown cap at offset -> next shown, per cap */
	uint8_t first_cap;               /* the first shown capability, 0: none */
	uint8_t msi, exp, pm;            /* shown capabilities' offsets, 0: absent */
	uint8_t msix;                    /* MSI-X's offset, 0: absent */
	uint16_t msix_control;           /* the VM's enable and function-mask bits */
	uint32_t msix_entries;           /* table size shown, <= DCFG_MSIX_MAX */
	uint8_t msix_table_bar, msix_pba_bar;        /* BAR indices (BIR) */
	uint32_t msix_table_off, msix_pba_off;       /* offsets in those BARs */
	struct dcfg_msix_entry msix_table[DCFG_MSIX_MAX];
	uint16_t msi_control;            /* the VM's enable bit */
	uint32_t msi_address, msi_address_hi;
	uint16_t msi_data;
	uint8_t interrupt_line;
};

/*
 * Reads the function's capability list through ops and sets up the VM's
 * view with the BARs given (bar[] filled by the caller: gpa, size, flags,
 * upper). A capability list that loops or points outside the standard
 * space is cut where it goes wrong.
 */
void dcfg_init(struct dcfg *d, const struct dcfg_ops *ops, void *ctx,
               const struct dcfg_bar bar[DCFG_BARS]);

/* The VM's read of size (1, 2, 4) bytes at off (aligned, < 4096). */
uint32_t dcfg_read(struct dcfg *d, unsigned off, unsigned size);

/* The VM's write; dropped or filtered as the header says. */
void dcfg_write(struct dcfg *d, unsigned off, unsigned size, uint32_t value);

/* The vector the VM's MSI message names, or -1 while MSI is disabled. */
int dcfg_msi_vector(const struct dcfg *d);

/* The VM's access to BAR bar at offset off (size 4 or 8; 8 as two 4s),
 * in the MSI-X table or pending-bit array: the table is kept here; reads
 * elsewhere return 0 and writes are dropped. Returns what a read reads. */
uint64_t dcfg_msix_access(struct dcfg *d, unsigned bar, uint64_t off, unsigned size,
                          uint64_t value, bool write);

/* Whether BAR bar holds the MSI-X table or pending-bit array (the kernel
 * does not map such a BAR: the VM's accesses reach dcfg_msix_access). */
bool dcfg_bar_relayed(const struct dcfg *d, unsigned bar);

/* The vector MSI-X entry i names while enabled, unmasked (entry and
 * function) and in range, else -1. */
int dcfg_msix_vector(const struct dcfg *d, unsigned i);

/* Programs the device's own MSI registers (through ops): the message
 * (address, data) and whether it is enabled, one vector. The kernel calls
 * it from msi_changed with the remapped message. */
void dcfg_program_msi(const struct dcfg *d, uint64_t address, uint32_t data, bool enable);

/* Bits of the command register the VM may set. */
#define DCFG_COMMAND_ALLOWED (PCI_CMD_MEMORY | PCI_CMD_MASTER | PCI_CMD_INTX_OFF)

#endif
