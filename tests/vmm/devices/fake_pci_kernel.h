/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The kernel's BH_HC_DEVICE_CONFIG for host tests of the monitor's PCI
 * host bridge: a guest granted one function, an 82574L at devfn
 * FAKE_PCI_DEVFN (device 1), with a configuration space of its own whose
 * BAR 0 sizes as FAKE_PCI_BAR0_SIZE of memory, as the kernel presents a
 * BAR (all ones written, the size mask read back). Every other devfn
 * reads all ones and drops writes. Each call is checked against the
 * hypercall's contract (size 1, 2 or 4, register aligned to it and below
 * 4 KiB, devfn below 256, no value with a read), so a malformed forward
 * fails the test, and the last one is recorded.
 */
#ifndef TESTS_VMM_DEVICES_FAKE_PCI_KERNEL_H
#define TESTS_VMM_DEVICES_FAKE_PCI_KERNEL_H

#include <stdbool.h>
#include <stdint.h>

#define FAKE_PCI_DEVFN      0x08u
#define FAKE_PCI_ID         0x10d38086u   /* vendor 0x8086, device 0x10d3 */
#define FAKE_PCI_CLASS      0x02          /* network controller, at 0x0b */
#define FAKE_PCI_BAR0_SIZE  0x20000u
#define FAKE_PCI_BAR0       0xe0000000u   /* where BAR 0 starts out */

struct fake_pci_call {
	uint32_t devfn, reg;
	unsigned size;
	uint32_t value;
	bool write;
};

struct fake_pci_kernel {
	uint8_t space[4096];          /* FAKE_PCI_DEVFN's, BAR 0 aside */
	uint32_t bar0;
	unsigned calls;
	struct fake_pci_call last;
	int64_t refuse;               /* != 0: every call returns it */
};

/* The function at power-on: its IDs and class, BAR 0 at FAKE_PCI_BAR0. */
void fake_pci_kernel_init(struct fake_pci_kernel *k);

/* A pci_config_fn (devices/pci_host.h); ctx is the struct fake_pci_kernel. */
int64_t fake_pci_config(void *ctx, uint32_t devfn, uint32_t reg, unsigned size, uint32_t value,
                        bool write);

#endif
