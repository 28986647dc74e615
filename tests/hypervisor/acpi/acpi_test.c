/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Host tests of hypervisor/acpi/acpi.c on synthetic tables. The map
 * callback hands out a malloc'd copy of exactly the requested bytes, so
 * AddressSanitizer catches any read past what was mapped.
 */
#include "check.h"

#include <stdlib.h>
#include <string.h>

#include <bulkhead/errno.h>

#include "acpi/acpi.h"

#define BASE    0x7ffe0000ull
#define MEMSZ   0x4000u
#define MAXMAPS 64

/* Where each table sits (offsets into the fake memory). */
#define RSDP_OFF  0x000u
#define XSDT_OFF  0x100u
#define RSDT_OFF  0x200u
#define APIC_OFF  0x300u
#define FADT_OFF  0x400u
#define DSDT_OFF  0x800u
#define DSDT2_OFF 0x2000u
#define FADT_LEN  276u

static struct {
	uint8_t mem[MEMSZ];
	uint64_t refuse_lo, refuse_hi;   /* map refuses anything touching this */
	void *maps[MAXMAPS];
	int nmaps;
} fx;

static const void *fake_map(void *ctx, uint64_t phys, uint64_t len)
{
	CHECK(ctx == &fx);
	if (phys < BASE || phys - BASE > MEMSZ || len > MEMSZ - (phys - BASE))
		return NULL;
	if (phys < fx.refuse_hi && fx.refuse_lo < phys + len)
		return NULL;
	CHECK(fx.nmaps < MAXMAPS);
	void *copy = malloc(len);
	memcpy(copy, fx.mem + (phys - BASE), len);
	fx.maps[fx.nmaps++] = copy;
	return copy;
}

static int run(struct acpi_power *out)
{
	memset(out, 0xcc, sizeof(*out));   /* must be zeroed by the callee */
	int err = acpi_read_power(BASE + RSDP_OFF, fake_map, &fx, out);
	while (fx.nmaps > 0)
		free(fx.maps[--fx.nmaps]);
	return err;
}

static void put8(uint32_t off, uint8_t v) { fx.mem[off] = v; }
static void put32(uint32_t off, uint32_t v) { memcpy(fx.mem + off, &v, 4); }
static void put64(uint32_t off, uint64_t v) { memcpy(fx.mem + off, &v, 8); }
static uint32_t get32(uint32_t off) { uint32_t v; memcpy(&v, fx.mem + off, 4); return v; }

static uint8_t sum(uint32_t off, uint32_t len)
{
	uint8_t s = 0;
	for (uint32_t i = 0; i < len; i++)
		s += fx.mem[off + i];
	return s;
}

/* Sets the checksum byte at off + at so [off, off+len) sums to 0. */
static void fix_sum(uint32_t off, uint32_t len, uint32_t at)
{
	fx.mem[off + at] = 0;
	fx.mem[off + at] = (uint8_t)-sum(off, len);
}

static void fix_table(uint32_t off)
{
	fix_sum(off, get32(off + 4), 9);
}

static void header(uint32_t off, const char *sig, uint32_t len)
{
	memset(fx.mem + off, 0, 36);
	memcpy(fx.mem + off, sig, 4);
	put32(off + 4, len);
	put8(off + 8, 2);
	memcpy(fx.mem + off + 10, "BHTEST", 6);
}

static void rsdp(uint8_t rev, uint32_t rsdt, uint64_t xsdt)
{
	memset(fx.mem + RSDP_OFF, 0, 36);
	memcpy(fx.mem + RSDP_OFF, "RSD PTR ", 8);
	memcpy(fx.mem + RSDP_OFF + 9, "BHTEST", 6);
	put8(RSDP_OFF + 15, rev);
	put32(RSDP_OFF + 16, rsdt);
	if (rev >= 2) {
		put32(RSDP_OFF + 20, 36);
		put64(RSDP_OFF + 24, xsdt);
	}
	fix_sum(RSDP_OFF, 20, 8);
	if (rev >= 2)
		fix_sum(RSDP_OFF, 36, 32);
}

/* DSDT at off with the given AML body; returns its physical address. */
static uint64_t dsdt(uint32_t off, const uint8_t *aml, uint32_t len)
{
	header(off, "DSDT", 36 + len);
	memcpy(fx.mem + off + 36, aml, len);
	fix_table(off);
	return BASE + off;
}

static const uint8_t s5_bytes[] = {
	0x10, 0x05, '\\', '_', 'S', 'B', '_',   /* Scope(\_SB) {} */
	0x08, '_', 'S', '5', '_', 0x12, 0x08, 0x04, 0x0a, 0x05, 0x0a, 0x05, 0x00, 0x00,
};

/* FADT of len bytes: PM1a 0x604 (also as X_PM1a), reset via 0xcf9 = 6. */
static void fadt(uint32_t len, uint64_t dsdt_phys)
{
	memset(fx.mem + FADT_OFF, 0, FADT_LEN);
	header(FADT_OFF, "FACP", len);
	put8(FADT_OFF + 8, 6);
	put32(FADT_OFF + 40, (uint32_t)dsdt_phys);
	put32(FADT_OFF + 64, 0x604);
	put32(FADT_OFF + 112, 1u << 10);
	put8(FADT_OFF + 116, 1);                 /* RESET_REG: system I/O, */
	put8(FADT_OFF + 117, 8);                 /* 8 bits wide, */
	put8(FADT_OFF + 119, 1);                 /* byte access, */
	put64(FADT_OFF + 120, 0xcf9);            /* port 0xcf9 */
	put8(FADT_OFF + 128, 0x06);
	put64(FADT_OFF + 140, dsdt_phys);
	put8(FADT_OFF + 172, 1);
	put8(FADT_OFF + 173, 16);
	put64(FADT_OFF + 176, 0x604);
	fix_table(FADT_OFF);
}

/* The usual modern layout: RSDP 2 -> XSDT -> {APIC, FACP} -> DSDT; RSDT too. */
static void build(void)
{
	memset(&fx, 0, sizeof(fx));
	rsdp(2, (uint32_t)(BASE + RSDT_OFF), BASE + XSDT_OFF);

	header(XSDT_OFF, "XSDT", 36 + 3 * 8);
	put64(XSDT_OFF + 36, BASE + APIC_OFF);
	put64(XSDT_OFF + 44, 0);                 /* null entries are skipped */
	put64(XSDT_OFF + 52, BASE + FADT_OFF);
	fix_table(XSDT_OFF);

	header(RSDT_OFF, "RSDT", 36 + 2 * 4);
	put32(RSDT_OFF + 36, (uint32_t)(BASE + APIC_OFF));
	put32(RSDT_OFF + 40, (uint32_t)(BASE + FADT_OFF));
	fix_table(RSDT_OFF);

	header(APIC_OFF, "APIC", 44);
	fix_table(APIC_OFF);

	fadt(FADT_LEN, dsdt(DSDT_OFF, s5_bytes, sizeof(s5_bytes)));
}

static void check_full(const struct acpi_power *p)
{
	CHECK(p->s5_valid);
	CHECK_EQ(p->pm1a_cnt, 0x604);
	CHECK_EQ(p->pm1b_cnt, 0);
	CHECK_EQ(p->slp_typa, 5);
	CHECK_EQ(p->slp_typb, 5);
	CHECK(p->reset_valid);
	CHECK_EQ(p->reset_port, 0xcf9);
	CHECK_EQ(p->reset_value, 6);
}

TEST(xsdt_path_reads_everything)
{
	struct acpi_power p;
	build();
	CHECK_EQ(run(&p), 0);
	check_full(&p);
}

TEST(rsdp_rev0_uses_rsdt_and_reads_only_20_bytes)
{
	struct acpi_power p;
	build();
	/* Poison the XSDT: if it were used the result would be an error. */
	memcpy(fx.mem + XSDT_OFF, "XXXX", 4);
	/* Move the RSDP to the very end of mappable memory: 20 bytes exist. */
	uint32_t at = MEMSZ - 20;
	memset(fx.mem + RSDP_OFF, 0, 36);
	memcpy(fx.mem + at, "RSD PTR ", 8);
	put8(at + 15, 0);
	put32(at + 16, (uint32_t)(BASE + RSDT_OFF));
	fix_sum(at, 20, 8);
	memset(&p, 0, sizeof(p));
	CHECK_EQ(acpi_read_power(BASE + at, fake_map, &fx, &p), 0);
	while (fx.nmaps > 0)
		free(fx.maps[--fx.nmaps]);
	check_full(&p);
}

TEST(rsdp_rev2_without_xsdt_uses_rsdt)
{
	struct acpi_power p;
	build();
	memcpy(fx.mem + XSDT_OFF, "XXXX", 4);
	rsdp(2, (uint32_t)(BASE + RSDT_OFF), 0);
	CHECK_EQ(run(&p), 0);
	check_full(&p);
}

TEST(rsdp_corruption)
{
	struct acpi_power p;
	build();
	fx.mem[RSDP_OFF + 3] = 'X';               /* signature */
	fix_sum(RSDP_OFF, 20, 8);
	fix_sum(RSDP_OFF, 36, 32);
	CHECK_EQ(run(&p), -BH_EINVAL);
	CHECK(!p.s5_valid && !p.reset_valid && p.pm1a_cnt == 0);

	build();
	fx.mem[RSDP_OFF + 8]++;                   /* first checksum */
	fix_sum(RSDP_OFF, 36, 32);
	CHECK_EQ(run(&p), -BH_EINVAL);

	build();
	fx.mem[RSDP_OFF + 32]++;                  /* extended checksum */
	CHECK_EQ(run(&p), -BH_EINVAL);

	build();
	put32(RSDP_OFF + 20, 35);                 /* extended length too short */
	fix_sum(RSDP_OFF, 20, 8);
	fix_sum(RSDP_OFF, 35, 32);
	CHECK_EQ(run(&p), -BH_EINVAL);

	build();
	put32(RSDP_OFF + 20, 0xfffffff0);         /* length past mappable memory */
	fix_sum(RSDP_OFF, 20, 8);
	CHECK_EQ(run(&p), -BH_EFAULT);

	build();
	CHECK_EQ(acpi_read_power(0, fake_map, &fx, &p), -BH_ENOENT);
	CHECK_EQ(acpi_read_power(BASE, NULL, &fx, &p), -BH_EINVAL);
	CHECK_EQ(acpi_read_power(BASE, fake_map, &fx, NULL), -BH_EINVAL);
}

TEST(root_table_corruption)
{
	struct acpi_power p;
	build();
	fx.mem[XSDT_OFF + 20]++;                  /* checksum */
	CHECK_EQ(run(&p), -BH_EINVAL);

	build();
	memcpy(fx.mem + XSDT_OFF, "RSDT", 4);     /* signature */
	fix_table(XSDT_OFF);
	CHECK_EQ(run(&p), -BH_EINVAL);

	build();
	put32(XSDT_OFF + 4, 35);                  /* length below the header */
	fix_sum(XSDT_OFF, 35, 9);
	CHECK_EQ(run(&p), -BH_EINVAL);

	build();
	put32(XSDT_OFF + 4, 36 + 3 * 8 + 4);      /* half an entry at the end: ignored */
	fix_table(XSDT_OFF);
	CHECK_EQ(run(&p), 0);
	CHECK(p.s5_valid);

	build();
	rsdp(0, (uint32_t)(BASE + RSDT_OFF), 0);
	fx.mem[RSDT_OFF + 30]++;                  /* RSDT checksum */
	CHECK_EQ(run(&p), -BH_EINVAL);
}

TEST(no_fadt_is_enoent)
{
	struct acpi_power p;
	build();
	put64(XSDT_OFF + 52, BASE + APIC_OFF);
	fix_table(XSDT_OFF);
	CHECK_EQ(run(&p), -BH_ENOENT);

	build();
	put32(XSDT_OFF + 4, 36);                  /* empty XSDT */
	fix_table(XSDT_OFF);
	CHECK_EQ(run(&p), -BH_ENOENT);

	build();
	rsdp(0, 0, 0);                            /* no root table at all */
	CHECK_EQ(run(&p), -BH_ENOENT);
}

TEST(fadt_corruption)
{
	struct acpi_power p;
	build();
	fx.mem[FADT_OFF + 200]++;                 /* checksum */
	CHECK_EQ(run(&p), -BH_EINVAL);
	CHECK(!p.reset_valid);

	build();
	put32(FADT_OFF + 4, 20);                  /* length below the header */
	fix_sum(FADT_OFF, 20, 9);
	CHECK_EQ(run(&p), -BH_EINVAL);

	build();
	put32(FADT_OFF + 4, MEMSZ);               /* runs past mappable memory */
	CHECK_EQ(run(&p), -BH_EFAULT);
}

TEST(dsdt_corruption_keeps_fadt_fields)
{
	struct acpi_power p;
	build();
	fx.mem[DSDT_OFF + 40]++;                  /* checksum */
	CHECK_EQ(run(&p), -BH_EINVAL);
	CHECK(!p.s5_valid);
	CHECK(p.reset_valid);
	CHECK_EQ(p.pm1a_cnt, 0x604);

	build();
	memcpy(fx.mem + DSDT_OFF, "SSDT", 4);     /* signature */
	fix_table(DSDT_OFF);
	CHECK_EQ(run(&p), -BH_EINVAL);

	build();
	put32(DSDT_OFF + 4, 30);                  /* length */
	fix_sum(DSDT_OFF, 30, 9);
	CHECK_EQ(run(&p), -BH_EINVAL);

	/* No DSDT at all is not an error. */
	build();
	put32(FADT_OFF + 40, 0);
	put64(FADT_OFF + 140, 0);
	fix_table(FADT_OFF);
	CHECK_EQ(run(&p), 0);
	CHECK(!p.s5_valid);
	CHECK(p.reset_valid);
}

TEST(map_refusals_are_efault)
{
	static const struct { uint32_t lo, hi; } ranges[] = {
		{ RSDP_OFF, RSDP_OFF + 1 },
		{ RSDP_OFF + 30, RSDP_OFF + 31 },      /* the extended RSDP part */
		{ XSDT_OFF + 50, XSDT_OFF + 51 },
		{ APIC_OFF, APIC_OFF + 1 },            /* a table we only peek at */
		{ FADT_OFF + 270, FADT_OFF + 271 },
		{ DSDT_OFF + 36, DSDT_OFF + 37 },
	};
	for (size_t i = 0; i < sizeof(ranges) / sizeof(ranges[0]); i++) {
		struct acpi_power p;
		build();
		fx.refuse_lo = BASE + ranges[i].lo;
		fx.refuse_hi = BASE + ranges[i].hi;
		int err = run(&p);
		if (err != -BH_EFAULT)
			check_fail(__FILE__, __LINE__, "refusing range %zu: %d", i, err);
	}

	/* An XSDT entry pointing outside memory, and one that would wrap. */
	struct acpi_power p;
	build();
	put64(XSDT_OFF + 44, 0x1000);
	fix_table(XSDT_OFF);
	CHECK_EQ(run(&p), -BH_EFAULT);
	build();
	put64(XSDT_OFF + 44, 0xfffffffffffffff0ull);
	fix_table(XSDT_OFF);
	CHECK_EQ(run(&p), -BH_EFAULT);
}

TEST(acpi1_fadt_is_read_within_its_length)
{
	struct acpi_power p;
	build();
	/* 116 bytes: no RESET_REG, no X_ fields; DSDT from the 32-bit field. */
	fadt(116, BASE + DSDT_OFF);
	CHECK_EQ(run(&p), 0);
	CHECK(p.s5_valid);
	CHECK_EQ(p.pm1a_cnt, 0x604);
	CHECK(!p.reset_valid);

	/* 128 bytes: RESET_REG is there but RESET_VALUE is not. */
	build();
	fadt(128, BASE + DSDT_OFF);
	CHECK_EQ(run(&p), 0);
	CHECK(!p.reset_valid);
	fadt(129, BASE + DSDT_OFF);
	CHECK_EQ(run(&p), 0);
	CHECK(p.reset_valid);

	/* Just the header: found, but nothing usable. */
	build();
	fadt(36, BASE + DSDT_OFF);
	CHECK_EQ(run(&p), 0);
	CHECK(!p.s5_valid && !p.reset_valid && p.pm1a_cnt == 0);
}

TEST(x_fields_are_preferred)
{
	struct acpi_power p;
	static const uint8_t s5_other[] = {
		0x08, '_', 'S', '5', '_', 0x12, 0x04, 0x02, 0x07, 0x03,
	};
	build();
	dsdt(DSDT2_OFF, s5_other, sizeof(s5_other));
	put32(FADT_OFF + 40, (uint32_t)(BASE + DSDT_OFF));
	put64(FADT_OFF + 140, BASE + DSDT2_OFF);
	put32(FADT_OFF + 64, 0x1004);
	put64(FADT_OFF + 176, 0xb004);
	fix_table(FADT_OFF);
	CHECK_EQ(run(&p), 0);
	CHECK(p.s5_valid);
	CHECK_EQ(p.slp_typa, 7);
	CHECK_EQ(p.slp_typb, 3);
	CHECK_EQ(p.pm1a_cnt, 0xb004);

	/* X_PM1a in memory space: the legacy port is used. */
	put8(FADT_OFF + 172, 0);
	fix_table(FADT_OFF);
	CHECK_EQ(run(&p), 0);
	CHECK_EQ(p.pm1a_cnt, 0x1004);

	/* FADT too short for X_PM1a (184 needed): legacy again. */
	put8(FADT_OFF + 172, 1);
	put32(FADT_OFF + 4, 183);
	fix_table(FADT_OFF);
	CHECK_EQ(run(&p), 0);
	CHECK_EQ(p.pm1a_cnt, 0x1004);

	/* X_DSDT zero: the 32-bit DSDT is used. */
	build();
	put64(FADT_OFF + 140, 0);
	put32(FADT_OFF + 40, (uint32_t)dsdt(DSDT2_OFF, s5_other, sizeof(s5_other)));
	fix_table(FADT_OFF);
	CHECK_EQ(run(&p), 0);
	CHECK_EQ(p.slp_typa, 7);

	/* PM1b and a port that does not fit 16 bits. */
	build();
	put32(FADT_OFF + 68, 0x608);
	put8(FADT_OFF + 172, 0);
	put32(FADT_OFF + 64, 0x10000);
	fix_table(FADT_OFF);
	CHECK_EQ(run(&p), 0);
	CHECK_EQ(p.pm1b_cnt, 0x608);
	CHECK_EQ(p.pm1a_cnt, 0);
	CHECK(!p.s5_valid);                       /* no PM1a: S5 unusable */
}

TEST(reset_register_conditions)
{
	struct acpi_power p;
	build();
	put32(FADT_OFF + 112, 0);                 /* RESET_REG_SUP clear */
	fix_table(FADT_OFF);
	CHECK_EQ(run(&p), 0);
	CHECK(!p.reset_valid);

	build();
	put8(FADT_OFF + 116, 0);                  /* memory space */
	fix_table(FADT_OFF);
	CHECK_EQ(run(&p), 0);
	CHECK(!p.reset_valid);

	build();
	put64(FADT_OFF + 120, 0);                 /* no address */
	fix_table(FADT_OFF);
	CHECK_EQ(run(&p), 0);
	CHECK(!p.reset_valid);

	build();
	put64(FADT_OFF + 120, 0x10cf9);           /* not an I/O port */
	fix_table(FADT_OFF);
	CHECK_EQ(run(&p), 0);
	CHECK(!p.reset_valid);
}

/* Runs the full walk with aml as the DSDT body; returns s5_valid. */
static bool s5_of(const uint8_t *aml, uint32_t len, struct acpi_power *p)
{
	build();
	dsdt(DSDT_OFF, aml, len);
	CHECK_EQ(run(p), 0);
	return p->s5_valid;
}

TEST(s5_encodings)
{
	struct acpi_power p;
	static const uint8_t zero_one[] = { 0x08, '_', 'S', '5', '_', 0x12, 0x06, 0x04, 0x00, 0x01, 0x00, 0x00 };
	CHECK(s5_of(zero_one, sizeof(zero_one), &p));
	CHECK_EQ(p.slp_typa, 0);
	CHECK_EQ(p.slp_typb, 1);

	static const uint8_t rooted[] = { 0x08, '\\', '_', 'S', '5', '_', 0x12, 0x06, 0x02, 0x0a, 0x07, 0x0a, 0x00 };
	CHECK(s5_of(rooted, sizeof(rooted), &p));
	CHECK_EQ(p.slp_typa, 7);
	CHECK_EQ(p.slp_typb, 0);

	static const uint8_t raw[] = { 0x08, '_', 'S', '5', '_', 0x12, 0x04, 0x02, 0x05, 0x06 };
	CHECK(s5_of(raw, sizeof(raw), &p));
	CHECK_EQ(p.slp_typa, 5);
	CHECK_EQ(p.slp_typb, 6);

	static const uint8_t word[] = { 0x08, '_', 'S', '5', '_', 0x12, 0x0a, 0x02, 0x0b, 0x03, 0x00, 0x0c, 0x04, 0, 0, 0 };
	CHECK(s5_of(word, sizeof(word), &p));
	CHECK_EQ(p.slp_typa, 3);
	CHECK_EQ(p.slp_typb, 4);

	/* Two-byte PkgLength (lead 0x4N, then bits 11:4). */
	static const uint8_t long_len[] = { 0x08, '_', 'S', '5', '_', 0x12, 0x47, 0x00, 0x02, 0x0a, 0x02, 0x0a, 0x03 };
	CHECK(s5_of(long_len, sizeof(long_len), &p));
	CHECK_EQ(p.slp_typa, 2);
	CHECK_EQ(p.slp_typb, 3);

	/* Decoys first: a reference to _S5_ without NameOp, a name without a package. */
	static const uint8_t decoys[] = {
		0x70, '_', 'S', '5', '_', 0x60,
		0x08, '_', 'S', '5', '_', 0x0a, 0x01,
		0x08, '_', 'S', '5', '_', 0x12, 0x06, 0x04, 0x0a, 0x04, 0x0a, 0x04,
	};
	CHECK(s5_of(decoys, sizeof(decoys), &p));
	CHECK_EQ(p.slp_typa, 4);
	CHECK_EQ(p.slp_typb, 4);
}

TEST(s5_rejections)
{
	struct acpi_power p;
	static const uint8_t none[] = { 0x10, 0x05, '\\', '_', 'S', 'B', '_' };
	CHECK(!s5_of(none, sizeof(none), &p));
	CHECK(p.reset_valid);

	static const uint8_t truncated[] = { 0x08, '_', 'S', '5', '_', 0x12, 0x08, 0x04, 0x0a };
	for (uint32_t len = 0; len <= sizeof(truncated); len++)
		CHECK(!s5_of(truncated, len, &p));

	/* Package claims more bytes than the table has. */
	static const uint8_t overlong[] = { 0x08, '_', 'S', '5', '_', 0x12, 0x3f, 0x02, 0x0a, 0x05, 0x0a, 0x05 };
	CHECK(!s5_of(overlong, sizeof(overlong), &p));
	/* Package too short for its second element. */
	static const uint8_t short_pkg[] = { 0x08, '_', 'S', '5', '_', 0x12, 0x04, 0x02, 0x0a, 0x05, 0x0a, 0x05 };
	CHECK(!s5_of(short_pkg, sizeof(short_pkg), &p));
	/* Four-byte PkgLength running far past the end. */
	static const uint8_t huge[] = { 0x08, '_', 'S', '5', '_', 0x12, 0xcf, 0xff, 0xff, 0xff, 0x02 };
	CHECK(!s5_of(huge, sizeof(huge), &p));
	/* One element only. */
	static const uint8_t one[] = { 0x08, '_', 'S', '5', '_', 0x12, 0x04, 0x01, 0x0a, 0x05 };
	CHECK(!s5_of(one, sizeof(one), &p));
	/* Values that do not fit SLP_TYPx (3 bits), OnesOp, a name reference. */
	static const uint8_t big[] = { 0x08, '_', 'S', '5', '_', 0x12, 0x06, 0x02, 0x0a, 0x08, 0x0a, 0x05 };
	CHECK(!s5_of(big, sizeof(big), &p));
	static const uint8_t ones[] = { 0x08, '_', 'S', '5', '_', 0x12, 0x05, 0x02, 0xff, 0x0a, 0x05 };
	CHECK(!s5_of(ones, sizeof(ones), &p));
	static const uint8_t ref[] = { 0x08, '_', 'S', '5', '_', 0x12, 0x0a, 0x02, 'S', 'L', 'P', 'A', 'S', 'L', 'P', 'B' };
	CHECK(!s5_of(ref, sizeof(ref), &p));
	/* "_S5_" at the very start of the AML has no NameOp before it. */
	static const uint8_t at_start[] = { '_', 'S', '5', '_', 0x12, 0x06, 0x02, 0x0a, 0x05, 0x0a, 0x05 };
	CHECK(!s5_of(at_start, sizeof(at_start), &p));
}

TEST(garbage_never_reads_out_of_bounds)
{
	/* Random AML around _S5_ heads, and random FADT lengths and bytes. */
	uint32_t seed = 1;
	uint8_t aml[96];
	for (int round = 0; round < 3000; round++) {
		struct acpi_power p;
		uint32_t len = 0;
		seed = seed * 1664525u + 1013904223u;
		len = (seed >> 8) % sizeof(aml);
		for (uint32_t i = 0; i < len; i++) {
			seed = seed * 1664525u + 1013904223u;
			aml[i] = (uint8_t)(seed >> 24);
		}
		if (len >= 8 && (seed & 1)) {
			uint32_t at = (seed >> 4) % (len - 6);
			memcpy(aml + at, "\x08_S5_\x12", 6);
		}
		build();
		dsdt(DSDT_OFF, aml, len);
		CHECK_EQ(run(&p), 0);
		if (p.s5_valid)
			CHECK(p.slp_typa <= 7 && p.slp_typb <= 7);

		build();
		uint32_t flen = 36 + (seed >> 12) % (FADT_LEN - 36 + 1);
		for (uint32_t i = 36; i < FADT_LEN; i++) {
			seed = seed * 1664525u + 1013904223u;
			fx.mem[FADT_OFF + i] = (uint8_t)(seed >> 24);
		}
		put32(FADT_OFF + 4, flen);
		fix_table(FADT_OFF);
		int err = run(&p);
		CHECK(err == 0 || err == -BH_EINVAL || err == -BH_EFAULT);
	}
}

static int find(const char *sig, const uint8_t **t, uint32_t *len)
{
	return acpi_find_table(BASE + RSDP_OFF, sig, fake_map, &fx, t, len);
}

TEST(find_table_by_signature)
{
	const uint8_t *t;
	uint32_t len;
	build();
	CHECK_EQ(find("APIC", &t, &len), 0);
	CHECK_EQ(len, 44u);
	CHECK(memcmp(t, "APIC", 4) == 0);
	CHECK_EQ(find("DMAR", &t, &len), -BH_ENOENT);
	fx.mem[APIC_OFF + 40]++;                  /* the found table's checksum */
	CHECK_EQ(find("APIC", &t, &len), -BH_EINVAL);
	while (fx.nmaps > 0)
		free(fx.maps[--fx.nmaps]);
}

/* A MADT of len bytes with the given entries after its 44-byte head. */
static unsigned madt_with(uint8_t *t, const uint8_t *entries, unsigned n)
{
	memset(t, 0, 44);
	memcpy(t, "APIC", 4);
	memcpy(t + 44, entries, n);
	return 44 + n;
}

TEST(madt_counts_enabled_and_online_capable_processors)
{
	uint8_t t[128];
	const uint8_t e[] = {
		0, 8, 0, 0, 1, 0, 0, 0,                      /* local APIC 0: enabled */
		0, 8, 1, 1, 0, 0, 0, 0,                      /* local APIC 1: disabled */
		0, 8, 2, 2, 2, 0, 0, 0,                      /* online capable */
		1, 12, 0, 0, 0, 0, 0xc0, 0xfe, 0, 0, 0, 0,   /* an IOAPIC */
		9, 16, 0, 0, 3, 0, 0, 0, 1, 0, 0, 0, 3, 0, 0, 0,   /* x2APIC 3: enabled */
	};
	unsigned cpus = 99;
	CHECK_EQ(acpi_madt_count_cpus(t, madt_with(t, e, sizeof(e)), &cpus), 0);
	CHECK_EQ(cpus, 3);
}

TEST(madt_with_a_broken_entry_is_refused)
{
	uint8_t t[128];
	const uint8_t zero_len[] = { 0, 0, 0, 0 };
	const uint8_t past_end[] = { 0, 8, 0, 0, 1 };
	unsigned cpus = 99;
	CHECK_EQ(acpi_madt_count_cpus(t, madt_with(t, zero_len, sizeof(zero_len)), &cpus), -BH_EINVAL);
	CHECK_EQ(acpi_madt_count_cpus(t, madt_with(t, past_end, sizeof(past_end)), &cpus), -BH_EINVAL);
	CHECK_EQ(acpi_madt_count_cpus(t, 20, &cpus), -BH_EINVAL);
	CHECK_EQ(cpus, 99);
}
