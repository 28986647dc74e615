/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Host tests of the DMAR parser (arch/x86/iommu/dmar.c) on tables built
 * here byte by byte, as the VT-d specification chapter 8 lays them out.
 * Each parse gets a malloc'd copy of exactly the table's bytes, so
 * AddressSanitizer catches any read past its end.
 */
#include "check.h"

#include <stdlib.h>

#include <bulkhead/errno.h>

#include "arch/x86/iommu/dmar.h"

static uint8_t tbl[4096];
static uint32_t used;

static void put(uint32_t off, uint64_t v, unsigned bytes)
{
	for (unsigned i = 0; i < bytes; i++)
		tbl[off + i] = (uint8_t)(v >> (8 * i));
}

/* The 48-byte DMAR header: 39-bit host address width, interrupt remapping. */
static void begin(void)
{
	memset(tbl, 0, sizeof(tbl));
	memcpy(tbl, "DMAR", 4);
	tbl[36] = 38;
	tbl[37] = DMAR_FLAG_INTR_REMAP;
	used = 48;
}

/* A DRHD header; returns its offset, for scopes and the final length. */
static uint32_t drhd(uint8_t flags, uint64_t base)
{
	uint32_t at = used;
	put(at, 0, 2);            /* type 0: DRHD */
	put(at + 2, 16, 2);
	tbl[at + 4] = flags;
	put(at + 6, 0, 2);        /* segment 0 */
	put(at + 8, base, 8);
	used += 16;
	return at;
}

/* A device scope with path (dev, fn) pairs, appended to the DRHD at s. */
static void scope(uint32_t s, uint8_t type, uint8_t bus, const uint8_t *path, unsigned hops)
{
	uint32_t at = used, len = 6 + 2 * hops;
	tbl[at] = type;
	tbl[at + 1] = (uint8_t)len;
	tbl[at + 4] = 7;          /* enumeration id */
	tbl[at + 5] = bus;
	memcpy(tbl + at + 6, path, 2 * hops);
	used += len;
	put(s + 2, used - s, 2);
}

/* A reserved memory region structure (type 1), which the parser skips. */
static void rmrr(void)
{
	put(used, 1, 2);
	put(used + 2, 24, 2);
	put(used + 8, 0x7f000000, 8);
	put(used + 16, 0x7f0fffff, 8);
	used += 24;
}

static int parse_len(uint32_t len, struct dmar_info *info, const char **why)
{
	put(4, used, 4);
	uint8_t *copy = malloc(len ? len : 1);
	memcpy(copy, tbl, len);
	*why = NULL;
	int err = dmar_parse(copy, len, info, why);
	free(copy);
	if (err)
		CHECK(*why != NULL);
	return err;
}

static int parse(struct dmar_info *info, const char **why)
{
	return parse_len(used, info, why);
}

static const uint8_t IOAPIC_PATH[] = { 0x1f, 0x07 };

TEST(qemu_like_table)
{
	struct dmar_info info;
	const char *why;
	begin();
	uint32_t s = drhd(1, 0xfed90000);
	scope(s, DMAR_SCOPE_IOAPIC, 0xf0, IOAPIC_PATH, 1);
	CHECK_EQ(parse(&info, &why), 0);
	CHECK_EQ(info.host_address_width, 39);
	CHECK_EQ(info.flags, DMAR_FLAG_INTR_REMAP);
	CHECK_EQ(info.nunits, 1);
	CHECK_EQ(info.units[0].base, 0xfed90000);
	CHECK(info.units[0].include_all);
	CHECK_EQ(info.units[0].nscopes, 1);
	CHECK_EQ(info.units[0].scopes[0].type, DMAR_SCOPE_IOAPIC);
	CHECK_EQ(info.units[0].scopes[0].enumeration_id, 7);
	CHECK_EQ(info.units[0].scopes[0].bus, 0xf0);
	CHECK_EQ(info.units[0].scopes[0].devfn, 0x1f << 3 | 7);
	CHECK_EQ(info.units[0].scopes[0].hops, 1);
	/* Every function of segment 0 is the catch-all unit's. */
	CHECK(dmar_unit_for(&info, 0, 3 << 3) == &info.units[0]);
	CHECK(dmar_unit_for(&info, 0x80, 0xff) == &info.units[0]);
}

TEST(explicit_scope_wins_over_catch_all)
{
	struct dmar_info info;
	const char *why;
	static const uint8_t gfx[] = { 2, 0 }, behind[] = { 1, 0, 0, 0 };
	begin();
	uint32_t s = drhd(0, 0xfed90000);
	scope(s, DMAR_SCOPE_PCI_ENDPOINT, 0, gfx, 1);
	scope(s, DMAR_SCOPE_PCI_ENDPOINT, 0, behind, 2);
	rmrr();
	drhd(1, 0xfed91000);
	CHECK_EQ(parse(&info, &why), 0);
	CHECK_EQ(info.nunits, 2);
	CHECK(!info.units[0].include_all);
	CHECK_EQ(info.units[0].nscopes, 2);
	CHECK_EQ(info.units[0].scopes[1].hops, 2);
	CHECK(dmar_unit_for(&info, 0, 2 << 3) == &info.units[0]);
	CHECK(dmar_unit_for(&info, 0, 3 << 3) == &info.units[1]);
	/* A function behind a bridge falls to the catch-all. */
	CHECK(dmar_unit_for(&info, 0, 1 << 3) == &info.units[1]);
}

TEST(no_catch_all_leaves_unlisted_functions_without_a_unit)
{
	struct dmar_info info;
	const char *why;
	static const uint8_t gfx[] = { 2, 0 };
	begin();
	scope(drhd(0, 0xfed90000), DMAR_SCOPE_PCI_ENDPOINT, 0, gfx, 1);
	CHECK_EQ(parse(&info, &why), 0);
	CHECK(dmar_unit_for(&info, 0, 2 << 3) == &info.units[0]);
	CHECK(dmar_unit_for(&info, 0, 3 << 3) == NULL);
}

TEST(header_errors)
{
	struct dmar_info info;
	const char *why;
	begin();
	drhd(1, 0xfed90000);
	CHECK_EQ(parse_len(47, &info, &why), -BH_EINVAL);
	CHECK_STR_EQ(why, "the DMAR is shorter than its header");
	CHECK_EQ(parse_len(used - 1, &info, &why), -BH_EINVAL);
	CHECK_STR_EQ(why, "the DMAR's length field disagrees with the table");
	memcpy(tbl, "DMAX", 4);
	CHECK_EQ(parse(&info, &why), -BH_EINVAL);
	CHECK_STR_EQ(why, "the table is not a DMAR");
	CHECK_EQ(info.nunits, 0);
}

TEST(structure_errors)
{
	struct dmar_info info;
	const char *why;

	begin();
	drhd(1, 0xfed90000);
	used += 3;                                   /* 3 stray bytes */
	CHECK_EQ(parse(&info, &why), -BH_EINVAL);
	CHECK_STR_EQ(why, "a remapping structure header is truncated");

	begin();
	uint32_t s = drhd(1, 0xfed90000);
	put(s + 2, 2, 2);
	CHECK_EQ(parse(&info, &why), -BH_EINVAL);
	CHECK_STR_EQ(why, "a remapping structure has a length below its header");

	put(s + 2, 17, 2);
	CHECK_EQ(parse(&info, &why), -BH_EINVAL);
	CHECK_STR_EQ(why, "a remapping structure runs past the end of the DMAR");

	put(s + 2, 12, 2);
	used -= 4;
	CHECK_EQ(parse(&info, &why), -BH_EINVAL);
	CHECK_STR_EQ(why, "a DRHD is shorter than its fixed fields");

	begin();
	rmrr();
	CHECK_EQ(parse(&info, &why), -BH_EINVAL);
	CHECK_STR_EQ(why, "the DMAR lists no remapping unit");
}

TEST(register_base_errors)
{
	struct dmar_info info;
	const char *why;
	begin();
	drhd(1, 0);
	CHECK_EQ(parse(&info, &why), -BH_EINVAL);
	CHECK_STR_EQ(why, "a DRHD's register base is 0 or not 4 KiB aligned");
	begin();
	drhd(1, 0xfed90800);
	CHECK_EQ(parse(&info, &why), -BH_EINVAL);
}

TEST(scope_errors)
{
	struct dmar_info info;
	const char *why;
	static const uint8_t path[] = { 3, 0 };

	begin();
	uint32_t s = drhd(0, 0xfed90000);
	scope(s, DMAR_SCOPE_PCI_ENDPOINT, 0, path, 1);
	put(s + 2, used - s - 1, 2);                 /* the DRHD ends inside its scope */
	used--;
	CHECK_EQ(parse(&info, &why), -BH_EINVAL);
	CHECK_STR_EQ(why, "a device scope runs past its DRHD");

	begin();
	s = drhd(0, 0xfed90000);
	scope(s, DMAR_SCOPE_PCI_ENDPOINT, 0, path, 1);
	tbl[s + 16 + 1] = 7;                         /* half a path entry */
	CHECK_EQ(parse(&info, &why), -BH_EINVAL);
	CHECK_STR_EQ(why, "a device scope has a bad length");
	tbl[s + 16 + 1] = 0;                         /* would loop for ever if accepted */
	CHECK_EQ(parse(&info, &why), -BH_EINVAL);
	CHECK_STR_EQ(why, "a device scope has a bad length");

	begin();
	s = drhd(0, 0xfed90000);
	put(s + 2, 16 + 4, 2);                       /* 4 bytes: less than a scope header */
	used += 4;
	CHECK_EQ(parse(&info, &why), -BH_EINVAL);
	CHECK_STR_EQ(why, "a device scope is truncated");
}

TEST(limits_are_e2big)
{
	struct dmar_info info;
	const char *why;
	static const uint8_t path[] = { 3, 0 };

	begin();
	for (unsigned i = 0; i <= DMAR_MAX_UNITS; i++)
		drhd(0, 0xfed90000 + 0x1000 * i);
	CHECK_EQ(parse(&info, &why), -BH_E2BIG);
	CHECK_STR_EQ(why, "the DMAR has more remapping units than the kernel keeps");

	begin();
	uint32_t s = drhd(1, 0xfed90000);
	for (unsigned i = 0; i < DMAR_MAX_SCOPES; i++)
		scope(s, DMAR_SCOPE_PCI_ENDPOINT, 0, path, 1);
	CHECK_EQ(parse(&info, &why), 0);
	scope(s, DMAR_SCOPE_PCI_ENDPOINT, 0, path, 1);
	CHECK_EQ(parse(&info, &why), -BH_E2BIG);
	CHECK_STR_EQ(why, "a DRHD has more device scopes than the kernel keeps");
}

TEST(garbage_never_reads_out_of_bounds)
{
	struct dmar_info info;
	const char *why;
	uint32_t seed = 12345;
	for (int round = 0; round < 2000; round++) {
		begin();
		uint32_t len = 48 + (seed >> 8) % 200;
		for (uint32_t i = 48; i < len; i++) {
			seed = seed * 1664525u + 1013904223u;
			tbl[i] = (uint8_t)(seed >> 24);
		}
		used = len;
		int err = parse(&info, &why);
		CHECK(err == 0 || err == -BH_EINVAL || err == -BH_E2BIG);
		CHECK(info.nunits <= DMAR_MAX_UNITS);
	}
}
