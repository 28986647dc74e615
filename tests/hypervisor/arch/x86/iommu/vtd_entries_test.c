/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Host tests of the VT-d entry encoders and register decoders
 * (arch/x86/iommu/vtd_entries.c). Expected values are written out from
 * the VT-d specification's bit positions, not from the code's macros.
 */
#include "check.h"

#include <bulkhead/errno.h>

#include "arch/x86/iommu/vtd_entries.h"

/* QEMU 7.2's intel-iommu with its defaults (aw-bits 39). */
#define QEMU_CAP  0xd2008c22260206ull
#define QEMU_ECAP 0xf00f4aull

TEST(qemu_caps)
{
	struct vtd_caps c;
	const char *why = NULL;
	CHECK_EQ(vtd_caps_decode(QEMU_CAP, QEMU_ECAP, &c, &why), 0);
	CHECK_EQ(c.levels, 3);              /* SAGAW 0b00010: 39-bit only */
	CHECK(c.large_2m);
	CHECK(!c.caching_mode);
	CHECK(!c.write_buffer_flush);
	CHECK(!c.coherent);
	CHECK_EQ(c.domains, 1u << 16);      /* ND 6 */
	CHECK_EQ(c.fault_offset, 0x220);
	CHECK_EQ(c.fault_count, 1);
	CHECK_EQ(vtd_caps_reg_end(&c), 0x230);
}

TEST(four_levels_are_chosen_when_offered)
{
	struct vtd_caps c;
	const char *why;
	uint64_t cap = (QEMU_CAP & ~(0x1full << 8)) | (0x6ull << 8);   /* 39- and 48-bit */
	CHECK_EQ(vtd_caps_decode(cap, QEMU_ECAP | 1, &c, &why), 0);
	CHECK_EQ(c.levels, 4);
	CHECK(c.coherent);
	cap = (QEMU_CAP & ~(0x1full << 8)) | (0x4ull << 8);             /* 48-bit only */
	CHECK_EQ(vtd_caps_decode(cap, QEMU_ECAP, &c, &why), 0);
	CHECK_EQ(c.levels, 4);
}

TEST(missing_features_are_named)
{
	struct vtd_caps c;
	const char *why;
	CHECK_EQ(vtd_caps_decode(QEMU_CAP, QEMU_ECAP & ~2ull, &c, &why), -BH_ENOSYS);
	CHECK_STR_EQ(why, "the unit has no queued invalidation");
	CHECK_EQ(vtd_caps_decode(QEMU_CAP, QEMU_ECAP & ~8ull, &c, &why), -BH_ENOSYS);
	CHECK_STR_EQ(why, "the unit has no interrupt remapping");
	uint64_t cap = (QEMU_CAP & ~(0x1full << 8)) | (0x8ull << 8);   /* 57-bit only */
	CHECK_EQ(vtd_caps_decode(cap, QEMU_ECAP, &c, &why), -BH_ENOSYS);
	CHECK_STR_EQ(why, "the unit walks neither 3- nor 4-level second-level tables");
}

TEST(root_and_context_entries)
{
	struct vtd_entry r = vtd_root_entry(0x12345000);
	CHECK_EQ(r.lo, 0x12345001);
	CHECK_EQ(r.hi, 0);

	struct vtd_entry c = vtd_context_entry(0xabcde000, 3, 1);
	CHECK_EQ(c.lo, 0xabcde001);          /* P, TT 00, FPD 0 */
	CHECK_EQ(c.hi, 0x101);               /* AW 1 (39-bit), DID 1 in 87:72 */
	c = vtd_context_entry(0x7654321000, 4, 0x1234);
	CHECK_EQ(c.lo, 0x7654321001);
	CHECK_EQ(c.hi, 0x123402);            /* AW 2 (48-bit) */
	CHECK_EQ(vtd_source_id(0x12, 3 << 3 | 1), 0x1219);
}

TEST(interrupt_remapping_entry)
{
	struct vtd_entry e = vtd_irte(0x41, 0x05, 0x0018);   /* 00:03.0 */
	/* P; DM, RH, TM, DLM, IM all 0; vector in 23:16; xAPIC id in 47:40. */
	CHECK_EQ(e.lo, 0x0000050000410001ull);
	/* SID 0x0018, SQ 00, SVT 01 (bit 82 = high bit 18). */
	CHECK_EQ(e.hi, 0x40018);
}

TEST(remappable_msi_address)
{
	CHECK_EQ(vtd_msi_address(0), 0xfee00018ull);
	CHECK_EQ(vtd_msi_address(5), 0xfee000b8ull);
	CHECK_EQ(vtd_msi_address(0x7fff), 0xfeeffff8ull);
	CHECK_EQ(vtd_msi_address(0x8000), 0xfee0001cull);    /* handle bit 15 in bit 2 */
}

TEST(invalidation_descriptors)
{
	CHECK_EQ(vtd_qi_context_global().lo, 0x11);
	CHECK_EQ(vtd_qi_context_global().hi, 0);
	struct vtd_entry d = vtd_qi_context_device(2, 0x0018);
	CHECK_EQ(d.lo, 0x0000001800020031ull);   /* SID 47:32, DID 31:16, device gran. */
	CHECK_EQ(vtd_qi_iotlb_global().lo, 0xd2);      /* DR, DW, global, type 2 */
	CHECK_EQ(vtd_qi_iotlb_domain(3).lo, 0x300e2);
	CHECK_EQ(vtd_qi_iec_global().lo, 0x4);
	CHECK_EQ(vtd_qi_iec_index(0x1234).lo, 0x0000123400000014ull);
	d = vtd_qi_wait(0x7000104, 1);
	CHECK_EQ(d.lo, 0x0000000100000025ull);   /* status 1, SW, type 5 */
	CHECK_EQ(d.hi, 0x7000104);
}

TEST(fault_records)
{
	/* F, T = 1 (read), reason 0x06, SID 00:03.0, page 0x12345000. */
	struct vtd_fault f = vtd_fault_decode(0x12345000, 0xc000000600000018ull);
	CHECK(f.pending);
	CHECK(!f.write);
	CHECK_EQ(f.reason, 6);
	CHECK_EQ(f.sid, 0x18);
	CHECK_EQ(f.address, 0x12345000);
	f = vtd_fault_decode(0x12345678, 0x8000000500000100ull);
	CHECK(f.write);
	CHECK_EQ(f.address, 0x12345000);
	CHECK_EQ(f.sid, 0x100);
	CHECK(!vtd_fault_decode(0, 0x0000000600000018ull).pending);
	CHECK_STR_EQ(vtd_fault_reason(5), "write not allowed");
	CHECK_STR_EQ(vtd_fault_reason(0x26), "interrupt source id verification failed");
	CHECK(vtd_fault_reason(0x99) == NULL);
}
