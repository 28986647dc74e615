/* SPDX-License-Identifier: GPL-2.0-only */
/* The PCI host bridge's configuration forwarding (contract in pci_host.h). */
#include <bulkhead/errno.h>

#include "devices/pci_host.h"

void pci_host_init(struct pci_host *h, pci_config_fn config, void *ctx)
{
	*h = (struct pci_host){ .config = config, .ctx = ctx };
}

static uint32_t all_ones(unsigned size)
{
	return size >= 4 ? 0xffffffffu : (1u << (8 * size)) - 1;
}

static bool size_ok(unsigned size)
{
	return size == 1 || size == 2 || size == 4;
}

/* Passes one well-formed access of bus 0 to the kernel. */
static int forward(struct pci_host *h, uint32_t devfn, uint32_t reg, unsigned size,
                   uint32_t *value, bool write)
{
	int64_t r = h->config(h->ctx, devfn, reg, size, write ? *value : 0, write);

	h->forwarded++;
	if (r < 0) {
		h->failed++;
		h->last_error = r;
		if (!write)
			*value = all_ones(size);
		return -BH_EIO;
	}
	if (!write)
		*value = (uint32_t)r & all_ones(size);
	return 0;
}

static int ecam_access(struct pci_host *h, uint32_t offset, unsigned size, uint32_t *value,
                       bool write)
{
	if (!size_ok(size) || offset % size || offset >= PCI_ECAM_BUS_SIZE) {
		h->refused++;
		if (!write)
			*value = all_ones(size_ok(size) ? size : 4);
		return -BH_EINVAL;
	}
	return forward(h, offset >> PCI_ECAM_FUNCTION_SHIFT, offset & (PCI_CONFIG_SPACE_SIZE - 1),
	               size, value, write);
}

int pci_host_ecam_read(struct pci_host *h, uint32_t offset, unsigned size, uint32_t *value)
{
	return ecam_access(h, offset, size, value, false);
}

int pci_host_ecam_write(struct pci_host *h, uint32_t offset, unsigned size, uint32_t value)
{
	return ecam_access(h, offset, size, &value, true);
}

bool pci_host_claims_port(uint16_t port)
{
	return port >= PCI_CONFIG_ADDRESS && port < PCI_CONFIG_ADDRESS + PCI_CONFIG_PORTS;
}

/* A CONFIG_DATA access at byte k of the dword: forwarded if CONFIG_ADDRESS
 * is enabled and names bus 0, and the access is aligned within the dword. */
static void data_access(struct pci_host *h, unsigned k, unsigned size, uint32_t *value,
                        bool write)
{
	uint32_t a = h->address;
	uint32_t bus = (a >> 16) & 0xff;

	if (!size_ok(size) || k % size || k + size > 4 || !(a & PCI_CONFIG_ENABLE) || bus != 0) {
		h->refused++;
		if (!write)
			*value = all_ones(size_ok(size) ? size : 4);
		return;
	}
	forward(h, (a >> 8) & 0xff, (a & 0xfc) + k, size, value, write);
}

uint32_t pci_host_port_in(struct pci_host *h, uint16_t port, unsigned size)
{
	uint32_t v = all_ones(size_ok(size) ? size : 4);

	if (port == PCI_CONFIG_ADDRESS && size == 4)
		return h->address;
	if (port >= PCI_CONFIG_DATA && port < PCI_CONFIG_ADDRESS + PCI_CONFIG_PORTS)
		data_access(h, port - PCI_CONFIG_DATA, size, &v, false);
	else
		h->refused++;
	return v;
}

void pci_host_port_out(struct pci_host *h, uint16_t port, unsigned size, uint32_t value)
{
	if (port == PCI_CONFIG_ADDRESS && size == 4)
		h->address = value & PCI_CONFIG_ADDRESS_BITS;
	else if (port >= PCI_CONFIG_DATA && port < PCI_CONFIG_ADDRESS + PCI_CONFIG_PORTS)
		data_access(h, port - PCI_CONFIG_DATA, size, &value, true);
	else
		h->refused++;
}

static int bar_access(struct pci_host *h, uint64_t gpa, unsigned size, uint64_t *value,
                      bool write)
{
	uint64_t out = 0;
	if ((size != 4 && size != 8) || gpa % size || !h->bar) {
		h->refused++;
		*value = ~0ull >> (64 - 8 * size);
		return -BH_EINVAL;
	}
	for (unsigned half = 0; half < size / 4; half++) {
		int64_t r = h->bar(h->ctx, gpa + 4 * half, (uint32_t)(*value >> (32 * half)), write);
		h->forwarded++;
		if (r < 0) {
			h->failed++;
			h->last_error = r;
			*value = ~0ull >> (64 - 8 * size);
			return -BH_EIO;
		}
		out |= (uint64_t)(uint32_t)r << (32 * half);
	}
	*value = out;
	return 0;
}

int pci_host_bar_read(struct pci_host *h, uint64_t gpa, unsigned size, uint64_t *value)
{
	*value = 0;
	return bar_access(h, gpa, size, value, false);
}

int pci_host_bar_write(struct pci_host *h, uint64_t gpa, unsigned size, uint64_t value)
{
	return bar_access(h, gpa, size, &value, true);
}
