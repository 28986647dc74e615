/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The guest's PCI host bridge: configuration space of bus 0, reached
 * through ECAM (BH_LINUX_ECAM_BASE, bulkhead/monitor.h) or through
 * configuration mechanism #1 (ports 0xcf8-0xcff; PCI Local Bus 3.0
 * §3.2.2.3.2), which Linux probes first. The bridge holds no device of
 * its own: the kernel shows the guest the functions the policy grants it,
 * on virtual bus 0, and every access is passed to it unchanged with
 * BH_HC_DEVICE_CONFIG(devfn, register, size, value, write), through the
 * config callback, so host tests can put a fake kernel behind it. The
 * kernel answers a devfn with no device with all ones, so every
 * well-formed bus-0 access is forwarded blindly.
 *
 * What is not forwarded: an access that is not 1, 2 or 4 bytes or not
 * aligned to its size, a mechanism #1 access with the enable bit clear or
 * to a bus other than 0, and a call the kernel refuses (a negative
 * result). Reads of those give all ones of the size, writes are dropped,
 * and each is counted. Pure.
 */
#ifndef VMM_DEVICES_PCI_HOST_H
#define VMM_DEVICES_PCI_HOST_H

#include <stdbool.h>
#include <stdint.h>

/* Configuration mechanism #1 (ports). */
#define PCI_CONFIG_ADDRESS       0xcf8   /* CONFIG_ADDRESS, 32-bit only */
#define PCI_CONFIG_DATA          0xcfc   /* CONFIG_DATA, 0xcfc-0xcff */
#define PCI_CONFIG_PORTS         8       /* 0xcf8-0xcff */
#define PCI_CONFIG_ENABLE        0x80000000u
/* The CONFIG_ADDRESS bits that hold anything: enable, bus (23:16),
 * device (15:11), function (10:8), dword register (7:2). Bits 30:24 are
 * reserved and bits 1:0 read as zero. */
#define PCI_CONFIG_ADDRESS_BITS  0x80fffffcu

/* ECAM: 4 KiB of configuration space per function, 256 functions on
 * bus 0 (PCI Express Base 4.0 §7.2.2). */
#define PCI_ECAM_FUNCTION_SHIFT  12
#define PCI_ECAM_BUS_SIZE        0x100000u
#define PCI_CONFIG_SPACE_SIZE    0x1000u

/*
 * The kernel's side, BH_HC_DEVICE_CONFIG: reads (write false) return the
 * value, zero-extended, writes return 0; a negative result is an error
 * (bulkhead/errno.h). devfn is bus 0's (device << 3 | function), reg is
 * below PCI_CONFIG_SPACE_SIZE and aligned to size, size is 1, 2 or 4.
 */
typedef int64_t (*pci_config_fn)(void *ctx, uint32_t devfn, uint32_t reg, unsigned size,
                                 uint32_t value, bool write);

/*
 * The kernel's side, BH_HC_DEVICE_MMIO: one aligned 4-byte access at gpa
 * in the granted devices' window that the kernel keeps rather than maps
 * (the MSI-X table); reads return the value, writes 0; negative: error.
 */
typedef int64_t (*pci_bar_fn)(void *ctx, uint64_t gpa, uint32_t value, bool write);

struct pci_host {
	pci_config_fn config;
	pci_bar_fn bar;          /* NULL: the device window reads all ones */
	void *ctx;
	uint32_t address;        /* CONFIG_ADDRESS as the guest last wrote it */
	uint64_t forwarded;      /* accesses passed to the kernel */
	uint64_t refused;        /* accesses not forwarded: size, alignment, bus, enable */
	uint64_t failed;         /* forwarded accesses the kernel refused */
	int64_t last_error;      /* the kernel's latest refusal, 0 if none */
};

/* Sets h up with the kernel's side; CONFIG_ADDRESS 0. */
void pci_host_init(struct pci_host *h, pci_config_fn config, void *ctx);

/*
 * An ECAM read of size bytes at offset into the window (below
 * PCI_ECAM_BUS_SIZE: devfn = offset >> 12, register = offset & 0xfff).
 * Returns 0 and *value (all ones of the size if the kernel has no device
 * there); -BH_EINVAL for a bad size, alignment or offset, and -BH_EIO
 * when the kernel refused the call, both with *value all ones of the size
 * (of 4 bytes for a bad size).
 */
int pci_host_ecam_read(struct pci_host *h, uint32_t offset, unsigned size, uint32_t *value);

/* An ECAM write; 0, or -BH_EINVAL / -BH_EIO as for reads, the write
 * dropped. */
int pci_host_ecam_write(struct pci_host *h, uint32_t offset, unsigned size, uint32_t value);

/*
 * A guest access of size (4 or 8, aligned) at gpa in the granted devices'
 * window (BH_GUEST_DEVICE_BASE..LIMIT) that the kernel did not map: relayed
 * through h->bar, an 8-byte access as two 4-byte ones, low half first.
 * Returns 0 and *value; -BH_EINVAL (bad size or alignment) or -BH_EIO
 * (the kernel refused) with *value all ones, a write dropped.
 */
int pci_host_bar_read(struct pci_host *h, uint64_t gpa, unsigned size, uint64_t *value);
int pci_host_bar_write(struct pci_host *h, uint64_t gpa, unsigned size, uint64_t value);

/* True for the ports mechanism #1 occupies, 0xcf8-0xcff. */
bool pci_host_claims_port(uint16_t port);

/*
 * An IN of size (1, 2 or 4) bytes at a claimed port. CONFIG_ADDRESS
 * answers only a 4-byte access at 0xcf8; other accesses to 0xcf8-0xcfb
 * read all ones, as on a PC where they go to no device. CONFIG_DATA at
 * 0xcfc + k, size aligned within the dword, reads register
 * (address & 0xfc) + k of the function CONFIG_ADDRESS selects.
 */
uint32_t pci_host_port_in(struct pci_host *h, uint16_t port, unsigned size);

/* An OUT at a claimed port: CONFIG_ADDRESS (4 bytes at 0xcf8) keeps its
 * defined bits; CONFIG_DATA writes as pci_host_port_in reads. */
void pci_host_port_out(struct pci_host *h, uint16_t port, unsigned size, uint32_t value);

#endif
