/* SPDX-License-Identifier: GPL-2.0-only */
/* Device grants, enforced (contract in device.h). */
#include "kernel/device.h"

#include <bulkhead/errno.h>
#include <bulkhead/guest_abi.h>
#include <bulkhead/policy_blob.h>

#include "arch/iommu.h"
#include "arch/pci.h"
#include "arch/time.h"
#include "arch/virt.h"
#include "kernel/device_config.h"
#include "kernel/log.h"
#include "kernel/monitor.h"
#include "lib/format.h"
#include "lib/string.h"
#include "mm/records.h"
#include "mm/memmap.h"
#include "mm/phys.h"
#include "policy/blob.h"

#define PAGE 0x1000ull
#define FAULT_POLL_NS 10000000ull   /* IOMMU faults are looked for every 10 ms */

struct device {
	const char *name;           /* in the policy blob */
	uint32_t address;           /* host function, BH_POLICY_PCI form */
	uint32_t grantee;           /* policy VM index */
	uint32_t slot;              /* its device number on the VM's bus 0 */
	bool usable;                /* found, and confined (or the machine unprotected) */
	struct dcfg_bar bar[DCFG_BARS];
	uint64_t bar_hpa[DCFG_BARS];
	struct dcfg cfg;            /* the holder's view */
	struct dcfg boot_cfg;       /* that view as checked at boot: each holder starts from it */
	struct vm *holder;          /* NULL: quiet, in the blocking domain */
	struct iommu_domain *domain;
	bool msi_routed;
	struct iommu_msi msi;       /* the remapped message, once routed */
	uint32_t slot0;             /* its vector slots: slot0 for MSI, slot0 + 1 + i for
	                             * MSI-X entry i (arch/pci.h) */
	uint32_t nslots;
	uint32_t msix_routed;       /* MSI-X entries with an interrupt entry, a bit each */
	volatile uint32_t *msix_table;   /* the device's own table, kernel-mapped */
};

/* Which device and message each vector slot belongs to. */
static struct { struct device *d; uint32_t message; } slots[ARCH_DEVICE_VECTORS];
static uint32_t slots_used;
#define MESSAGE_MSI 0u          /* message 1 + i: MSI-X entry i */

static struct device *devices;
static uint32_t ndevices;
static bool confined;           /* an IOMMU confines every device */
static uint64_t next_fault_poll;

static const char *pci_text(uint32_t a, char *buf, size_t len)
{
	bh_snprintf(buf, len, "%02x:%02x.%x", BH_POLICY_PCI_BUS(a), BH_POLICY_PCI_DEV(a),
	            BH_POLICY_PCI_FN(a));
	return buf;
}

static uint32_t cfg_read(void *ctx, unsigned off, unsigned size)
{
	return arch_pci_read(((struct device *)ctx)->address, off, size);
}

static void cfg_write(void *ctx, unsigned off, unsigned size, uint32_t value)
{
	arch_pci_write(((struct device *)ctx)->address, off, size, value);
}

static void msi_changed(void *ctx, bool enabled);
static void msix_changed(void *ctx, unsigned entry);

static const struct dcfg_ops host_ops = {
	.read = cfg_read, .write = cfg_write, .msi_changed = msi_changed,
	.msix_changed = msix_changed,
};

/* The function stops decoding, mastering and interrupting. */
static void quiet(struct device *d)
{
	uint16_t cmd = (uint16_t)arch_pci_read(d->address, PCI_COMMAND, 2);
	/* Bus mastering off first: no DMA, no message, from here on. */
	arch_pci_write(d->address, PCI_COMMAND, 2, (cmd & ~(PCI_CMD_IO | PCI_CMD_MASTER)) |
	               PCI_CMD_INTX_OFF);
	dcfg_program_msi(&d->cfg, 0, 0, false);
	if (d->cfg.msix) {
		uint16_t c = (uint16_t)arch_pci_read(d->address, d->cfg.msix + 2u, 2);
		arch_pci_write(d->address, d->cfg.msix + 2u, 2, c & ~PCI_MSIX_ENABLE);
		/* The table answers only while memory decoding is on. */
		for (uint32_t i = 0; d->msix_table && i < d->cfg.msix_entries; i++)
			d->msix_table[i * 4 + 3] = PCI_MSIX_ENTRY_MASKED;
	}
	arch_pci_write(d->address, PCI_COMMAND, 2,
	               (cmd & ~(PCI_CMD_IO | PCI_CMD_MEMORY | PCI_CMD_MASTER)) | PCI_CMD_INTX_OFF);
}

/* Where the machine's memory is (mm/memmap.h): no BAR may claim it. */
static const struct mem_region *mem_regions;
static size_t mem_nregions;

/* Why host [hpa, hpa + size) cannot be a granted BAR, or NULL. A device is
 * not trusted: the address it reports must be device space, its own. */
static const char *bar_refused(const struct device *d, unsigned bar, uint64_t hpa,
                               uint64_t size)
{
	if (size & (size - 1))
		return "its size is not a power of two";
	if (hpa & (size - 1))
		return "it is not aligned to its size";
	if (!hpa || memmap_overlaps_memory(mem_regions, mem_nregions, hpa, size))
		return "it overlaps the machine's memory";
	if (arch_device_range_reserved(hpa, size))
		return "it overlaps the processor's or chipset's own registers";
	for (const struct device *o = devices; o <= d; o++)
		for (unsigned b = 0; b < DCFG_BARS; b++)
			if ((o != d || b != bar) && o->bar[b].size && hpa < o->bar_hpa[b] + o->bar[b].size &&
			    o->bar_hpa[b] < hpa + size)
				return "it overlaps another granted BAR";
	return NULL;
}

/* Sizes the memory BARs (decoding is off) and gives them guest-physical
 * addresses from *cursor up. I/O BARs and BARs smaller than a page (whose
 * page other devices' registers may share) are not passed. False, after
 * logging why, if a BAR cannot be granted at all. */
static bool size_bars(struct device *d, uint64_t *cursor)
{
	char a[16];
	for (unsigned i = 0; i < DCFG_BARS; i++) {
		unsigned off = PCI_BAR0 + 4 * i;
		uint32_t lo = arch_pci_read(d->address, off, 4);
		if (lo & 1)
			continue;   /* I/O space */
		bool is64 = ((lo >> 1) & 3) == 2 && i + 1 < DCFG_BARS;
		arch_pci_write(d->address, off, 4, 0xffffffffu);
		uint64_t mask = arch_pci_read(d->address, off, 4) & ~0xfu;
		arch_pci_write(d->address, off, 4, lo);
		uint64_t hpa = lo & ~0xfu;
		if (is64) {
			uint32_t hi = arch_pci_read(d->address, off + 4, 4);
			arch_pci_write(d->address, off + 4, 4, 0xffffffffu);
			mask |= (uint64_t)arch_pci_read(d->address, off + 4, 4) << 32;
			arch_pci_write(d->address, off + 4, 4, hi);
			hpa |= (uint64_t)hi << 32;
			d->bar[i + 1].upper = true;
		} else if (mask) {
			mask |= 0xffffffff00000000ull;   /* a 32-bit BAR: the high bits are fixed */
		}
		uint64_t size = mask ? ~mask + 1 : 0;
		if (!size || size < PAGE) {   /* size 0: unimplemented */
			if (size)
				kprintf("device %s: BAR%u (%llu bytes) is smaller than a page: not passed\n",
				        d->name, i, (unsigned long long)size);
			i += is64;
			continue;
		}
		const char *why = bar_refused(d, i, hpa, size);
		if (why) {
			kprintf("device %s: not granted: BAR%u (host 0x%llx, 0x%llx bytes): %s\n",
			        d->name, i, (unsigned long long)hpa, (unsigned long long)size, why);
			return false;
		}
		uint64_t gpa = (*cursor + size - 1) & ~(size - 1);
		if (size > BH_GUEST_DEVICE_LIMIT - BH_GUEST_DEVICE_BASE || gpa < *cursor ||
		    gpa > BH_GUEST_DEVICE_LIMIT - size) {
			kprintf("device %s: BAR%u (%llu KiB) does not fit the VM's device window: "
			        "not passed\n", d->name, i, (unsigned long long)(size >> 10));
			i += is64;
			continue;
		}
		*cursor = gpa + size;
		d->bar[i] = (struct dcfg_bar){ .gpa = gpa, .size = size, .flags = lo & 0xfu };
		d->bar_hpa[i] = hpa;
		kprintf("device %s: %s BAR%u host 0x%llx, %llu KiB, at guest 0x%llx%s\n", d->name,
		        pci_text(d->address, a, sizeof(a)), i, (unsigned long long)hpa,
		        (unsigned long long)(size >> 10), (unsigned long long)gpa,
		        dcfg_bar_relayed(&d->cfg, i) ? " (MSI-X: kept by the kernel, not mapped)" : "");
		i += is64;
	}
	return true;
}

/* Vector slots for its MSI and each MSI-X entry. */
static bool take_slots(struct device *d)
{
	uint32_t n = 1 + d->cfg.msix_entries;
	if (slots_used + n > ARCH_DEVICE_VECTORS) {
		kprintf("device %s: not granted: no host vectors left for its %u messages\n",
		        d->name, n);
		return false;
	}
	d->slot0 = slots_used;
	d->nslots = n;
	for (uint32_t m = 0; m < n; m++)
		slots[slots_used + m] = (typeof(slots[0])){ .d = d, .message = m };
	slots_used += n;
	return true;
}

/* The kernel writes the device's MSI-X table itself. */
static bool map_msix_table(struct device *d)
{
	if (!d->cfg.msix)
		return true;
	unsigned b = d->cfg.msix_table_bar;
	uint64_t end = d->cfg.msix_table_off + 16ull * d->cfg.msix_entries;
	if (b >= DCFG_BARS || !d->bar[b].size || end > d->bar[b].size) {
		kprintf("device %s: not granted: its MSI-X table is not in a memory BAR\n", d->name);
		return false;
	}
	volatile void *regs = arch_device_map(d->bar_hpa[b], d->bar[b].size);
	if (!regs) {
		kprintf("device %s: not granted: its MSI-X table cannot be mapped\n", d->name);
		return false;
	}
	d->msix_table = (volatile uint32_t *)((volatile uint8_t *)regs + d->cfg.msix_table_off);
	return true;
}

void devices_init(const void *policy, int iommu_rc, const struct mem_region *regions,
                  size_t nregions)
{
	mem_regions = regions;
	mem_nregions = nregions;
	char a[16];
	uint32_t n = policy_device_count(policy);
	bool unprotected = policy_flags(policy) & BH_POLICY_F_DMA_UNPROTECTED;

	confined = iommu_rc == 0;
	if (!confined && unprotected)
		kprintf("bulkhead: UNSAFE: device DMA is not confined: no IOMMU is in use, and "
		        "the policy says this machine is unprotected\n");
	if (!n)
		return;
	devices = record_alloc(&phys_frames, n * sizeof(*devices));
	if (!devices) {
		kprintf("devices: none granted: no memory for %u device records\n", n);
		return;
	}
	ndevices = n;
	for (uint32_t i = 0; i < n; i++) {
		const struct bh_policy_device *p = policy_device(policy, i);
		struct device *d = &devices[i];
		*d = (struct device){
			.name = policy_string(policy, p->name), .address = p->address,
			.grantee = p->vm,
		};
		/* Its place on the grantee's bus and in its device window
		 * follows the grants before it to the same VM. */
		uint64_t cursor = BH_GUEST_DEVICE_BASE;
		d->slot = 1;
		for (uint32_t j = 0; j < i; j++) {
			if (devices[j].grantee != d->grantee)
				continue;
			d->slot++;
			for (unsigned b = 0; b < DCFG_BARS; b++)
				if (devices[j].bar[b].size && devices[j].bar[b].gpa + devices[j].bar[b].size > cursor)
					cursor = devices[j].bar[b].gpa + devices[j].bar[b].size;
		}
		const char *vm_name = policy_vm_name(policy, policy_vm(policy, p->vm));
		pci_text(d->address, a, sizeof(a));
		if ((arch_pci_read(d->address, PCI_VENDOR_ID, 2) & 0xffff) == 0xffff) {
			kprintf("device %s: not granted to %s: no PCI function at %s\n", d->name,
			        vm_name, a);
			continue;
		}
		if ((arch_pci_read(d->address, PCI_HEADER_TYPE, 1) & 0x7f) != 0) {
			kprintf("device %s: not granted to %s: %s is a bridge, not an endpoint\n",
			        d->name, vm_name, a);
			continue;
		}
		if (!confined && !unprotected) {
			kprintf("device %s: not granted to %s: no IOMMU confines its DMA; a "
			        "policy may grant devices without one only if it declares "
			        "'machine iommu unprotected;'\n", d->name, vm_name);
			continue;
		}
		dcfg_init(&d->cfg, &host_ops, d, d->bar);   /* finds the capabilities */
		quiet(d);
		if (!size_bars(d, &cursor) || !take_slots(d) || !map_msix_table(d))
			continue;
		/* The layout checked here (capabilities, the MSI-X table's size
		 * and place) is the one every holder gets: the device is never
		 * asked again, so it cannot grow its table under the kernel. */
		dcfg_init(&d->cfg, &host_ops, d, d->bar);
		d->boot_cfg = d->cfg;
		d->usable = true;
		kprintf("device %s: %s (%04x:%04x) for %s, bus 0 device %u, DMA %s\n", d->name, a,
		        arch_pci_read(d->address, 0, 2), arch_pci_read(d->address, 2, 2), vm_name,
		        d->slot, confined ? "confined by the IOMMU" : "NOT confined (unprotected)");
	}
}

/* The VM a grant names is the guest of a Linux pair, never its monitor. */
static bool is_grantee(const struct device *d, const struct vm *vm)
{
	return vm->kind != VM_KIND_MONITOR && vm->policy_index == d->grantee;
}

/* Its messages no longer reach the kernel: their remapping entries go. */
static void unroute(struct device *d)
{
	if (d->msi_routed && confined)
		iommu_msi_unroute(d->address, MESSAGE_MSI);
	d->msi_routed = false;
	for (uint32_t i = 0; i < DCFG_MSIX_MAX; i++)
		if ((d->msix_routed >> i & 1) && confined)
			iommu_msi_unroute(d->address, 1 + i);
	d->msix_routed = 0;
}

static void release(struct device *d)
{
	quiet(d);
	unroute(d);
	if (d->domain) {
		iommu_detach(d->address);
		iommu_domain_destroy(d->domain);
		d->domain = NULL;
	}
	d->holder = NULL;
}

static int grant(struct device *d, struct vm *vm)
{
	char a[16];
	pci_text(d->address, a, sizeof(a));
	if (!d->usable) {
		kprintf("vm %s: not started: its device %s (%s) cannot be granted (see above)\n",
		        vm->name, d->name, a);
		return -BH_ENODEV;
	}
	if (d->holder) {
		kprintf("vm %s: not started: its device %s is held by VM %s (id %u)\n", vm->name,
		        d->name, d->holder->name, d->holder->id);
		return -BH_EBUSY;
	}
	if (confined) {
		/* The DMA domain first: the device can reach the VM's memory
		 * only once it can reach nothing else. */
		d->domain = iommu_domain_create();
		int rc = d->domain ? iommu_domain_map(d->domain, 0, vm->mem_hpa, vm->mem_size, true)
		                   : -BH_ENOMEM;
		if (!rc)
			rc = iommu_attach(d->address, d->domain);
		if (rc) {
			kprintf("vm %s: not started: no IOMMU domain for device %s (error %d)\n",
			        vm->name, d->name, rc);
			if (d->domain)
				iommu_domain_destroy(d->domain);
			d->domain = NULL;
			return rc;
		}
	}
	for (unsigned i = 0; i < DCFG_BARS; i++) {
		if (!d->bar[i].size || dcfg_bar_relayed(&d->cfg, i))
			continue;   /* the MSI-X table's BAR: relayed (device_mmio_call) */
		int rc = arch_vm_map_mmio(vm, d->bar[i].gpa, d->bar_hpa[i], d->bar[i].size);
		if (rc) {
			kprintf("vm %s: not started: cannot map device %s BAR%u (error %d)\n",
			        vm->name, d->name, i, rc);
			release(d);
			return rc;
		}
	}
	d->cfg = d->boot_cfg;
	d->holder = vm;
	kprintf("vm %s: holds device %s (%s) as bus 0 device %u\n", vm->name, d->name, a, d->slot);
	return 0;
}

int devices_vm_created(struct vm *vm)
{
	for (uint32_t i = 0; i < ndevices; i++) {
		if (!is_grantee(&devices[i], vm))
			continue;
		int rc = grant(&devices[i], vm);
		if (rc) {
			devices_vm_reaped(vm);
			return rc;
		}
	}
	return 0;
}

void devices_vm_reset(struct vm *vm)
{
	for (uint32_t i = 0; i < ndevices; i++) {
		struct device *d = &devices[i];
		if (d->holder != vm)
			continue;
		quiet(d);
		unroute(d);
		d->cfg = d->boot_cfg;
	}
}

void devices_vm_reaped(struct vm *vm)
{
	for (uint32_t i = 0; i < ndevices; i++)
		if (devices[i].holder == vm)
			release(&devices[i]);
}

uint32_t devices_held(const struct vm *vm)
{
	uint32_t n = 0;
	for (uint32_t i = 0; i < ndevices; i++)
		n += devices[i].holder == vm;
	return n;
}

/* The VM changed its MSI: the device gets a message naming its own host
 * vector (remapped by the IOMMU where there is one); the VM's vector is
 * looked up when the interrupt arrives. */
static void msi_changed(void *ctx, bool enabled)
{
	struct device *d = ctx;
	uint8_t vector = arch_device_vector(d->slot0);

	if (!enabled) {
		dcfg_program_msi(&d->cfg, 0, 0, false);
		return;
	}
	if (confined) {
		struct iommu_msi m;
		if (!d->msi_routed) {
			int rc = iommu_msi_route(d->address, MESSAGE_MSI, vector,
			                         arch_msi_destination(), &m);
			if (rc) {
				kprintf("device %s: MSI not routed (error %d): it stays off\n", d->name, rc);
				return;
			}
			d->msi_routed = true;
			d->msi = m;
		}
		dcfg_program_msi(&d->cfg, d->msi.address, d->msi.data, true);
	} else {
		struct arch_msi m = arch_msi_direct(vector);
		dcfg_program_msi(&d->cfg, m.address, m.data, true);
	}
}

/* The message for the device's MSI-X entry i, remapped where there is an
 * IOMMU; 0 if it cannot be routed (the entry then stays masked). */
static bool msix_message(struct device *d, uint32_t i, uint64_t *address, uint32_t *data)
{
	uint8_t vector = arch_device_vector(d->slot0 + 1 + i);
	if (!confined) {
		struct arch_msi m = arch_msi_direct(vector);
		*address = m.address;
		*data = m.data;
		return true;
	}
	struct iommu_msi m;
	int rc = iommu_msi_route(d->address, 1 + i, vector, arch_msi_destination(), &m);
	if (rc) {
		kprintf("device %s: MSI-X entry %u not routed (error %d): it stays masked\n",
		        d->name, i, rc);
		return false;
	}
	d->msix_routed |= 1u << i;
	*address = m.address;
	*data = m.data;
	return true;
}

/* Makes the device's MSI-X entry i match the VM's view: masked unless the
 * VM's entry (and MSI-X, and the function) are unmasked, else pointing at
 * the entry's own host vector. The device's function mask stays off and
 * its enable bit follows the VM's. */
static void msix_sync(struct device *d, uint32_t i)
{
	volatile uint32_t *e = &d->msix_table[i * 4];
	uint64_t address;
	uint32_t data;
	e[3] = PCI_MSIX_ENTRY_MASKED;
	if (dcfg_msix_vector(&d->cfg, i) < 0 || !msix_message(d, i, &address, &data))
		return;
	e[0] = (uint32_t)address;
	e[1] = (uint32_t)(address >> 32);
	e[2] = data;
	e[3] = 0;
}

static void msix_changed(void *ctx, unsigned entry)
{
	struct device *d = ctx;
	if (!d->msix_table)
		return;
	if (entry == DCFG_MSIX_ALL) {
		for (uint32_t i = 0; i < d->cfg.msix_entries; i++)
			msix_sync(d, i);
		uint16_t c = (uint16_t)arch_pci_read(d->address, d->cfg.msix + 2u, 2);
		c &= (uint16_t)~(PCI_MSIX_ENABLE | PCI_MSIX_MASKALL);
		if (d->cfg.msix_control & PCI_MSIX_ENABLE)
			c |= PCI_MSIX_ENABLE;
		arch_pci_write(d->address, d->cfg.msix + 2u, 2, c);
	} else if (entry < d->cfg.msix_entries) {
		msix_sync(d, entry);
	}
}

void devices_take_interrupts(void)
{
	for (uint64_t taken = arch_device_irqs_taken(); taken; taken &= taken - 1)
		device_interrupt((unsigned)__builtin_ctzll(taken));
}

bool device_interrupt(unsigned slot)
{
	if (slot >= slots_used)
		return false;
	struct device *d = slots[slot].d;
	uint32_t message = slots[slot].message;
	struct vm *vm = d->holder;
	int vector = message == MESSAGE_MSI ? dcfg_msi_vector(&d->cfg)
	                                    : dcfg_msix_vector(&d->cfg, message - 1);
	if (!vm || !vm_is_live(vm) || vector < 32 || vm->kind != VM_KIND_LINUX)
		return false;   /* a native holder takes no interrupts; late ones are dropped */
	return monitor_post_device_vector(vm, (unsigned)vector);
}

/* The VM whose devices the caller reaches: itself, or its guest if it is a
 * monitor. */
static struct vm *device_owner(struct vm *vm)
{
	return vm->kind == VM_KIND_MONITOR ? vm->pair : vm;
}

bool devices_vm_holds(struct vm *vm)
{
	struct vm *owner = device_owner(vm);
	for (uint32_t i = 0; i < ndevices && owner; i++)
		if (devices[i].holder == owner)
			return true;
	return false;
}

/* The held device at devfn of the caller's bus 0, if any. */
static struct device *reachable(struct vm *vm, uint32_t devfn, bool *holds_any)
{
	struct vm *owner = device_owner(vm);
	struct device *found = NULL;
	*holds_any = false;
	for (uint32_t i = 0; i < ndevices && owner; i++) {
		if (devices[i].holder != owner)
			continue;
		*holds_any = true;
		if (devfn == devices[i].slot << 3)
			found = &devices[i];
	}
	return found;
}

int64_t device_config_call(struct vm *vm, const uint64_t *arg, enum hc_next *next)
{
	uint64_t devfn = arg[0], off = arg[1], size = arg[2], value = arg[3], write = arg[4];
	(void)next;
	if ((size != 1 && size != 2 && size != 4) || off >= PCI_CONFIG_SIZE || off % size ||
	    devfn > 0xff)
		return -BH_EINVAL;
	bool holds_any;
	struct device *d = reachable(vm, (uint32_t)devfn, &holds_any);
	if (!holds_any)
		return -BH_EPERM;
	if (write) {
		if (d)
			dcfg_write(&d->cfg, (unsigned)off, (unsigned)size, (uint32_t)value);
		return 0;
	}
	if (!d)
		return size == 4 ? 0xffffffffll : (1ll << (size * 8)) - 1;
	return dcfg_read(&d->cfg, (unsigned)off, (unsigned)size);
}

int64_t device_mmio_call(struct vm *vm, const uint64_t *arg, enum hc_next *next)
{
	uint64_t gpa = arg[0], size = arg[1], value = arg[2], write = arg[3];
	struct vm *owner = device_owner(vm);
	bool holds_any = false;
	(void)next;
	if (size != 4 || gpa % 4)
		return -BH_EINVAL;   /* a monitor splits wider accesses */
	for (uint32_t i = 0; i < ndevices && owner; i++) {
		struct device *d = &devices[i];
		if (d->holder != owner)
			continue;
		holds_any = true;
		for (unsigned b = 0; b < DCFG_BARS; b++) {
			const struct dcfg_bar *bar = &d->bar[b];
			if (!bar->size || !dcfg_bar_relayed(&d->cfg, b) || gpa < bar->gpa ||
			    gpa - bar->gpa >= bar->size)
				continue;
			return (int64_t)dcfg_msix_access(&d->cfg, b, gpa - bar->gpa, 4, value,
			                                 write != 0);
		}
	}
	return holds_any ? -BH_ENOENT : -BH_EPERM;
}

void devices_poll(uint64_t now)
{
	if (!confined || now < next_fault_poll)
		return;
	next_fault_poll = now + arch_ns_to_tsc(FAULT_POLL_NS);
	iommu_poll_faults();
}
