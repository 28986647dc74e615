/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Kernel bring-up, in the order the dependencies force: console and own
 * descriptor tables first (so faults are reported), then the boot info is
 * checked before anything trusts it, ACPI is read while the firmware's
 * identity map still covers it, the kernel moves to its own page tables,
 * and only then is boot-services memory given to the frame allocator.
 */
#include "kernel/kernel.h"

#include "acpi/acpi.h"
#include "arch/arch.h"
#include "arch/console.h"
#include "arch/iommu.h"
#include "arch/smp.h"
#include "arch/time.h"
#include "arch/virt.h"
#include <bulkhead/policy_blob.h>

#include "kernel/policy.h"
#include "policy/blob.h"
#include "boot/bootinfo.h"
#include "kernel/channel.h"
#include "kernel/cmdline.h"
#include "kernel/control.h"
#include "kernel/device.h"
#include "kernel/kernel_lock.h"
#include "kernel/ksym.h"
#include "kernel/linux_vm.h"
#include "kernel/log.h"
#include "kernel/panic.h"
#include "kernel/sched.h"
#include "kernel/vm.h"
#include "kernel/vm_config.h"
#include "kernel/vm_cpu.h"
#include "mm/memmap.h"
#include "mm/phys.h"
#include "mm/pool.h"
#include "lib/string.h"

#define MAX_REGIONS 256

static struct mem_region regions[MAX_REGIONS];
static size_t nregions;

/* The bundle's "cmdline" file, or an empty one. */
static const char *options;
static size_t options_len;

static void read_options(const struct bh_boot_info *bi)
{
	const struct bh_bundle_file *f = bootinfo_find_file(bi, "cmdline");
	options = f ? (const char *)(uintptr_t)f->phys : "";
	options_len = f ? f->size : 0;
	size_t shown = options_len;
	while (shown && (options[shown - 1] == '\n' || options[shown - 1] == ' '))
		shown--;
	if (shown)
		kprintf("bulkhead: options: %.*s\n", (int)shown, options);

	char action[16];
	if (cmdline_get(options, options_len, "panic", action, sizeof(action)) >= 0) {
		if (!strcmp(action, "poweroff"))
			panic_set_poweroff(true);
		else if (strcmp(action, "halt"))
			kprintf("bulkhead: panic=%s: unknown action (halt|poweroff), using halt\n",
			        action);
	}
}

static void read_acpi(const struct bh_boot_info *bi)
{
	struct acpi_power power = { 0 };
	if (!bi->acpi_rsdp) {
		kprintf("acpi: no RSDP from firmware\n");
	} else {
		int rc = acpi_read_power(bi->acpi_rsdp, arch_early_map, NULL, &power);
		if (rc)
			kprintf("acpi: tables unusable (error %d); power-off falls back to emulator ports\n", rc);
		else
			kprintf("acpi: PM1a_CNT=0x%x S5=%s reset=%s\n", power.pm1a_cnt,
			        power.s5_valid ? "yes" : "no", power.reset_valid ? "yes" : "no");
	}
	arch_power_init(&power);

	/* The CPUs come from the UEFI stage's list (MP Services); the
	 * MADT's count is logged beside it, so a difference shows. */
	const uint8_t *madt;
	uint32_t madt_len;
	unsigned cpus;
	if (bi->acpi_rsdp &&
	    acpi_find_table(bi->acpi_rsdp, "APIC", arch_early_map, NULL, &madt, &madt_len) == 0 &&
	    acpi_madt_count_cpus(madt, madt_len, &cpus) == 0)
		kprintf("acpi: %u CPU%s in the MADT\n", cpus, cpus == 1 ? "" : "s");
	iommu_discover(bi->acpi_rsdp, arch_early_map, NULL);
}

static void setup_memory(const struct bh_boot_info *bi)
{
	const char *why;
	int rc = memmap_from_uefi((const void *)(uintptr_t)bi->memmap, bi->memmap_size,
	                          bi->memmap_desc_size, regions, MAX_REGIONS, &nregions);
	if (rc)
		panic("the UEFI memory map is unusable (error %d)", rc);

	rc = arch_kernel_space_init(regions, nregions, bi->early_pool,
	                            bi->early_pool_size, &why);
	if (rc)
		panic("cannot build the kernel's page tables: %s (error %d)", why, rc);

	rc = phys_init(regions, nregions, &why);
	if (rc)
		panic("cannot set up physical memory: %s (error %d)", why, rc);

	kprintf("mem: %llu MiB usable in %zu map regions; %llu frames free; "
	        "kernel page tables %llu KiB\n",
	        (unsigned long long)(memmap_total(regions, nregions, MEM_USABLE) >> 20),
	        nregions, (unsigned long long)phys_frames.free_frames,
	        (unsigned long long)(arch_kernel_space_table_bytes() >> 10));
}

/*
 * Starts the VMs the policy marks "boot", in policy order. A VM that cannot
 * be built is reported and skipped; the others still run. Returns how many
 * were started.
 */
static int start_boot_vms(const struct bh_boot_info *bi, const void *policy)
{
	int started = 0;

	for (uint32_t i = 0; i < policy_vm_count(policy); i++) {
		const struct bh_policy_vm *p = policy_vm(policy, i);
		if (!(p->flags & BH_POLICY_VM_BOOT))
			continue;
		struct vm_config c;
		vm_config_from_policy(&c, policy, i, NULL, NULL);
		vm_place(&c, vm_first);   /* every pin is known to exist: vm_cpus_init */
		if (c.kind == VM_KIND_LINUX) {
			if (linux_vm_create(&c, policy, i, bi) == 0)
				started++;
			continue;
		}
		const struct bh_bundle_file *img = bootinfo_find_file(bi, c.image);
		if (!img) {
			kprintf("vm %s: not started: image '%s' is not in the bundle\n",
			        c.name, c.image);
			continue;
		}
		if (vm_create(&c, (const void *)(uintptr_t)img->phys, img->size) == 0)
			started++;
	}
	return started;
}

/* debug.fault=KIND debug.fault-cpu=N (N > 0): the fault is raised by
 * application processor N, once it holds the kernel lock, rather than by
 * the boot CPU at start-up: its own stack and handlers are what is shown. */
static char ap_fault[16];
static unsigned ap_fault_cpu;

/* An AP's index, 1 .. ARCH_MAX_CPUS - 1, in decimal; 0 if text is not one. */
static unsigned parse_ap_index(const char *text)
{
	unsigned n = 0;
	for (const char *c = text; *c; c++) {
		if (*c < '0' || *c > '9' || n >= ARCH_MAX_CPUS)
			return 0;
		n = n * 10 + (unsigned)(*c - '0');
	}
	return n < ARCH_MAX_CPUS ? n : 0;
}

/* Reads debug.fault and debug.fault-cpu: raises the fault now on the
 * boot CPU, or leaves it for the AP named (a bad index is said, and the
 * fault is not raised at all). */
static void read_debug_fault(void)
{
	char fault[sizeof(ap_fault)], where[8];
	if (cmdline_get(options, options_len, "debug.fault", fault, sizeof(fault)) < 0)
		return;
	if (cmdline_get(options, options_len, "debug.fault-cpu", where, sizeof(where)) >= 0) {
		ap_fault_cpu = parse_ap_index(where);
		if (!ap_fault_cpu) {
			kprintf("bulkhead: debug.fault-cpu=%s: not an application processor (1 to %u); "
			        "the fault is not raised\n", where, ARCH_MAX_CPUS - 1);
			return;
		}
		memcpy(ap_fault, fault, sizeof(ap_fault));
		kprintf("bulkhead: debug.fault=%s: left for cpu %u\n", fault, ap_fault_cpu);
		return;
	}
	if (arch_trigger_fault(fault) < 0)
		kprintf("bulkhead: debug.fault=%s: unknown kind, ignored\n", fault);
}

/* An application processor, started and holding the kernel lock. */
static void cpu_main(unsigned cpu)
{
	if (ap_fault_cpu == cpu && arch_trigger_fault(ap_fault) < 0)
		kprintf("bulkhead: debug.fault=%s: unknown kind, ignored\n", ap_fault);
	sched_run(cpu);
}

void kernel_main(struct bh_boot_info *bi)
{
	const char *why;
	int rc;

	/* Held from the start: the APs, once started, wait for it. */
	kernel_lock();
	arch_console_init();
	arch_early_init();
	kprintf("bulkhead: kernel started\n");
	/* Where the firmware loaded the image: debuggers need it for the
	 * symbols (make debug, docs/debugging.md). */
	kprintf("bulkhead: kernel image at 0x%llx\n", (unsigned long long)ksym_image_base());

	if (bootinfo_validate(bi, &why))
		panic("the boot info from the UEFI stage is invalid: %s", why);
	kprintf("bulkhead: boot info v%u, %u bundle files\n", bi->version, bi->bundle_count);
	read_options(bi);
	/* Validated before anything else is decided, so a bad policy is
	 * reported the same on every machine (docs/design.md boot step 3). */
	const void *policy = policy_load(bi);
	read_acpi(bi);
	setup_memory(bi);

	read_debug_fault();

	why = arch_virt_probe();
	if (why) {
		kprintf("bulkhead: %s; cannot run VMs\n", why);
		arch_power_off();
	}
	arch_time_init();
	rc = arch_virt_init(&why);
	if (rc)
		panic("cannot turn on %s: %s (error %d)", arch_virt_name(), why, rc);
	kprintf("bulkhead: %s ready; clock %llu kHz\n", arch_virt_name(),
	        (unsigned long long)(arch_tsc_hz() / 1000));
	/* Every device is confined (or known not to be) before any VM runs. */
	const char *iommu_why = "";
	int iommu_rc = iommu_init(&iommu_why);
	if (iommu_rc)
		kprintf("iommu: %s\n", iommu_why);
	unsigned cpus = arch_cpus_start(bi->cpu_apic_id, bi->cpu_count, regions, nregions,
	                                cpu_main);
	kprintf("bulkhead: %u CPU%s run VMs\n", cpus, cpus == 1 ? "" : "s");
	if (ap_fault_cpu >= cpus)
		kprintf("bulkhead: debug.fault=%s: cpu %u does not run; not raised\n", ap_fault,
		        ap_fault_cpu);
	if (policy && vm_cpus_init(policy)) {
		kprintf("bulkhead: the policy needs CPUs this machine does not run; "
		        "no VM is started\n");
		arch_power_off();
	}
	if (policy)
		devices_init(policy, iommu_rc, regions, nregions);

	if (policy && start_boot_vms(bi, policy) > 0) {
		channels_setup(policy);
		/* Only now: the boot VMs and channels have their memory first. */
		pool_reserve(policy_header(policy)->pool_memory);
		control_init(bi, policy);
		vm_for_each(v) {
			if (v->control && v->state == VM_RUNNABLE) {
				kprintf("bulkhead: the console now belongs to %s; the kernel "
				        "log goes to its ring\n", v->name);
				log_console_give();
			}
		}
		sched_run(0);
	}
	kprintf("bulkhead: no VM can run any more; powering off\n");
	arch_power_off();
}
