/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Host tests of the AMD-Vi entry encoders and decoders
 * (arch/x86/iommu/amdvi_entries.c). Expected values are written out from
 * the AMD IOMMU specification's bit positions, not from the code's macros.
 */
#include "check.h"

#include "arch/x86/iommu/amdvi_entries.h"

TEST(device_table_entry)
{
	struct amdvi_dte e = amdvi_dte_make(0x12345000, 4, 7, true, 0xabcd0400);
	/* V 0, TV 1, Mode 11:9 = 4, root 51:12, IR 61, IW 62. */
	CHECK_EQ(e.q[0], 0x6000000012345803ull);
	CHECK_EQ(e.q[1], 7);                         /* DomainID 79:64 */
	/* IV 128, IntTabLen 132:129 = 8, IntTableRootPtr 179:134, IntCtl 189:188 = 10b. */
	CHECK_EQ(e.q[2], 0x20000000abcd0411ull);
	CHECK_EQ(e.q[3], 0);
	CHECK_EQ(amdvi_dte_domain(&e), 7);
	CHECK_EQ(amdvi_dte_irt(&e), 0xabcd0400);
}

TEST(blocking_entry_denies_reads_and_writes)
{
	struct amdvi_dte e = amdvi_dte_make(0x1000, 4, 1, false, 0x2000);
	CHECK_EQ(e.q[0], 0x0000000000001803ull);     /* valid, translating, no IR/IW */
	CHECK_EQ(e.q[1], 1);
	CHECK_EQ(e.q[2], 0x2000000000002011ull);
}

TEST(extra_address_bits_are_dropped)
{
	struct amdvi_dte e = amdvi_dte_make(0xfff0000012345fffull, 4, 2, true, 0xfff00000abcd043full);
	CHECK_EQ(e.q[0], 0x6000000012345803ull);
	CHECK_EQ(e.q[2], 0x20000000abcd0411ull);
}

TEST(page_table_entries)
{
	/* A level-4 entry names a level-3 table: PR, Next Level 3, IR, IW. */
	CHECK_EQ(amdvi_pte_table(0x5000, 4), 0x6000000000005601ull);
	CHECK_EQ(amdvi_pte_table(0x6000, 2), 0x6000000000006201ull);
	/* Leaves: Next Level 0; IW only if writable. */
	CHECK_EQ(amdvi_pte_leaf(0x7000, true), 0x6000000000007001ull);
	CHECK_EQ(amdvi_pte_leaf(0x7000, false), 0x2000000000007001ull);
	CHECK_EQ(amdvi_pte_leaf(0xfff0000000007123ull, false), 0x2000000000007001ull);
}

TEST(interrupt_remapping_entry)
{
	/* RemapEn 0, IntType 4:2 fixed, DM 6 physical, Destination 15:8, Vector 23:16. */
	CHECK_EQ(amdvi_irte(0x41, 0x03), 0x00410301u);
	CHECK_EQ(amdvi_irte(0xff, 0xff), 0x00ffff01u);
}

TEST(msi_names_the_entry)
{
	CHECK_EQ(AMDVI_MSI_ADDRESS, 0xfee00000ull);
	CHECK_EQ(amdvi_msi_data(0), 0);
	CHECK_EQ(amdvi_msi_data(2), 2);
	CHECK_EQ(amdvi_msi_data(255), 255);
}

TEST(commands)
{
	/* COMPLETION_WAIT: S bit 0, store address 51:3, opcode 1 in 63:60, data in the high quadword. */
	struct amdvi_cmd c = amdvi_cmd_completion_wait(0x123458, 0x99);
	CHECK_EQ(c.lo, 0x1000000000123459ull);
	CHECK_EQ(c.hi, 0x99);
	/* INVALIDATE_DEVTAB_ENTRY: opcode 2, DeviceID 15:0. */
	c = amdvi_cmd_inv_devtab(0x0018);
	CHECK_EQ(c.lo, 0x2000000000000018ull);
	CHECK_EQ(c.hi, 0);
	/* INVALIDATE_IOMMU_PAGES: opcode 3, DomainID 47:32; every page: S, PDE,
	 * address 0x7ffffffffffff000. */
	c = amdvi_cmd_inv_pages(5);
	CHECK_EQ(c.lo, 0x3000000500000000ull);
	CHECK_EQ(c.hi, 0x7ffffffffffff003ull);
	/* INVALIDATE_INTERRUPT_TABLE: opcode 5. */
	c = amdvi_cmd_inv_irt(0x0118);
	CHECK_EQ(c.lo, 0x5000000000000118ull);
	CHECK_EQ(amdvi_cmd_inv_all().lo, 0x8000000000000000ull);
}

TEST(io_page_fault_event)
{
	/* DeviceID 0x0018, DomainID 2, flags: RW (bit 21 of dword 1), code 2. */
	struct amdvi_cmd raw = { 0x2020000200000018ull, 0x10000040ull };
	struct amdvi_event e = amdvi_event_decode(raw);
	CHECK_EQ(e.code, AMDVI_EVENT_IO_PAGE_FAULT);
	CHECK_EQ(e.devid, 0x0018);
	CHECK_EQ(e.domain, 2);
	CHECK_EQ(e.flags, 0x020);
	CHECK(e.write);
	CHECK(!e.interrupt);
	CHECK_EQ(e.address, 0x10000040ull);
	/* A read of an interrupt: I (bit 19), RW clear. */
	raw.lo = 0x2008000000000018ull;
	e = amdvi_event_decode(raw);
	CHECK(!e.write);
	CHECK(e.interrupt);
	CHECK_STR_EQ(amdvi_event_name(2), "IO_PAGE_FAULT");
	CHECK_STR_EQ(amdvi_event_name(1), "ILLEGAL_DEV_TABLE_ENTRY");
	CHECK(amdvi_event_name(0) == NULL);
	CHECK(amdvi_event_name(15) == NULL);
}
