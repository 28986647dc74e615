/* SPDX-License-Identifier: GPL-2.0-only */
/* The PVH loader: the command line, the memory it fills, its refusals. */
#include <stdlib.h>

#include "check.h"
#include "fake_vmlinux.h"

#include "acpi/tables.h"
#include "boot.h"
#include "bulkhead/errno.h"
#include "loader/hvm_start_info.h"
#include "loader/pvh.h"
#include "mem/flat_memory.h"

#define RAM (32ull << 20)

static uint8_t *ram_host;
static struct flat_memory fm;
static const struct guest_memory *ram;
static uint8_t kernel[FAKE_IMAGE_SIZE];
static uint8_t scratch[BOOT_ACPI_MAX];
static struct acpi_platform platform = {
	.ram_bytes = RAM, .nvcpus = 1, .lapic_base = 0xfee00000, .ioapic_base = 0xfec00000,
	.ioapic_id = 1, .has_uart = true, .uart_port = 0x3f8, .uart_gsi = 4, .has_rtc = true,
};

static struct boot_params params(const uint8_t *initrd, size_t isize, const char *cmdline)
{
	free(ram_host);
	ram_host = malloc(RAM);
	memset(ram_host, 0xee, RAM);           /* a previous run's leftovers */
	ram = flat_memory_init(&fm, 0, RAM, ram_host);
	fake_vmlinux(kernel);
	return (struct boot_params){
		.kernel = kernel, .kernel_size = sizeof kernel,
		.initramfs = initrd, .initramfs_size = isize,
		.ram_bytes = RAM, .tsc_khz = 2600000,
		.policy_cmdline = cmdline, .policy_cmdline_max = 512,
		.platform = &platform, .scratch = scratch,
	};
}

/* Loads the fake kernel, which must succeed, and returns the start info. */
static struct hvm_start_info load(const uint8_t *initrd, size_t isize, const char *cmdline,
                                  struct boot_result *r)
{
	struct boot_params p = params(initrd, isize, cmdline);
	const char *why;
	CHECK_EQ(boot_load(ram, &p, r, &why), 0);
	struct hvm_start_info si;
	memcpy(&si, ram_host + 0x1000, sizeof si);
	return si;
}

TEST(command_line_is_the_monitors_then_the_policys)
{
	char buf[BOOT_CMDLINE_MAX];
	CHECK_EQ(boot_cmdline(buf, sizeof buf, 2600000, false, "console=hvc0 quiet", 512), 96);
	CHECK_STR_EQ(buf, "console=ttyS0 reboot=t panic=-1 tsc_early_khz=2600000 pci=off "
	                  "8250.nr_uarts=1 console=hvc0 quiet");
	CHECK(boot_cmdline(buf, sizeof buf, 1, false, "", 512) > 0);
	CHECK_STR_EQ(buf, "console=ttyS0 reboot=t panic=-1 tsc_early_khz=1 pci=off 8250.nr_uarts=1");
	/* The policy's text is bounded even without a NUL. */
	char raw[4] = { 'a', 'b', 'c', 'd' };
	CHECK(boot_cmdline(buf, sizeof buf, 1, false, raw, sizeof raw) > 0);
	CHECK(strstr(buf, " abcd") != NULL);
	CHECK_EQ(boot_cmdline(buf, 20, 1, false, "", 512), -BH_E2BIG);
	char *big = malloc(3000);
	memset(big, 'x', 2999);
	big[2999] = 0;
	CHECK_EQ(boot_cmdline(buf, sizeof buf, 1, false, big, 3000), -BH_E2BIG);
	free(big);
	/* A guest with PCI functions must not have pci=off. */
	CHECK_EQ(boot_cmdline(buf, sizeof buf, 2600000, true, "quiet", 512), 75);
	CHECK_STR_EQ(buf, "console=ttyS0 reboot=t panic=-1 tsc_early_khz=2600000 "
	                  "8250.nr_uarts=1 quiet");
}

TEST(load_fills_memory_as_pvh_expects)
{
	static uint8_t initrd[10000];
	memset(initrd, 0x17, sizeof initrd);
	struct boot_params p = params(initrd, sizeof initrd, "quiet");
	struct boot_result r;
	const char *why;
	CHECK_EQ(boot_load(ram, &p, &r, &why), 0);
	CHECK_EQ(r.entry, FAKE_ENTRY);
	CHECK_EQ(r.start_info, 0x1000);
	CHECK_EQ(r.initramfs_gpa, (RAM - sizeof initrd) & ~0xfffull);

	struct hvm_start_info si;
	memcpy(&si, ram_host + 0x1000, sizeof si);
	CHECK_EQ(si.magic, XEN_HVM_START_MAGIC_VALUE);
	CHECK_EQ(si.version, 1);
	CHECK_EQ(si.nr_modules, 1);
	CHECK(strstr((char *)ram_host + si.cmdline_paddr, "8250.nr_uarts=1 quiet") != NULL);
	CHECK(memcmp(ram_host + si.rsdp_paddr, "RSD PTR ", 8) == 0);
	CHECK(si.rsdp_paddr >= BOOT_ACPI_GPA && si.rsdp_paddr < BOOT_LOW_END);
	struct hvm_modlist_entry mod;
	memcpy(&mod, ram_host + si.modlist_paddr, sizeof mod);
	CHECK_EQ(mod.paddr, r.initramfs_gpa);
	CHECK_EQ(mod.size, sizeof initrd);
	CHECK(memcmp(ram_host + mod.paddr, initrd, sizeof initrd) == 0);
	struct hvm_memmap_table_entry map[3];
	CHECK_EQ(si.memmap_entries, 3);
	memcpy(map, ram_host + si.memmap_paddr, sizeof map);
	CHECK_EQ(map[0].addr, 0);
	CHECK_EQ(map[0].type, XEN_HVM_MEMMAP_TYPE_RAM);
	CHECK_EQ(map[1].addr, BOOT_ACPI_GPA);
	CHECK_EQ(map[1].type, XEN_HVM_MEMMAP_TYPE_ACPI);
	CHECK_EQ(map[2].addr + map[2].size, RAM);
	/* The text is loaded, the rest of its memsz and all other memory zero. */
	CHECK_EQ(ram_host[FAKE_TEXT_PADDR], 0xf4);
	CHECK_EQ(ram_host[FAKE_TEXT_PADDR + FAKE_TEXT_SIZE], 0);
	CHECK_EQ(ram_host[FAKE_TEXT_PADDR + FAKE_TEXT_MEMSZ - 1], 0);
	CHECK_EQ(ram_host[0x800000], 0);
	CHECK_EQ(ram_host[0], 0);
}

TEST(without_pci_the_memory_map_has_no_ecam_and_the_command_line_says_pci_off)
{
	struct boot_result r;
	struct hvm_start_info si = load(NULL, 0, "", &r);
	CHECK_EQ(si.memmap_entries, 3);
	struct hvm_memmap_table_entry past;
	memcpy(&past, ram_host + si.memmap_paddr + 3 * sizeof past, sizeof past);
	CHECK_EQ(past.addr | past.size | past.type, 0);   /* nothing written there */
	CHECK(strstr((char *)ram_host + si.cmdline_paddr, " pci=off ") != NULL);
}

TEST(with_pci_the_memory_map_reserves_the_ecam_and_pci_stays_on)
{
	struct acpi_platform saved = platform;
	platform.has_pci = true;
	platform.ecam_base = 0xfe000000;
	platform.pci_mem_base = 0xe0000000;
	platform.pci_mem_limit = 0xfe000000;
	struct boot_result r;
	struct hvm_start_info si = load(NULL, 0, "quiet", &r);
	platform = saved;
	CHECK_EQ(si.memmap_entries, 4);
	struct hvm_memmap_table_entry map[4];
	memcpy(map, ram_host + si.memmap_paddr, sizeof map);
	CHECK_EQ(map[2].addr + map[2].size, RAM);          /* RAM as before */
	CHECK_EQ(map[3].addr, 0xfe000000);
	CHECK_EQ(map[3].size, 0x100000);
	CHECK_EQ(map[3].type, XEN_HVM_MEMMAP_TYPE_RESERVED);
	for (unsigned i = 0; i < 3; i++)                    /* clear of every other entry */
		CHECK(map[i].addr + map[i].size <= map[3].addr);
	const char *cmdline = (const char *)ram_host + si.cmdline_paddr;
	CHECK(strstr(cmdline, "pci=off") == NULL);
	CHECK(strstr(cmdline, "8250.nr_uarts=1 quiet") != NULL);
	/* The tables the guest gets have the MCFG. */
	uint64_t xsdt;
	memcpy(&xsdt, ram_host + si.rsdp_paddr + 24, sizeof xsdt);
	uint32_t xsdt_len;
	memcpy(&xsdt_len, ram_host + xsdt + 4, sizeof xsdt_len);
	CHECK_EQ(xsdt_len, 36 + 3 * 8);
	uint64_t mcfg;
	memcpy(&mcfg, ram_host + xsdt + 36 + 2 * 8, sizeof mcfg);
	CHECK(memcmp(ram_host + mcfg, "MCFG", 4) == 0);
}

TEST(without_an_initramfs_no_module_is_listed)
{
	struct boot_result r;
	struct hvm_start_info si = load(NULL, 0, "", &r);
	CHECK_EQ(si.nr_modules, 0);
	CHECK_EQ(si.modlist_paddr, 0);
	CHECK_EQ(r.initramfs_gpa, 0);
}

TEST(loads_that_cannot_work_are_refused_with_a_reason)
{
	static uint8_t initrd[64];
	struct boot_result r;
	const char *why;
	struct boot_params p = params(initrd, sizeof initrd, "");

	kernel[0] = 0;                                     /* not ELF */
	CHECK_EQ(boot_load(ram, &p, &r, &why), -BH_EINVAL);
	CHECK_STR_EQ(why, pvh_error_name(PVH_E_NOT_ELF));

	p = params(initrd, sizeof initrd, "");
	p.initramfs_size = RAM;                            /* bigger than RAM */
	CHECK_EQ(boot_load(ram, &p, &r, &why), -BH_E2BIG);
	CHECK(strstr(why, "initramfs") != NULL);
	p.initramfs_size = RAM - FAKE_TEXT_PADDR - FAKE_TEXT_MEMSZ + 1;
	CHECK_EQ(boot_load(ram, &p, &r, &why), -BH_E2BIG);

	p = params(NULL, 0, "");
	p.ram_bytes = FAKE_TEXT_PADDR + 0x1000;            /* the kernel's bss past RAM */
	CHECK_EQ(boot_load(ram, &p, &r, &why), -BH_E2BIG);
	p.ram_bytes = RAM + 1;
	CHECK_EQ(boot_load(ram, &p, &r, &why), -BH_EINVAL);
	/* RAM the memory interface does not back. */
	p.ram_bytes = RAM * 2;
	CHECK_EQ(boot_load(ram, &p, &r, &why), -BH_EFAULT);

	p = params(NULL, 0, "");
	struct acpi_platform bad = platform;
	bad.nvcpus = 0;
	p.platform = &bad;
	CHECK_EQ(boot_load(ram, &p, &r, &why), -BH_EINVAL);
	CHECK(strstr(why, "ACPI") != NULL);
	free(ram_host);
	ram_host = NULL;
}
