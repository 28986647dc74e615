/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Host tests of the IVRS parser (arch/x86/iommu/ivrs.c) on tables built
 * here byte by byte, as the AMD IOMMU specification §5.2 lays them out.
 * Each parse gets a malloc'd copy of exactly the table's bytes, so
 * AddressSanitizer catches any read past its end.
 */
#include "check.h"

#include <stdlib.h>

#include <bulkhead/errno.h>

#include "arch/x86/iommu/ivrs.h"

static uint8_t tbl[4096];
static uint32_t used;

static void put(uint32_t off, uint64_t v, unsigned bytes)
{
	for (unsigned i = 0; i < bytes; i++)
		tbl[off + i] = (uint8_t)(v >> (8 * i));
}

/* The 48-byte IVRS header with an IVinfo. */
static void begin(void)
{
	memset(tbl, 0, sizeof(tbl));
	memcpy(tbl, "IVRS", 4);
	put(36, 0x00203040, 4);
	used = 48;
}

/* An IVHD of type (24 or 40 fixed bytes); returns its offset for entries. */
static uint32_t ivhd(uint8_t type, uint16_t devid, uint64_t base, uint16_t segment)
{
	uint32_t at = used, len = type == IVHD_TYPE_10 ? 24 : 40;
	tbl[at] = type;
	tbl[at + 1] = 0xb0;       /* flags */
	put(at + 2, len, 2);
	put(at + 4, devid, 2);
	put(at + 6, 0x40, 2);     /* capability offset */
	put(at + 8, base, 8);
	put(at + 16, segment, 2);
	if (type != IVHD_TYPE_10)
		put(at + 24, 0x29f, 8);   /* an EFR image */
	used += len;
	return at;
}

/* A device entry of n bytes appended to the IVHD at h. */
static void entry(uint32_t h, const uint8_t *bytes, unsigned n)
{
	memcpy(tbl + used, bytes, n);
	used += n;
	put(h + 2, used - h, 2);
}

static void dev4(uint32_t h, uint8_t type, uint16_t devid)
{
	const uint8_t e[] = { type, (uint8_t)devid, (uint8_t)(devid >> 8), 0 };
	entry(h, e, 4);
}

static void dev8(uint32_t h, uint8_t type, uint16_t devid, uint16_t other, uint8_t variety)
{
	const uint8_t e[] = { type, (uint8_t)devid, (uint8_t)(devid >> 8), 0,
	                      0x21, (uint8_t)other, (uint8_t)(other >> 8), variety };
	entry(h, e, 8);
}

/* An IVMD (type 0x20), which the parser skips. */
static void ivmd(void)
{
	tbl[used] = 0x20;
	put(used + 2, 32, 2);
	put(used + 16, 0x7f000000, 8);
	used += 32;
}

static int parse_len(uint32_t len, struct ivrs_info *info, const char **why)
{
	put(4, used, 4);
	uint8_t *copy = malloc(len ? len : 1);
	memcpy(copy, tbl, len);
	*why = NULL;
	int err = ivrs_parse(copy, len, info, why);
	free(copy);
	if (err)
		CHECK(*why != NULL);
	return err;
}

static int parse(struct ivrs_info *info, const char **why)
{
	return parse_len(used, info, why);
}

TEST(qemu_like_table_keeps_the_highest_ivhd_type)
{
	struct ivrs_info info;
	const char *why;
	begin();
	/* QEMU describes its unit (a PCI function at 00:01.0) twice. */
	for (uint8_t type = IVHD_TYPE_10; type <= IVHD_TYPE_11; type++) {
		uint32_t h = ivhd(type, 0x0008, 0xfed80000, 0);
		dev4(h, 0x01, 0);                 /* select all */
		dev8(h, 0x48, 0, 0x00a0, 1);      /* special: IOAPIC as 00:14.0 */
	}
	CHECK_EQ(parse(&info, &why), 0);
	CHECK_EQ(info.ivinfo, 0x00203040);
	CHECK_EQ(info.nunits, 1);
	const struct ivrs_unit *u = &info.units[0];
	CHECK_EQ(u->type, IVHD_TYPE_11);
	CHECK_EQ(u->iommu_devid, 0x0008);
	CHECK_EQ(u->cap_offset, 0x40);
	CHECK_EQ(u->base, 0xfed80000);
	CHECK_EQ(u->segment, 0);
	CHECK_EQ(u->efr, 0x29f);
	CHECK_EQ(u->nranges, 2);
	CHECK_EQ(u->ranges[0].first, 0);
	CHECK_EQ(u->ranges[0].last, 0xffff);
	CHECK_EQ(u->ranges[1].first, 0x00a0);
	CHECK_EQ(u->ranges[1].last, 0x00a0);
	CHECK(ivrs_unit_for(&info, 0x0018) == u);
	CHECK(ivrs_unit_for(&info, 0xffff) == u);
}

TEST(ranges_aliases_and_skipped_entries)
{
	struct ivrs_info info;
	const char *why;
	begin();
	uint32_t h = ivhd(IVHD_TYPE_10, 0x0002, 0xfeb80000, 0);
	dev4(h, 0x00, 0);                 /* padding */
	dev4(h, 0x02, 0x0018);            /* select 00:03.0 */
	dev4(h, 0x03, 0x0100);            /* start 01:00.0 */
	dev4(h, 0x04, 0x01ff);            /* end 01:1f.7 */
	dev8(h, 0x42, 0x0300, 0x0208, 0); /* alias select: 03:00.0 seen as 02:01.0 */
	dev8(h, 0x43, 0x0400, 0x0210, 0); /* alias start 04:00.0, seen as 02:02.0 */
	dev4(h, 0x04, 0x0407);            /* its end */
	dev8(h, 0x46, 0x0500, 0, 0);      /* extended select */
	dev8(h, 0x47, 0x0600, 0, 0);      /* extended start */
	dev4(h, 0x04, 0x06ff);
	dev8(h, 0x50, 0x0700, 0, 0);      /* a reserved 8-byte type: skipped */
	static const uint8_t hid[26] = { 0xf0, 0x00, 0x08, 0, 'A', 'M', 'D', 'I', '0', '0', '4',
	                                 '0', 0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 'U', 'I', 'D', '0' };
	entry(h, hid, sizeof(hid));       /* ACPI HID with a 4-byte UID: skipped */
	ivmd();
	CHECK_EQ(parse(&info, &why), 0);
	const struct ivrs_unit *u = &info.units[0];
	CHECK_EQ(u->type, IVHD_TYPE_10);
	CHECK_EQ(u->efr, 0);
	CHECK_EQ(u->nranges, 8);
	CHECK(ivrs_unit_for(&info, 0x0018) == u);
	CHECK(ivrs_unit_for(&info, 0x0017) == NULL);
	CHECK(ivrs_unit_for(&info, 0x0100) == u);
	CHECK(ivrs_unit_for(&info, 0x01ff) == u);
	CHECK(ivrs_unit_for(&info, 0x0200) == NULL);
	CHECK(ivrs_unit_for(&info, 0x0208) == u);   /* the alias */
	CHECK(ivrs_unit_for(&info, 0x0300) == u);
	CHECK(ivrs_unit_for(&info, 0x0210) == u);
	CHECK(ivrs_unit_for(&info, 0x0407) == u);
	CHECK(ivrs_unit_for(&info, 0x0408) == NULL);
	CHECK(ivrs_unit_for(&info, 0x0500) == u);
	CHECK(ivrs_unit_for(&info, 0x06ff) == u);
	CHECK(ivrs_unit_for(&info, 0x0700) == NULL);
}

TEST(other_segments_are_not_covered)
{
	struct ivrs_info info;
	const char *why;
	begin();
	dev4(ivhd(IVHD_TYPE_40, 0x0002, 0xfeb80000, 1), 0x01, 0);
	CHECK_EQ(parse(&info, &why), 0);
	CHECK_EQ(info.units[0].segment, 1);
	CHECK(ivrs_unit_for(&info, 0x0018) == NULL);
}

TEST(two_units)
{
	struct ivrs_info info;
	const char *why;
	begin();
	dev4(ivhd(IVHD_TYPE_11, 0x0002, 0xfeb80000, 0), 0x02, 0x0018);
	dev4(ivhd(IVHD_TYPE_11, 0x4002, 0xfeb84000, 0), 0x01, 0);
	CHECK_EQ(parse(&info, &why), 0);
	CHECK_EQ(info.nunits, 2);
	CHECK(ivrs_unit_for(&info, 0x0018) == &info.units[0]);
	CHECK(ivrs_unit_for(&info, 0x4000) == &info.units[1]);
}

/* Parses a table that must fail with err and a reason containing what. */
static void refused(int err, const char *what)
{
	struct ivrs_info info;
	const char *why;
	CHECK_EQ(parse(&info, &why), err);
	CHECK(why && strstr(why, what));
}

TEST(malformed_tables)
{
	struct ivrs_info info;
	const char *why;
	begin();
	CHECK_EQ(parse_len(20, &info, &why), -BH_EINVAL);   /* shorter than the header */
	begin();
	memcpy(tbl, "DMAR", 4);
	refused(-BH_EINVAL, "signature");
	begin();
	ivmd();
	refused(-BH_EINVAL, "no IVHD");
	begin();
	dev4(ivhd(IVHD_TYPE_10, 2, 0xfeb80000, 0), 0x01, 0);
	CHECK_EQ(parse_len(used - 2, &info, &why), -BH_EINVAL);   /* length past the buffer */
	CHECK(strstr(why, "past the table"));

	begin();
	dev4(ivhd(IVHD_TYPE_10, 2, 0xfeb81000, 0), 0x01, 0);   /* 4 KiB, not 16 KiB, aligned */
	refused(-BH_EINVAL, "16 KiB");
	begin();
	dev4(ivhd(IVHD_TYPE_10, 2, 0, 0), 0x01, 0);
	refused(-BH_EINVAL, "base is 0");

	begin();
	uint32_t h = ivhd(IVHD_TYPE_10, 2, 0xfeb80000, 0);
	dev4(h, 0x03, 0x0100);            /* a start with no end */
	refused(-BH_EINVAL, "not followed by its end");
	begin();
	h = ivhd(IVHD_TYPE_10, 2, 0xfeb80000, 0);
	dev4(h, 0x03, 0x0100);
	dev4(h, 0x02, 0x0018);            /* a start followed by something else */
	refused(-BH_EINVAL, "not followed by its end");
	begin();
	dev4(ivhd(IVHD_TYPE_10, 2, 0xfeb80000, 0), 0x04, 0x01ff);
	refused(-BH_EINVAL, "end has no start");
	begin();
	h = ivhd(IVHD_TYPE_10, 2, 0xfeb80000, 0);
	dev4(h, 0x03, 0x0200);
	dev4(h, 0x04, 0x01ff);
	refused(-BH_EINVAL, "ends before it starts");
	begin();
	dev4(ivhd(IVHD_TYPE_10, 2, 0xfeb80000, 0), 0x80, 0);   /* variable length, unknown */
	refused(-BH_EINVAL, "length is unknown");

	begin();
	h = ivhd(IVHD_TYPE_10, 2, 0xfeb80000, 0);
	dev8(h, 0x42, 0x0300, 0x0208, 0);
	put(h + 2, used - h - 4, 2);      /* the 8-byte entry runs past its IVHD */
	used -= 4;
	memset(tbl + used, 0, 4);
	refused(-BH_EINVAL, "runs past its IVHD");
	begin();
	h = ivhd(IVHD_TYPE_11, 2, 0xfeb80000, 0);
	put(h + 2, 24, 2);                /* shorter than 11h's 40 fixed bytes */
	used = h + 24;
	refused(-BH_EINVAL, "shorter than its fixed fields");
	begin();
	h = ivhd(IVHD_TYPE_10, 2, 0xfeb80000, 0);
	put(h + 2, 2, 2);                 /* a block length below its header */
	refused(-BH_EINVAL, "too small");
}

TEST(limits)
{
	begin();
	for (unsigned i = 0; i <= IVRS_MAX_UNITS; i++)
		dev4(ivhd(IVHD_TYPE_10, (uint16_t)(i << 8), 0xfeb80000 + 0x4000ull * i, 0), 0x01, 0);
	refused(-BH_E2BIG, "more IOMMUs");
	begin();
	uint32_t h = ivhd(IVHD_TYPE_10, 2, 0xfeb80000, 0);
	for (unsigned i = 0; i <= IVRS_MAX_RANGES; i++)
		dev4(h, 0x02, (uint16_t)i);
	refused(-BH_E2BIG, "more device ranges");
}

/* Every truncation of a good table is refused, never read past its end (ASan). */
TEST(every_truncation_is_refused)
{
	struct ivrs_info info;
	const char *why;
	begin();
	uint32_t h = ivhd(IVHD_TYPE_11, 2, 0xfeb80000, 0);
	dev4(h, 0x03, 0x0100);
	dev4(h, 0x04, 0x01ff);
	dev8(h, 0x48, 0, 0x00a0, 1);
	uint32_t full = used;
	for (uint32_t len = 0; len < full; len++) {
		used = full;
		put(4, len, 4);
		uint8_t *copy = malloc(len ? len : 1);
		memcpy(copy, tbl, len);
		int err = ivrs_parse(copy, len, &info, &why);
		free(copy);
		CHECK(err == -BH_EINVAL);
	}
}
