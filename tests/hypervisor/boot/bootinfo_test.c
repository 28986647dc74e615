/* SPDX-License-Identifier: GPL-2.0-only */
/* Host tests of hypervisor/boot/bootinfo.c. */
#include "check.h"

#include <bulkhead/errno.h>

#include "boot/bootinfo.h"

static struct bh_boot_info bi;

static void add_file(const char *name, uint64_t phys, uint64_t size)
{
	struct bh_bundle_file *f = &bi.bundle[bi.bundle_count++];
	memset(f, 0, sizeof(*f));
	strcpy(f->name, name);
	f->phys = phys;
	f->size = size;
}

/* A well-formed boot info with three files and one CPU. */
static void make_valid(void)
{
	memset(&bi, 0, sizeof(bi));
	bi.magic = BH_BOOTINFO_MAGIC;
	bi.version = BH_BOOTINFO_VERSION;
	bi.size = sizeof(bi);
	bi.image_base = 0x1000000;
	bi.image_size = 0x80000;
	bi.memmap = 0x2000000;
	bi.memmap_size = 48 * 40;
	bi.memmap_desc_size = 48;
	bi.memmap_desc_version = 1;
	bi.acpi_rsdp = 0xe0000;
	add_file("cmdline", 0x3000000, 100);
	add_file("policy.bin", 0x3001000, 0x2000);
	add_file("guest0.img", 0x3003000, 0x100000);
	bi.cpu_count = 1;
	bi.cpu_apic_id[0] = 0;
}

/* Expects rejection with a reason that mentions `word`. */
static void expect_reject(const char *word)
{
	const char *why = NULL;
	CHECK_EQ(bootinfo_validate(&bi, &why), -BH_EINVAL);
	CHECK(why != NULL);
	if (!strstr(why, word))
		check_fail(__FILE__, __LINE__, "reason \"%s\" lacks \"%s\"", why, word);
}

TEST(valid_boot_info_passes)
{
	make_valid();
	const char *why = "untouched";
	CHECK_EQ(bootinfo_validate(&bi, &why), 0);
	CHECK_EQ(bootinfo_validate(&bi, NULL), 0);
	bi.bundle_count = 0;
	CHECK_EQ(bootinfo_validate(&bi, NULL), 0);
	make_valid();
	bi.acpi_rsdp = 0;                          /* no ACPI is allowed */
	add_file("empty", 0x5000000, 0);           /* zero-length files are allowed */
	CHECK_EQ(bootinfo_validate(&bi, NULL), 0);
}

TEST(header_rejections)
{
	make_valid();
	bi.magic ^= 1;
	expect_reject("magic");
	CHECK_EQ(bootinfo_validate(&bi, NULL), -BH_EINVAL);
	make_valid();
	bi.version = 1;                            /* the layout before the CPU list */
	expect_reject("version");
	make_valid();
	bi.version = BH_BOOTINFO_VERSION + 1;
	expect_reject("version");
	make_valid();
	bi.size = sizeof(bi) - 8;
	expect_reject("size");
	make_valid();
	bi.size = sizeof(bi) + 8;
	expect_reject("size");
	CHECK_EQ(bootinfo_validate(NULL, NULL), -BH_EINVAL);
}

TEST(image_rejections)
{
	make_valid();
	bi.image_size = 0;
	expect_reject("image");
	make_valid();
	bi.image_base = 0xfffffffffff00000ull;
	bi.image_size = 0x200000;
	expect_reject("image");
}

TEST(memmap_rejections)
{
	make_valid();
	bi.memmap = 0;
	expect_reject("memory map is missing");
	make_valid();
	bi.memmap_desc_size = 32;
	bi.memmap_size = 32 * 10;
	expect_reject("descriptor size");
	make_valid();
	bi.memmap_desc_size = 44;
	bi.memmap_size = 44 * 10;
	expect_reject("descriptor size");
	make_valid();
	bi.memmap_size = 0;
	expect_reject("memory map size");
	make_valid();
	bi.memmap_size = 48 * 10 + 8;
	expect_reject("memory map size");
	make_valid();
	bi.memmap_desc_size = 64;
	bi.memmap_size = 1u << 20;                 /* a multiple, but not below 1 MiB */
	expect_reject("memory map size");
	bi.memmap_size = (1u << 20) - 64;
	CHECK_EQ(bootinfo_validate(&bi, NULL), 0);
	bi.memmap = 0xfffffffffffff000ull;
	expect_reject("memory map range");
}

TEST(bundle_count_rejection)
{
	make_valid();
	bi.bundle_count = BH_BUNDLE_MAX_FILES + 1;
	expect_reject("bundle_count");
}

TEST(file_name_rejections)
{
	make_valid();
	bi.bundle[1].name[0] = '\0';
	expect_reject("name");
	make_valid();
	memset(bi.bundle[2].name, 'a', BH_BUNDLE_NAME_MAX);   /* no NUL */
	expect_reject("name");
	make_valid();
	strcpy(bi.bundle[0].name, "dir/file");
	expect_reject("'/'");
	make_valid();
	strcpy(bi.bundle[2].name, "cmdline");
	expect_reject("twice");
	/* A 47-character name is the longest allowed. */
	make_valid();
	memset(bi.bundle[2].name, 'b', BH_BUNDLE_NAME_MAX - 1);
	bi.bundle[2].name[BH_BUNDLE_NAME_MAX - 1] = '\0';
	CHECK_EQ(bootinfo_validate(&bi, NULL), 0);
}

TEST(file_range_rejections)
{
	make_valid();
	bi.bundle[1].phys += 8;
	expect_reject("page-aligned");
	make_valid();
	bi.bundle[2].phys = 0xfffffffffff00000ull;
	bi.bundle[2].size = 0x100000;              /* ends exactly at 2^64 */
	expect_reject("wraps");
	make_valid();
	bi.bundle[2].phys = 0x3001000 - 0x1000;    /* overlaps policy.bin's first page */
	bi.bundle[2].size = 0x1001;
	expect_reject("overlap");
	make_valid();
	bi.bundle[0].size = 0x1000;                /* cmdline now ends where policy starts */
	CHECK_EQ(bootinfo_validate(&bi, NULL), 0);
	bi.bundle[0].size = 0x1001;
	expect_reject("overlap");
	/* Files beyond bundle_count are not looked at. */
	make_valid();
	bi.bundle[5].phys = 3;
	CHECK_EQ(bootinfo_validate(&bi, NULL), 0);
}

TEST(cpu_list)
{
	make_valid();
	bi.cpu_apic_id[0] = 7;                     /* any ID may be the boot CPU */
	CHECK_EQ(bootinfo_validate(&bi, NULL), 0);
	bi.cpu_count = 2;
	bi.cpu_apic_id[1] = 0;
	CHECK_EQ(bootinfo_validate(&bi, NULL), 0);
	bi.cpu_apic_id[1] = 7;
	expect_reject("APIC ID appears twice");
	/* Entries beyond cpu_count are not looked at. */
	bi.cpu_count = 1;
	CHECK_EQ(bootinfo_validate(&bi, NULL), 0);

	make_valid();
	bi.cpu_count = 0;
	expect_reject("cpu_count");
	make_valid();
	for (uint32_t i = 0; i < BH_BOOT_MAX_CPUS; i++)
		bi.cpu_apic_id[i] = 2 * i;
	bi.cpu_count = BH_BOOT_MAX_CPUS;           /* the most the kernel takes */
	CHECK_EQ(bootinfo_validate(&bi, NULL), 0);
	bi.cpu_apic_id[BH_BOOT_MAX_CPUS - 1] = 0;  /* last and first collide */
	expect_reject("twice");
	bi.cpu_count = BH_BOOT_MAX_CPUS + 1;
	expect_reject("cpu_count");

	make_valid();
	bi.reserved2 = 1;
	expect_reject("reserved2");
}

TEST(find_file)
{
	make_valid();
	const struct bh_bundle_file *f = bootinfo_find_file(&bi, "policy.bin");
	CHECK(f == &bi.bundle[1]);
	CHECK(bootinfo_find_file(&bi, "cmdline") == &bi.bundle[0]);
	CHECK(bootinfo_find_file(&bi, "policy") == NULL);
	CHECK(bootinfo_find_file(&bi, "") == NULL);
	CHECK(bootinfo_find_file(&bi, NULL) == NULL);
	CHECK(bootinfo_find_file(NULL, "cmdline") == NULL);
	/* Unvalidated garbage must not be read past its bounds. */
	memset(bi.bundle[0].name, 'x', BH_BUNDLE_NAME_MAX);
	bi.bundle_count = 1000;
	CHECK(bootinfo_find_file(&bi, "policy.bin") == &bi.bundle[1]);
	CHECK(bootinfo_find_file(&bi, "nope") == NULL);
}
