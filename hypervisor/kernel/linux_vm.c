/* SPDX-License-Identifier: GPL-2.0-only */
/* Linux VMs: the guest and its monitor (contract in linux_vm.h). */
#include "kernel/linux_vm.h"

#include <bulkhead/errno.h>
#include <bulkhead/monitor.h>
#include <bulkhead/policy_blob.h>

#include "arch/time.h"
#include "arch/virt.h"
#include "boot/bootinfo.h"
#include "kernel/device.h"
#include "kernel/log.h"
#include "kernel/monitor.h"
#include "lib/string.h"
#include "mm/phys.h"
#include "mm/pool.h"
#include "policy/blob.h"

#define TWO_MIB (2ull << 20)
#define MONITOR_SUFFIX ".vmm"

/* What the monitor may call: no launch, stop, log or statistics. */
#define MONITOR_RIGHTS (BH_POLICY_RIGHT_CONSOLE | BH_POLICY_RIGHT_YIELD | BH_POLICY_RIGHT_WAIT | \
                        BH_POLICY_RIGHT_TIME | BH_POLICY_RIGHT_SELF | BH_POLICY_RIGHT_CHANNEL)

static uint64_t two_mib_up(uint64_t a) { return (a + TWO_MIB - 1) & ~(TWO_MIB - 1); }
static uint64_t page_up(uint64_t a) { return (a + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1); }

static struct frame_alloc *memory_source(const struct vm_config *c)
{
	return c->launched_by ? &pool_frames : &phys_frames;
}

/* The guest's kernel and initramfs, and its monitor's image, from the
 * bundle; logs what is missing. */
struct linux_files {
	const struct bh_bundle_file *kernel, *initramfs, *monitor;
};

static int find_files(const struct vm_config *c, const void *policy,
                      const struct bh_policy_linux *lx, const struct bh_boot_info *bi,
                      struct linux_files *f)
{
	const char *initramfs = policy_string(policy, policy_image(policy, lx->initramfs)->name);
	const char *monitor = policy_string(policy, policy_image(policy, lx->monitor_image)->name);
	const char *missing = NULL;

	f->kernel = bootinfo_find_file(bi, c->image);
	f->initramfs = bootinfo_find_file(bi, initramfs);
	f->monitor = bootinfo_find_file(bi, monitor);
	if (!f->kernel)
		missing = c->image;
	else if (!f->initramfs)
		missing = initramfs;
	else if (!f->monitor)
		missing = monitor;
	if (missing) {
		kprintf("vm %s: not started: image '%s' is not in the bundle\n", c->name, missing);
		return -BH_ENOENT;
	}
	if (two_mib_up(f->kernel->size) + f->initramfs->size > BH_MONITOR_FILES_MAX) {
		kprintf("vm %s: not started: its kernel and initramfs exceed %llu MiB\n", c->name,
		        (unsigned long long)(BH_MONITOR_FILES_MAX >> 20));
		return -BH_EINVAL;
	}
	return 0;
}

static void fill_info(struct bh_monitor_info *info, const struct vm *guest, const void *policy,
                      const struct bh_policy_linux *lx, const struct linux_files *f)
{
	info->magic = BH_MONITOR_MAGIC;
	info->version = BH_MONITOR_VERSION;
	info->vcpus = 1;
	memcpy(info->name, guest->name, sizeof(info->name));
	info->guest_memory = guest->mem_size;
	info->tsc_khz = arch_tsc_hz() / 1000;
	info->kernel_gpa = BH_MONITOR_FILES;
	info->kernel_size = f->kernel->size;
	info->initramfs_gpa = BH_MONITOR_FILES + two_mib_up(f->kernel->size);
	info->initramfs_size = f->initramfs->size;
	info->pci_devices = devices_held(guest);
	if (lx->cmdline != BH_POLICY_NO_STRING) {
		const char *cmdline = policy_string(policy, lx->cmdline);
		size_t n = strnlen(cmdline, BH_MONITOR_CMDLINE_MAX - 1);
		memcpy(info->cmdline, cmdline, n);
	}
	for (uint32_t j = 0; j < lx->virtio_count && j < BH_MONITOR_VIRTIO_MAX; j++) {
		const struct bh_policy_virtio *d = policy_virtio(policy, lx, j);
		const char *name = policy_string(policy, policy_channel(policy, d->channel)->name);
		info->virtio[j].kind = d->kind;
		info->virtio[j].channel = BH_MON_NO_CHANNEL;
		memcpy(info->virtio[j].channel_name, name, strlen(name) + 1);
		info->virtio_count = j + 1;
	}
}

/* Gives the monitor its windows: the exit page, the guest's memory, the
 * files read-only. */
static int map_windows(struct vm *monitor, struct vm *guest, uint64_t page_hpa,
                       const struct linux_files *f, const struct bh_monitor_info *info)
{
	int rc = arch_vm_map(monitor, BH_MONITOR_PAGE, page_hpa, PAGE_SIZE, true);
	if (!rc)
		rc = arch_vm_map(monitor, BH_MONITOR_GUEST_RAM, guest->mem_hpa, guest->mem_size, true);
	if (!rc)
		rc = arch_vm_map(monitor, info->kernel_gpa, f->kernel->phys,
		                 page_up(f->kernel->size), false);
	if (!rc && f->initramfs->size)
		rc = arch_vm_map(monitor, info->initramfs_gpa, f->initramfs->phys,
		                 page_up(f->initramfs->size), false);
	return rc;
}

int linux_vm_create(const struct vm_config *c, const void *policy, uint32_t index,
                    const struct bh_boot_info *bi)
{
	const struct bh_policy_linux *lx = policy_linux_for(policy, index);
	struct linux_files f;
	char monitor_name[VM_NAME_MAX];
	const char *why;

	if (!lx)
		return -BH_EINVAL;
	if (!arch_linux_supported(&why)) {
		kprintf("vm %s: not started: %s\n", c->name, why);
		return -BH_ENOSYS;
	}
	size_t n = strlen(c->name);
	if (n + sizeof(MONITOR_SUFFIX) > VM_NAME_MAX || c->memory > BH_LINUX_MEM_MAX) {
		kprintf("vm %s: not started: name too long for its monitor's, or memory above %llu MiB\n",
		        c->name, (unsigned long long)(BH_LINUX_MEM_MAX >> 20));
		return -BH_EINVAL;
	}
	memcpy(monitor_name, c->name, n);
	memcpy(monitor_name + n, MONITOR_SUFFIX, sizeof(MONITOR_SUFFIX));
	int rc = find_files(c, policy, lx, bi, &f);
	if (rc)
		return rc;

	uint64_t page_hpa = frame_alloc(memory_source(c), 1, 1);
	if (!page_hpa) {
		kprintf("vm %s: not started: no memory for its exit page\n", c->name);
		return -BH_ENOMEM;
	}
	struct bh_monitor_page *page = (struct bh_monitor_page *)(uintptr_t)page_hpa;
	memset(page, 0, sizeof(*page));

	struct vm_config mc = {
		.name = monitor_name, .image = policy_string(policy,
		                                              policy_image(policy, lx->monitor_image)->name),
		.memory = lx->monitor_memory, .rights = MONITOR_RIGHTS,
		.policy_line = lx->line, .policy_index = index,
		.launched_by = c->launched_by, .kind = VM_KIND_MONITOR,
		.cpu = c->cpu,   /* the pair shares a CPU: the monitor works on the guest's vCPU */
	};
	struct vm *guest = NULL, *monitor = NULL;
	rc = vm_create(c, NULL, 0);
	if (!rc) {
		guest = vm_find_live(vm_first, c->name);
		guest->mon_page = page;   /* from now on freed when the guest is reaped */
		rc = vm_create(&mc, (const void *)(uintptr_t)f.monitor->phys, f.monitor->size);
	}
	if (!rc) {
		monitor = vm_find_live(vm_first, monitor_name);
		guest->pair = monitor;
		monitor->pair = guest;
		monitor->mon_page = page;
		fill_info(&page->info, guest, policy, lx, &f);
		rc = map_windows(monitor, guest, page_hpa, &f, &page->info);
		if (rc)
			kprintf("vm %s: not started: cannot map its monitor's windows (error %d)\n",
			        c->name, rc);
	}
	if (rc) {
		if (guest) {
			/* Its CPU releases it: first it must be that CPU's. */
			arch_vm_hand_over(guest);
			vm_stop(guest, "its monitor could not be started");
			return rc;   /* the exit page goes when the guest is reaped */
		}
		frame_free(memory_source(c), page_hpa, 1);
		return rc;
	}
	monitor_forward(guest, &(struct bh_monitor_exit){ .reason = BH_MON_EXIT_START });
	arch_vm_hand_over(guest);
	kprintf("vm %s: Linux guest, monitor %s, kernel %s (%llu bytes), initramfs %llu bytes\n",
	        guest->name, monitor->name, c->image, (unsigned long long)f.kernel->size,
	        (unsigned long long)f.initramfs->size);
	return 0;
}

struct vm *linux_vm_channel_holder(struct vm *vm)
{
	return vm->kind == VM_KIND_LINUX && vm->pair ? vm->pair : vm;
}

void linux_vm_channel_attached(struct vm *vm, const char *name, uint32_t handle)
{
	if (vm->kind != VM_KIND_MONITOR || !vm->mon_page)
		return;
	struct bh_monitor_info *info = &vm->mon_page->info;
	for (uint32_t j = 0; j < info->virtio_count && j < BH_MONITOR_VIRTIO_MAX; j++)
		if (!strcmp(info->virtio[j].channel_name, name))
			info->virtio[j].channel = handle;
}

void linux_vm_reaped(struct vm *guest)
{
	if (guest->kind != VM_KIND_LINUX || !guest->mon_page)
		return;
	memset(guest->mon_page, 0, PAGE_SIZE);
	frame_free(guest->frames, (uint64_t)(uintptr_t)guest->mon_page, 1);
	guest->mon_page = NULL;
	if (guest->pair)
		guest->pair->mon_page = NULL;
}
