/* SPDX-License-Identifier: GPL-2.0-only */
/* Rules about device grants. */
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

void check_device_grantee_is_driver(const struct policy *p, struct diag *d)
{
	for (size_t i = 0; i < p->ndevices; i++) {
		const struct device_decl *dev = &p->devices[i];
		const struct vm_decl *vm = prop_ok(&dev->p, DP_TO) ? ref_vm(p, &dev->to) : NULL;
		if (vm && prop_ok(&vm->p, VP_KIND) && vm->kind != BH_POLICY_VM_DRIVER)
			diag_error(d, dev->to.at, "device '%s' is granted to VM '%s', which is %s: "
			           "devices go to driver VMs only", shown(dev->name), dev->to.name,
			           vm_kind_name(vm->kind));
	}
}
