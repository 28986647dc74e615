/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The ACPI table builder. Tables are read back here at the offsets ACPI
 * 6.x gives, not through the builder's own constants where that can be
 * avoided. Every build goes into a heap block of exactly the capacity
 * given, so ASan catches a write past it. When iasl (Debian's
 * acpica-tools) is installed, the DSDT, FADT, MADT and MCFG are also
 * disassembled with `iasl -d`, and the DSDT's disassembly recompiled,
 * which fails on any table or AML iasl does not accept.
 */
#include "check.h"

#include <stdlib.h>
#include <unistd.h>

#include "acpi/aml.h"
#include "acpi/tables.h"
#include "bulkhead/errno.h"

#define GPA 0x9f000ull

static uint32_t rd32(const uint8_t *p) { return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24; }
static uint64_t rd64(const uint8_t *p) { return rd32(p) | (uint64_t)rd32(p + 4) << 32; }

static struct acpi_platform sample(void)
{
	struct acpi_platform p = {
		.ram_bytes = 256ull << 20, .nvcpus = 2,
		.lapic_base = 0xfee00000, .ioapic_base = 0xfec00000, .ioapic_id = 2,
		.has_uart = true, .uart_port = 0x3f8, .uart_gsi = 4, .has_rtc = true,
		.has_power = true, .sleep_control_port = 0x600, .sleep_status_port = 0x601,
		.reset_port = 0x602, .reset_value = 0x01, .s5_type = 5,
		.nvirtio = 3,
	};
	p.virtio[0] = (struct acpi_virtio_mmio){ 0xfeb00000, 0x200, 5, ACPI_LEVEL_HIGH };
	p.virtio[1] = (struct acpi_virtio_mmio){ 0xfeb00200, 0x200, 16, ACPI_EDGE_HIGH };
	p.virtio[2] = (struct acpi_virtio_mmio){ 0xfeb01000, 0x1000, 17, ACPI_LEVEL_HIGH };
	return p;
}

/* sample() with a PCI root bridge laid out as the monitor's. */
static struct acpi_platform pci_sample(void)
{
	struct acpi_platform p = sample();
	p.has_pci = true;
	p.ecam_base = 0xfe000000;
	p.pci_mem_base = 0xe0000000;
	p.pci_mem_limit = 0xfe000000;
	return p;
}

struct built {
	uint8_t *buf;
	size_t cap;
	struct acpi_layout l;
};

static int build(const struct acpi_platform *p, size_t cap, struct built *b)
{
	b->cap = cap;
	b->buf = malloc(cap ? cap : 1);
	memset(b->buf, 0xcc, cap);
	return acpi_build(p, b->buf, cap, GPA, &b->l);
}

/* Builds sample() into a 4 KiB block, which must succeed. */
static void build_sample(struct built *b)
{
	struct acpi_platform p = sample();
	CHECK_EQ(build(&p, 4096, b), 0);
}

/* Builds pci_sample() into a 4 KiB block, which must succeed. */
static void build_pci_sample(struct built *b)
{
	struct acpi_platform p = pci_sample();
	CHECK_EQ(build(&p, 4096, b), 0);
}

static const uint8_t *table_at(const struct built *b, uint64_t gpa)
{
	CHECK(gpa >= GPA && gpa - GPA < b->l.total);
	return b->buf + (gpa - GPA);
}

static void check_table(const struct built *b, const uint8_t *t, const char *sig)
{
	CHECK(memcmp(t, sig, 4) == 0);
	uint32_t len = rd32(t + 4);
	CHECK(len >= ACPI_HEADER_LEN && (size_t)(t - b->buf) + len <= b->l.total);
	CHECK_EQ(acpi_sum(t, len), 0);
}

static bool contains(const uint8_t *hay, size_t n, const void *needle, size_t m)
{
	for (size_t i = 0; i + m <= n; i++)
		if (memcmp(hay + i, needle, m) == 0)
			return true;
	return false;
}

TEST(rsdp_leads_to_every_table_and_all_checksums_hold)
{
	struct built b;
	build_sample(&b);
	const uint8_t *rsdp = b.buf + b.l.rsdp;
	CHECK_EQ(b.l.rsdp_gpa, GPA);
	CHECK(memcmp(rsdp, "RSD PTR ", 8) == 0);
	CHECK_EQ(rsdp[15], 2);
	CHECK_EQ(acpi_sum(rsdp, 20), 0);
	CHECK_EQ(rd32(rsdp + 20), 36);
	CHECK_EQ(acpi_sum(rsdp, 36), 0);

	const uint8_t *xsdt = table_at(&b, rd64(rsdp + 24));
	check_table(&b, xsdt, "XSDT");
	CHECK_EQ(rd32(xsdt + 4), 36 + 2 * 8);
	const uint8_t *fadt = table_at(&b, rd64(xsdt + 36));
	const uint8_t *madt = table_at(&b, rd64(xsdt + 44));
	check_table(&b, fadt, "FACP");
	check_table(&b, madt, "APIC");
	const uint8_t *dsdt = table_at(&b, rd64(fadt + 140));
	CHECK_EQ(rd32(fadt + 40), GPA + b.l.dsdt);
	check_table(&b, dsdt, "DSDT");
	free(b.buf);
}

TEST(fadt_is_hw_reduced_without_legacy_devices)
{
	struct acpi_platform p = sample();
	struct built b;
	CHECK_EQ(build(&p, 4096, &b), 0);
	const uint8_t *fadt = b.buf + b.l.fadt;
	CHECK_EQ(rd32(fadt + 4), 276);
	CHECK_EQ(fadt[8], 6);
	CHECK(rd32(fadt + 112) & (1u << 20));
	uint16_t arch = (uint16_t)(fadt[109] | fadt[110] << 8);
	CHECK_EQ(arch & (ACPI_IAPC_LEGACY_DEVICES | ACPI_IAPC_8042 | ACPI_IAPC_CMOS_RTC_NOT_PRESENT), 0);
	CHECK_EQ(rd32(fadt + 36), 0);      /* no FACS */
	CHECK_EQ(fadt[46] | fadt[47], 0);  /* no SCI */
	CHECK_EQ(rd32(fadt + 56), 0);      /* no PM1a event block */
	free(b.buf);

	p.has_rtc = false;
	CHECK_EQ(build(&p, 4096, &b), 0);
	fadt = b.buf + b.l.fadt;
	CHECK(fadt[109] & ACPI_IAPC_CMOS_RTC_NOT_PRESENT);
	free(b.buf);
}

/* A Generic Address Structure naming 8-bit I/O port `port`. */
static void check_gas_port8(const uint8_t *gas, uint16_t port)
{
	CHECK_EQ(gas[0], 1);    /* System I/O */
	CHECK_EQ(gas[1], 8);    /* bit width */
	CHECK_EQ(gas[2], 0);    /* bit offset */
	CHECK_EQ(gas[3], 1);    /* byte access */
	CHECK_EQ(rd64(gas + 4), port);
}

TEST(fadt_names_the_sleep_and_reset_registers_and_dsdt_has_s5)
{
	struct acpi_platform p = sample();
	struct built b;
	CHECK_EQ(build(&p, 4096, &b), 0);
	const uint8_t *fadt = b.buf + b.l.fadt;
	check_gas_port8(fadt + 244, 0x600);    /* SLEEP_CONTROL_REG */
	check_gas_port8(fadt + 256, 0x601);    /* SLEEP_STATUS_REG */
	check_gas_port8(fadt + 116, 0x602);    /* RESET_REG */
	CHECK_EQ(fadt[128], 0x01);             /* RESET_VALUE */
	CHECK(rd32(fadt + 112) & (1u << 10));  /* RESET_REG_SUP */
	/* Name(_S5_, Package(4) { 5, 5, Zero, Zero }) */
	CHECK(contains(b.buf + b.l.dsdt, b.l.dsdt_len,
	               "\x08_S5_\x12\x08\x04\x0a\x05\x0a\x05\x00\x00", 14));
	free(b.buf);

	p.has_power = false;
	CHECK_EQ(build(&p, 4096, &b), 0);
	fadt = b.buf + b.l.fadt;
	CHECK_EQ(rd64(fadt + 248), 0);
	CHECK_EQ(rd32(fadt + 112) & (1u << 10), 0);
	CHECK(!contains(b.buf + b.l.dsdt, b.l.dsdt_len, "_S5_", 4));
	free(b.buf);
}

TEST(madt_lists_each_vcpu_one_ioapic_and_overrides_level_isa_lines)
{
	struct built b;
	build_sample(&b);
	const uint8_t *madt = b.buf + b.l.madt;
	CHECK_EQ(rd32(madt + 36), 0xfee00000);
	CHECK_EQ(rd32(madt + 40), 0);   /* not PCAT_COMPAT */
	uint32_t len = rd32(madt + 4);
	unsigned lapics = 0, ioapics = 0, overrides = 0;
	for (uint32_t at = 44; at < len; at += madt[at + 1]) {
		CHECK(madt[at + 1] >= 2 && at + madt[at + 1] <= len);
		switch (madt[at]) {
		case 0:
			CHECK_EQ(madt[at + 3], lapics);
			CHECK_EQ(rd32(madt + at + 4), 1);
			lapics++;
			break;
		case 1:
			CHECK_EQ(madt[at + 2], 2);
			CHECK_EQ(rd32(madt + at + 4), 0xfec00000);
			CHECK_EQ(rd32(madt + at + 8), 0);
			ioapics++;
			break;
		case 2:   /* only virtio[0]: GSI 5, level, active high */
			CHECK_EQ(madt[at + 3], 5);
			CHECK_EQ(rd32(madt + at + 4), 5);
			CHECK_EQ(madt[at + 8], 0xd);
			overrides++;
			break;
		default:
			CHECK(false);
		}
	}
	CHECK_EQ(lapics, 2);
	CHECK_EQ(ioapics, 1);
	CHECK_EQ(overrides, 1);
	free(b.buf);
}

TEST(dsdt_names_every_device_with_its_resources)
{
	struct built b;
	build_sample(&b);
	const uint8_t *dsdt = b.buf + b.l.dsdt;
	size_t n = b.l.dsdt_len;
	CHECK(contains(dsdt, n, "\x0dLNRO0005", 10));
	CHECK(contains(dsdt, n, "COM1", 4));
	CHECK(contains(dsdt, n, "VR02", 4));
	CHECK(!contains(dsdt, n, "VR03", 4));
	/* PNP0501 as a DWord constant, compressed EISA ID bytes 41 d0 05 01 */
	CHECK(contains(dsdt, n, "\x0c\x41\xd0\x05\x01", 5));
	/* Memory32Fixed(ReadWrite, 0xfeb01000, 0x1000) */
	CHECK(contains(dsdt, n, "\x86\x09\x00\x01\x00\x10\xb0\xfe\x00\x10\x00\x00", 12));
	/* Interrupt(ResourceConsumer, Edge, ActiveHigh, Exclusive) { 16 } */
	CHECK(contains(dsdt, n, "\x89\x06\x00\x03\x01\x10\x00\x00\x00", 9));
	/* IO(Decode16, 0x3f8, 0x3f8, 1, 8) and IRQNoFlags() { 4 } */
	CHECK(contains(dsdt, n, "\x47\x01\xf8\x03\xf8\x03\x01\x08\x22\x10\x00", 11));
	free(b.buf);
}

/* The platform `base` changed by `change` is refused by the check and by
 * the builder (in a test with p, base, buf and l in scope). */
#define REFUSED(change)                                                        \
	do {                                                                   \
		p = base;                                                      \
		change;                                                        \
		CHECK_EQ(acpi_platform_check(&p), -BH_EINVAL);                 \
		CHECK_EQ(acpi_build(&p, buf, sizeof buf, GPA, &l), -BH_EINVAL); \
	} while (0)

TEST(without_pci_there_is_no_mcfg_and_no_root_bridge)
{
	struct built b;
	build_sample(&b);
	CHECK_EQ(b.l.mcfg, 0);
	CHECK_EQ(b.l.mcfg_len, 0);
	const uint8_t *xsdt = b.buf + b.l.xsdt;
	CHECK_EQ(rd32(xsdt + 4), 36 + 2 * 8);
	for (size_t i = 0; i < b.l.total; i += 8)
		CHECK(memcmp(b.buf + i, "MCFG", 4) != 0);   /* tables are 8-aligned */
	CHECK(!contains(b.buf + b.l.dsdt, b.l.dsdt_len, "PCI0", 4));
	CHECK(!contains(b.buf + b.l.dsdt, b.l.dsdt_len, "ECAM", 4));
	free(b.buf);
}

TEST(mcfg_names_one_ecam_allocation_for_bus_0)
{
	struct built b;
	build_pci_sample(&b);
	const uint8_t *xsdt = b.buf + b.l.xsdt;
	CHECK_EQ(rd32(xsdt + 4), 36 + 3 * 8);
	check_table(&b, xsdt, "XSDT");
	const uint8_t *mcfg = table_at(&b, rd64(xsdt + 52));
	CHECK(mcfg == b.buf + b.l.mcfg);
	check_table(&b, mcfg, "MCFG");
	CHECK_EQ(rd32(mcfg + 4), 36 + 8 + 16);    /* one allocation */
	CHECK_EQ(b.l.mcfg_len, 60);
	CHECK_EQ(mcfg[8], 1);                      /* revision */
	CHECK_EQ(rd64(mcfg + 36), 0);              /* reserved */
	CHECK_EQ(rd64(mcfg + 44), 0xfe000000);     /* base address */
	CHECK_EQ(mcfg[52] | mcfg[53] << 8, 0);     /* segment group */
	CHECK_EQ(mcfg[54], 0);                     /* start bus */
	CHECK_EQ(mcfg[55], 0);                     /* end bus */
	CHECK_EQ(rd32(mcfg + 56), 0);
	/* The other tables are where they were. */
	check_table(&b, table_at(&b, rd64(xsdt + 36)), "FACP");
	check_table(&b, table_at(&b, rd64(xsdt + 44)), "APIC");
	free(b.buf);
}

TEST(dsdt_describes_the_pci_root_bridge_and_reserves_its_ecam)
{
	struct built b;
	build_pci_sample(&b);
	const uint8_t *dsdt = b.buf + b.l.dsdt;
	size_t n = b.l.dsdt_len;
	check_table(&b, dsdt, "DSDT");
	/* Name(_HID, EisaId("PNP0A08")), Name(_CID, EisaId("PNP0A03")) */
	CHECK(contains(dsdt, n, "\x08_HID\x0c\x41\xd0\x0a\x08", 10));
	CHECK(contains(dsdt, n, "\x08_CID\x0c\x41\xd0\x0a\x03", 10));
	/* Name(_SEG, Zero), Name(_BBN, Zero) */
	CHECK(contains(dsdt, n, "\x08_SEG\x00", 6));
	CHECK(contains(dsdt, n, "\x08_BBN\x00", 6));
	/* WordBusNumber(ResourceProducer, MinFixed, MaxFixed, PosDecode,
	 * 0, 0, 0, 0, 1) */
	CHECK(contains(dsdt, n, "\x88\x0d\x00\x02\x0c\x00" "\x00\x00\x00\x00\x00\x00"
	                        "\x00\x00\x01\x00", 16));
	/* DWordMemory(ResourceProducer, PosDecode, MinFixed, MaxFixed,
	 * NonCacheable, ReadWrite, 0, 0xe0000000, 0xfdffffff, 0, 0x1e000000) */
	CHECK(contains(dsdt, n, "\x87\x17\x00\x00\x0c\x01" "\x00\x00\x00\x00"
	                        "\x00\x00\x00\xe0" "\xff\xff\xff\xfd" "\x00\x00\x00\x00"
	                        "\x00\x00\x00\x1e", 26));
	/* Name(_HID, EisaId("PNP0C02")) and
	 * Memory32Fixed(ReadWrite, 0xfe000000, 0x100000) */
	CHECK(contains(dsdt, n, "\x08_HID\x0c\x41\xd0\x0c\x02", 10));
	CHECK(contains(dsdt, n, "\x86\x09\x00\x01\x00\x00\x00\xfe\x00\x00\x10\x00", 12));
	/* The other devices are still there. */
	CHECK(contains(dsdt, n, "COM1", 4));
	CHECK(contains(dsdt, n, "VR02", 4));
	free(b.buf);
}

TEST(fadt_never_says_msi_is_not_supported)
{
	struct acpi_platform platforms[2] = { sample(), pci_sample() };
	for (unsigned i = 0; i < 2; i++) {
		struct built b;
		CHECK_EQ(build(&platforms[i], 4096, &b), 0);
		const uint8_t *fadt = b.buf + b.l.fadt;
		uint16_t arch = (uint16_t)(fadt[109] | fadt[110] << 8);
		CHECK_EQ(arch & ACPI_IAPC_MSI_NOT_SUPPORTED, 0);
		CHECK_EQ(ACPI_IAPC_MSI_NOT_SUPPORTED, 1u << 3);   /* ACPI 6.x Table 5.11 */
		free(b.buf);
	}
}

TEST(inconsistent_pci_layouts_are_refused)
{
	struct acpi_platform base = pci_sample(), p;
	uint8_t buf[4096];
	struct acpi_layout l;
	CHECK_EQ(acpi_platform_check(&base), 0);
	CHECK_EQ(acpi_build(&base, buf, sizeof buf, GPA, &l), 0);

	REFUSED(p.ecam_base = 0xfe080000);                /* not 1 MiB aligned */
	REFUSED(p.ecam_base = 0x00100000);                /* inside RAM */
	REFUSED(p.ecam_base = 0xfec00000);                /* over the IOAPIC */
	REFUSED(p.ecam_base = 0xfee00000);                /* over the LAPIC */
	REFUSED(p.ecam_base = 0xfd000000);                /* inside the memory window */
	REFUSED(p.pci_mem_limit = p.pci_mem_base);        /* empty */
	REFUSED(p.pci_mem_limit = 0xd0000000);            /* below its base */
	REFUSED(p.pci_mem_base = 0x08000000);             /* inside RAM */
	REFUSED(p.pci_mem_base = 0xe0000800);             /* not 4 KiB aligned */
	REFUSED(p.pci_mem_limit = 0xfe000800);
	REFUSED(p.pci_mem_limit = 0xfe100000);            /* over the ECAM */
	REFUSED(p.pci_mem_limit = 0xfec01000);            /* over the IOAPIC */
	REFUSED(p.pci_mem_limit = 0x100001000ull);        /* past 4 GiB */
	REFUSED(p.virtio[2].base = 0xfe0ff000);           /* inside the ECAM */
	REFUSED(p.virtio[2].base = 0xe0000000);           /* inside the memory window */
	/* Without PCI, the same fields mean nothing. */
	p = base;
	p.has_pci = false;
	p.ecam_base = 0xfec00000;
	p.pci_mem_limit = 0;
	CHECK_EQ(acpi_platform_check(&p), 0);
}

TEST(eisa_ids_compress_as_acpi_defines)
{
	CHECK_EQ(aml_eisaid("PNP0501"), 0x0105d041);
	CHECK_EQ(aml_eisaid("PNP0B00"), 0x000bd041);
	CHECK_EQ(aml_eisaid("PNP0b00"), 0);
	CHECK_EQ(aml_eisaid("pNP0B00"), 0);
	CHECK_EQ(aml_eisaid("PNP0B0"), 0);
	CHECK_EQ(aml_eisaid("PNP0B000"), 0);
}

TEST(every_short_buffer_is_refused_without_writing_past_it)
{
	struct acpi_platform p = sample();
	/* One IOAPIC's 24 pins, one window on each: a DSDT past 1 KiB, so
	 * the scope's PkgLength takes two bytes. */
	p.has_uart = p.has_rtc = false;
	p.nvirtio = ACPI_IOAPIC_PINS;
	for (unsigned i = 0; i < ACPI_IOAPIC_PINS; i++)
		p.virtio[i] = (struct acpi_virtio_mmio){ 0xd0000000 + 0x200 * i, 0x200, i,
		                                         ACPI_LEVEL_HIGH };
	struct built full;
	CHECK_EQ(build(&p, 16384, &full), 0);
	CHECK(full.l.dsdt_len > 0x400);
	for (size_t cap = 0; cap < full.l.total; cap += (cap < 64 ? 1 : 37)) {
		struct built b;
		CHECK_EQ(build(&p, cap, &b), -BH_ENOSPC);
		free(b.buf);
	}
	struct built exact;
	CHECK_EQ(build(&p, full.l.total, &exact), 0);
	CHECK(memcmp(exact.buf, full.buf, full.l.total) == 0);
	free(exact.buf);
	free(full.buf);
}

TEST(inconsistent_platforms_are_refused)
{
	struct acpi_platform base = sample(), p;
	uint8_t buf[4096];
	struct acpi_layout l;
	CHECK_EQ(acpi_build(&base, buf, sizeof buf, GPA, &l), 0);
	CHECK_EQ(acpi_build(&base, buf, sizeof buf, GPA + 8, &l), -BH_EINVAL);

	REFUSED(p.nvcpus = 0);
	REFUSED(p.nvcpus = ACPI_MAX_VCPUS + 1);
	REFUSED(p.ioapic_id = 1);                         /* an APIC ID */
	REFUSED(p.nvirtio = ACPI_MAX_VIRTIO + 1);
	REFUSED(p.virtio[1].base = 0xfeb00100);           /* misaligned */
	REFUSED(p.virtio[1].size = 0x100);                /* too small */
	REFUSED(p.virtio[1].base = 0xfeb00000);           /* overlaps [0] */
	REFUSED(p.virtio[2].base = 0xfec00000);           /* on the IOAPIC */
	REFUSED(p.virtio[2].base = 0xfee00000);           /* on the LAPIC */
	REFUSED(p.virtio[2].base = 0xfffff000; p.virtio[2].size = 0x2000);   /* past 4 GiB */
	REFUSED(p.virtio[2].base = 0x01000000);           /* inside RAM */
	REFUSED(p.virtio[1].gsi = 5);                     /* shared with [0] */
	REFUSED(p.virtio[1].gsi = 4);                     /* the UART's */
	REFUSED(p.virtio[1].gsi = 8);                     /* the RTC's */
	REFUSED(p.virtio[1].gsi = 24);                    /* no such pin */
	REFUSED(p.virtio[1].trigger = (enum acpi_trigger)7);
	REFUSED(p.uart_gsi = 16);                         /* not an ISA line */
	REFUSED(p.ram_bytes = 0xfee00001ull);             /* RAM over the LAPIC */
	REFUSED(p.ioapic_base = 0xfee00800);
	REFUSED(p.s5_type = 8);                           /* SLP_TYP is 3 bits */
	REFUSED(p.sleep_status_port = 0x600);             /* one port, two registers */
}

/* Writes len bytes to dir/name. */
static void write_file(const char *dir, const char *name, const uint8_t *bytes, size_t len)
{
	char path[256];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "wb");
	CHECK(f != NULL);
	CHECK_EQ(fwrite(bytes, 1, len, f), len);
	CHECK_EQ(fclose(f), 0);
}

static int run(const char *cmd)
{
	int status = system(cmd);
	return status == -1 ? -1 : WEXITSTATUS(status);
}

TEST(iasl_disassembles_and_recompiles_the_tables)
{
	if (run("command -v iasl >/dev/null 2>&1") != 0) {
		printf("# iasl not installed (Debian acpica-tools): tables not checked by ACPICA\n");
		return;
	}
	struct built b;
	build_pci_sample(&b);
	char dir[] = "/tmp/acpi_tables_test.XXXXXX";
	CHECK(mkdtemp(dir) != NULL);
	write_file(dir, "dsdt.dat", b.buf + b.l.dsdt, b.l.dsdt_len);
	write_file(dir, "facp.dat", b.buf + b.l.fadt, b.l.fadt_len);
	write_file(dir, "apic.dat", b.buf + b.l.madt, b.l.madt_len);
	write_file(dir, "mcfg.dat", b.buf + b.l.mcfg, b.l.mcfg_len);
	char cmd[2048];
	/* iasl exits 0 with warnings; its summary line counts errors, and a
	 * data table it cannot decode shows as "**** Unknown" or "Invalid". */
	snprintf(cmd, sizeof cmd,
	         "cd %s && iasl -d dsdt.dat facp.dat apic.dat mcfg.dat > disasm.log 2>&1 && "
	         "! grep -Eiq 'error|invalid|unknown' disasm.log facp.dsl apic.dsl mcfg.dsl && "
	         "grep -q 'LNRO0005' dsdt.dsl && grep -q 'Memory32Fixed' dsdt.dsl && "
	         "grep -q 'EisaId (\"PNP0A08\")' dsdt.dsl && grep -q 'EisaId (\"PNP0C02\")' dsdt.dsl && "
	         "grep -q 'WordBusNumber (ResourceProducer, MinFixed, MaxFixed, PosDecode' dsdt.dsl && "
	         "grep -q 'DWordMemory (ResourceProducer, PosDecode, MinFixed, MaxFixed, "
	         "NonCacheable, ReadWrite' dsdt.dsl && grep -q '0xFDFFFFFF' dsdt.dsl && "
	         "grep -Eq 'Base Address : 00000000FE000000' mcfg.dsl && "
	         "grep -Eq 'End Bus Number : 00' mcfg.dsl && "
	         "grep -q '_S5_' dsdt.dsl && grep -Eiq 'Sleep Control Register' facp.dsl && "
	         "grep -Eq 'Hardware Reduced \\(V5\\) +: 1' facp.dsl && "
	         "iasl -p recompiled dsdt.dsl > compile.log 2>&1 && "
	         "grep -q ' 0 Errors' compile.log", dir);
	int rc = run(cmd);
	if (rc != 0) {
		snprintf(cmd, sizeof cmd, "cat %s/disasm.log %s/compile.log %s/facp.dsl 2>/dev/null | head -150", dir, dir, dir);
		run(cmd);
	}
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	run(cmd);
	CHECK_EQ(rc, 0);
	free(b.buf);
}
