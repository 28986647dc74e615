/* SPDX-License-Identifier: GPL-2.0-only */
/* Rules about device grants and their DMA. */
#include <stdio.h>

#include "checks.h"
#include "vocab.h"

static const char *pci_name(uint32_t a, char *buf, size_t size)
{
	if (BH_POLICY_PCI_SEG(a))
		snprintf(buf, size, "%04x:%02x:%02x.%x", BH_POLICY_PCI_SEG(a), BH_POLICY_PCI_BUS(a),
		         BH_POLICY_PCI_DEV(a), BH_POLICY_PCI_FN(a));
	else
		snprintf(buf, size, "%02x:%02x.%x", BH_POLICY_PCI_BUS(a), BH_POLICY_PCI_DEV(a),
		         BH_POLICY_PCI_FN(a));
	return buf;
}

void check_device_granted_once(const struct policy *p, struct diag *d)
{
	char a[32];

	for (size_t i = 0; i < p->ndevices; i++) {
		const struct device_decl *dev = &p->devices[i];
		for (size_t j = 0; prop_ok(&dev->p, DP_PCI) && j < i; j++) {
			const struct device_decl *first = &p->devices[j];
			if (prop_ok(&first->p, DP_PCI) && first->address == dev->address) {
				diag_error(d, dev->p.at[DP_PCI], "PCI device %s is granted twice (first by "
				           "device '%s' at line %u)", pci_name(dev->address, a, sizeof(a)),
				           shown(first->name), first->at.line);
				break;
			}
		}
	}
}

/* A device goes to a native VM, which drives it itself, or to a Linux
 * VM's guest (the driver VM), whose monitor forwards its config accesses;
 * never to the control VM, the one VM that must not be attackable through
 * a device. */
void check_device_grantee_kind(const struct policy *p, struct diag *d)
{
	for (size_t i = 0; i < p->ndevices; i++) {
		const struct device_decl *dev = &p->devices[i];
		const struct vm_decl *vm = prop_ok(&dev->p, DP_TO) ? ref_vm(p, &dev->to) : NULL;
		if (vm && prop_ok(&vm->p, VP_KIND) && vm->kind != BH_POLICY_VM_LINUX &&
		    vm->kind != BH_POLICY_VM_NATIVE)
			diag_error(d, dev->to.at, "device '%s' is granted to VM '%s', which is %s: a "
			           "device goes to a VM of kind linux (its guest drives it) or native",
			           shown(dev->name), dev->to.name, vm_kind_name(vm->kind));
	}
}

void check_device_count_per_vm(const struct policy *p, struct diag *d)
{
	for (size_t i = 0; i < p->ndevices; i++) {
		const struct device_decl *dev = &p->devices[i];
		size_t held = 0;
		if (!prop_ok(&dev->p, DP_TO) || dev->to.vm < 0)
			continue;
		for (size_t j = 0; j <= i; j++)
			held += prop_ok(&p->devices[j].p, DP_TO) && p->devices[j].to.vm == dev->to.vm;
		/* Once per VM: at the first device past the limit. */
		if (held == BH_POLICY_MAX_VM_DEVICES + 1)
			diag_error(d, dev->to.at, "device '%s' is one device too many for VM '%s': a VM "
			           "is granted at most %u devices", shown(dev->name), dev->to.name,
			           BH_POLICY_MAX_VM_DEVICES);
	}
}

void check_dma_confined(const struct policy *p, struct diag *d)
{
	if (p->iommu.given && p->iommu.unprotected)
		diag_warning(d, p->iommu.at, "'machine iommu unprotected': on a machine without an "
		             "IOMMU the kernel grants devices anyway, and their DMA can reach all "
		             "memory; for test platforms only");
}
