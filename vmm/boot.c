/* SPDX-License-Identifier: GPL-2.0-only */
/* The PVH loader (contract and memory layout in boot.h). */
#include <bulkhead/errno.h>

#include "acpi/tables.h"
#include "boot.h"
#include "lib/format.h"
#include "lib/string.h"
#include "loader/hvm_start_info.h"
#include "loader/pvh.h"

#define PAGE 4096ull

static const uint8_t zero_page[PAGE];

static int zero_range(const struct guest_memory *ram, uint64_t gpa, uint64_t n)
{
	while (n) {
		size_t chunk = n < PAGE ? (size_t)n : (size_t)PAGE;
		int err = guest_write(ram, gpa, zero_page, chunk);
		if (err)
			return err;
		gpa += chunk;
		n -= chunk;
	}
	return 0;
}

int boot_cmdline(char *buf, size_t cap, uint64_t tsc_khz, bool pci, const char *policy,
                 size_t policy_max)
{
	size_t plen = policy ? strnlen(policy, policy_max) : 0;
	int n = bh_snprintf(buf, cap,
	                    "console=ttyS0 reboot=t panic=-1 tsc_early_khz=%llu %s8250.nr_uarts=1%s%.*s",
	                    (unsigned long long)tsc_khz, pci ? "" : "pci=off ", plen ? " " : "",
	                    (int)plen, plen ? policy : "");
	if (n < 0 || (size_t)n >= cap || (size_t)n >= BOOT_CMDLINE_MAX)
		return -BH_E2BIG;
	return n;
}

static int fail(const char **why, const char *text, int err)
{
	*why = text;
	return err;
}

int boot_load(const struct guest_memory *ram, const struct boot_params *p,
              struct boot_result *out, const char **why)
{
	static struct pvh_image img;   /* large; the monitor has one loader */
	int err;

	*why = "";
	if (p->ram_bytes % PAGE || p->ram_bytes <= BOOT_LOW_END)
		return fail(why, "guest RAM is not a 4 KiB multiple above 1 MiB", -BH_EINVAL);
	enum pvh_error perr = pvh_parse(p->kernel, p->kernel_size, &img);
	if (perr != PVH_OK)
		return fail(why, pvh_error_name(perr), -BH_EINVAL);
	if (img.load_start < BOOT_LOW_END || img.load_end > p->ram_bytes)
		return fail(why, "the kernel's segments do not fit in RAM above 1 MiB", -BH_E2BIG);

	uint64_t initrd = 0;
	size_t isize = p->initramfs ? p->initramfs_size : 0;
	if (isize) {
		if (isize > p->ram_bytes - img.load_end)
			return fail(why, "the initramfs does not fit in RAM above the kernel", -BH_E2BIG);
		initrd = (p->ram_bytes - isize) & ~(PAGE - 1);
		if (initrd < img.load_end)
			return fail(why, "the initramfs does not fit in RAM above the kernel", -BH_E2BIG);
	}

	char cmdline[BOOT_CMDLINE_MAX];
	int clen = boot_cmdline(cmdline, sizeof cmdline, p->tsc_khz, p->platform->has_pci,
	                        p->policy_cmdline, p->policy_cmdline_max);
	if (clen < 0)
		return fail(why, "the command line is longer than 2047 bytes", clen);

	struct acpi_layout layout;
	err = acpi_build(p->platform, p->scratch, BOOT_ACPI_MAX, BOOT_ACPI_GPA, &layout);
	if (err)
		return fail(why, "the ACPI platform description was refused", err);

	/* A reset must not leave the last run's memory behind. */
	err = zero_range(ram, 0, p->ram_bytes);
	for (unsigned i = 0; !err && i < img.nsegments; i++) {
		const struct pvh_segment *s = &img.segments[i];
		err = guest_write(ram, s->paddr, p->kernel + s->offset, (size_t)s->filesz);
	}
	if (!err && isize)
		err = guest_write(ram, initrd, p->initramfs, isize);
	if (!err)
		err = guest_write(ram, BOOT_CMDLINE_GPA, cmdline, (size_t)clen + 1);
	if (!err)
		err = guest_write(ram, BOOT_ACPI_GPA, p->scratch, layout.total);

	const struct hvm_memmap_table_entry map[BOOT_MEMMAP_MAX] = {
		{ .addr = 0, .size = BOOT_ACPI_GPA, .type = XEN_HVM_MEMMAP_TYPE_RAM },
		{ .addr = BOOT_ACPI_GPA, .size = BOOT_LOW_END - BOOT_ACPI_GPA,
		  .type = XEN_HVM_MEMMAP_TYPE_ACPI },
		{ .addr = BOOT_LOW_END, .size = p->ram_bytes - BOOT_LOW_END,
		  .type = XEN_HVM_MEMMAP_TYPE_RAM },
		{ .addr = p->platform->ecam_base, .size = ACPI_ECAM_SIZE,
		  .type = XEN_HVM_MEMMAP_TYPE_RESERVED },
	};
	const uint32_t nmap = p->platform->has_pci ? BOOT_MEMMAP_MAX : BOOT_MEMMAP_MAX - 1;
	const struct hvm_modlist_entry mod = { .paddr = initrd, .size = isize };
	const struct hvm_start_info si = {
		.magic = XEN_HVM_START_MAGIC_VALUE,
		.version = HVM_START_INFO_VERSION,
		.nr_modules = isize ? 1 : 0,
		.modlist_paddr = isize ? BOOT_MODLIST_GPA : 0,
		.cmdline_paddr = BOOT_CMDLINE_GPA,
		.rsdp_paddr = layout.rsdp_gpa,
		.memmap_paddr = BOOT_MEMMAP_GPA,
		.memmap_entries = nmap,
	};
	if (!err)
		err = guest_write(ram, BOOT_MEMMAP_GPA, map, nmap * sizeof map[0]);
	if (!err && isize)
		err = guest_write(ram, BOOT_MODLIST_GPA, &mod, sizeof mod);
	if (!err)
		err = guest_write(ram, BOOT_START_INFO_GPA, &si, sizeof si);
	if (err)
		return fail(why, "a write to guest memory failed", err);

	out->entry = img.entry;
	out->start_info = BOOT_START_INFO_GPA;
	out->initramfs_gpa = initrd;
	out->kernel_end = img.load_end;
	return 0;
}
