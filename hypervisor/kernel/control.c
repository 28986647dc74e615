/* SPDX-License-Identifier: GPL-2.0-only */
#include "kernel/control.h"

#include <stdbool.h>

#include <bulkhead/errno.h>
#include <bulkhead/hypercall.h>
#include <bulkhead/policy_blob.h>

#include "arch/arch.h"
#include "arch/time.h"
#include "boot/bootinfo.h"
#include "kernel/channel.h"
#include "kernel/console_attach.h"
#include "kernel/console_in.h"
#include "kernel/launch_check.h"
#include "kernel/linux_vm.h"
#include "kernel/log.h"
#include "kernel/vm_config.h"
#include "kernel/vm_copy.h"
#include "kernel/vm_cpu.h"
#include "kernel/vm_history.h"
#include "lib/names.h"
#include "lib/string.h"
#include "mm/phys.h"
#include "mm/pool.h"
#include "policy/blob.h"

static const struct bh_boot_info *boot_info;
static const void *policy;

void control_init(const struct bh_boot_info *bi, const void *p)
{
	boot_info = bi;
	policy = p;
}

int64_t control_launch(struct vm *vm, const uint64_t *arg, enum hc_next *next)
{
	char template[VM_NAME_MAX], name[VM_NAME_MAX];
	struct vm_config c;
	(void)next;

	if (vm_copy_string(vm, template, arg[0], sizeof(template)) ||
	    vm_copy_string(vm, name, arg[1], sizeof(name)))
		return -BH_EFAULT;
	if (!bh_name_valid(name))
		return -BH_EINVAL;
	int t = policy_vm_find(policy, template);
	if (t < 0)
		return -BH_ENOENT;
	const struct bh_policy_launch *rule = policy_launch_for(policy, vm->policy_index);
	if (!rule || !policy_may_launch(policy, vm->policy_index, (uint32_t)t))
		return -BH_EPERM;
	vm_config_from_policy(&c, policy, (uint32_t)t, name, vm);
	if (vm_place(&c, vm_first))
		return -BH_EINVAL;   /* pinned to a CPU the machine lacks: the boot said so */
	int rc = launch_check(&c, rule, pool_free(), vm_first);
	if (rc)
		return rc;
	if (c.kind == VM_KIND_LINUX) {
		rc = linux_vm_create(&c, policy, (uint32_t)t, boot_info);
	} else {
		const struct bh_bundle_file *img = bootinfo_find_file(boot_info, c.image);
		if (!img)
			return -BH_ENOENT;
		rc = vm_create(&c, (const void *)(uintptr_t)img->phys, img->size);
	}
	if (rc)
		return rc;
	struct vm *launched = vm_find_live(vm_first, name);
	channels_vm_started(launched);
	return launched->id;
}

int64_t control_stop(struct vm *vm, const uint64_t *arg, enum hc_next *next)
{
	char name[VM_NAME_MAX];

	if (vm_copy_string(vm, name, arg[0], sizeof(name)))
		return -BH_EFAULT;
	struct vm *target = vm_find_live(vm_first, name);
	if (!target)
		return -BH_ENOENT;
	if (target->launched_by != vm)
		return -BH_EPERM;   /* boot VMs and others' VMs are not the CLI's */
	vm_stop(target, "stopped by %s", vm->name);
	/* The scheduler reclaims it as soon as this call returns the CPU:
	 * a launch typed right behind the stop then finds its memory back
	 * in the pool. */
	*next = HC_YIELD;
	return 0;
}

int64_t control_list(struct vm *vm, const uint64_t *arg, enum hc_next *next)
{
	struct vm_out_array out;
	(void)next;

	/* No fixed count of records: the cap is what the caller's memory could hold. */
	if (vm_out_array_open(&out, vm, arg[0], arg[1], vm->mem_size / sizeof(struct bh_vm_stat),
	                      sizeof(struct bh_vm_stat)))
		return -BH_EFAULT;
	struct bh_vm_stat s;
	vm_for_each(v) {
		vm_list_record(v, &s);
		vm_out_array_put(&out, &s);
	}
	for (unsigned i = 0; i < vm_past.count; i++)
		vm_out_array_put(&out, vm_history_get(&vm_past, i));
	return (int64_t)out.count;
}

int64_t control_log_read(struct vm *vm, const uint64_t *arg, enum hc_next *next)
{
	uint64_t cursor;
	(void)next;

	char *text = vm_guest_buffer(vm, arg[1], arg[2]);
	if (!text || vm_copy_in(vm, &cursor, arg[0], sizeof(cursor)))
		return -BH_EFAULT;
	if (cursor == BH_LOG_CURSOR_CONSOLE)
		cursor = log_console_from();
	size_t n = log_ring_read(log_ring(), &cursor, text, arg[2], NULL);
	if (vm->control)
		log_console_owner_read(cursor);   /* the console has it now */
	vm_copy_out(vm, arg[0], &cursor, sizeof(cursor));
	return (int64_t)n;
}

int64_t control_stats(struct vm *vm, const uint64_t *arg, enum hc_next *next)
{
	struct bh_sys_stats s = { 0 };
	(void)next;

	if (!vm_range_ok(vm, arg[0], sizeof(s)))
		return -BH_EFAULT;
	s.mem_free = phys_frames.free_frames * PAGE_SIZE;
	s.pool_size = pool_size();
	s.pool_used = pool_used();
	vm_for_each(v) {
		if (v->mem_hpa)
			s.mem_vms += v->mem_size;
		if (vm_is_live(v)) {
			s.vms++;
			/* As documented: what a 2 MiB VM costs the kernel. */
			if (v->mem_size == (2ull << 20))
				s.kernel_bytes_per_vm = v->kernel_bytes;
		}
	}
	/* No fixed limit: as many more as the pool's free memory holds 2 MiB
	 * VMs with their kernel records (hypercall.h). */
	s.vms_max = s.vms + (uint32_t)(pool_free() / ((2ull << 20) + s.kernel_bytes_per_vm));
	vm_copy_out(vm, arg[0], &s, sizeof(s));
	return 0;
}

int64_t control_console_read(struct vm *vm, const uint64_t *arg, enum hc_next *next)
{
	(void)next;
	char *buf = vm_guest_buffer(vm, arg[0], arg[1]);
	if (!buf)
		return -BH_EFAULT;
	if (!vm->control)   /* any other VM reads what was sent to it */
		return (int64_t)console_input_read(vm, buf, arg[1]);
	return (int64_t)console_in_read(buf, arg[1]);
}

/* Guest images are the bundle's ELF files (docs/bundle.md). */
static bool is_image(const char *name)
{
	size_t n = strlen(name);
	return n > 4 && !strcmp(name + n - 4, ".elf");
}

int64_t control_images(struct vm *vm, const uint64_t *arg, enum hc_next *next)
{
	struct vm_out_array out;
	(void)next;

	if (vm_out_array_open(&out, vm, arg[0], arg[1], BH_BUNDLE_MAX_FILES,
	                      sizeof(struct bh_image_info)))
		return -BH_EFAULT;
	for (uint32_t i = 0; i < boot_info->bundle_count; i++) {
		const struct bh_bundle_file *f = &boot_info->bundle[i];
		if (!is_image(f->name))
			continue;
		struct bh_image_info info = { .size = f->size };
		memcpy(info.name, f->name, sizeof(info.name));
		memcpy(info.sha256, f->sha256, sizeof(info.sha256));
		vm_out_array_put(&out, &info);
	}
	return (int64_t)out.count;
}

int64_t control_channels(struct vm *vm, const uint64_t *arg, enum hc_next *next)
{
	struct vm_out_array out;
	struct bh_channel_stat s;
	(void)next;

	if (vm_out_array_open(&out, vm, arg[0], arg[1], BH_POLICY_MAX_CHANNELS, sizeof(s)))
		return -BH_EFAULT;
	while (channel_stat((uint32_t)out.count, &s) == 0)
		vm_out_array_put(&out, &s);
	return (int64_t)out.count;
}

int64_t control_shutdown(struct vm *vm, const uint64_t *arg, enum hc_next *next)
{
	(void)arg; (void)next;
	log_console_take_back();
	kprintf("bulkhead: shutdown requested by %s\n", vm->name);
	arch_power_off();
}
