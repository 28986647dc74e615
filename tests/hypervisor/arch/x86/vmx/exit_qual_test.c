/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Exit-qualification decoding, field by field from the SDM: Vol. 3C
 * §28.2.1, Table 28-3 "Exit Qualification for Control-Register Accesses"
 * and Table 28-5 "Exit Qualification for I/O Instructions". Qualifications
 * are written as the CPU would for the instruction in the test's name.
 */
#include "check.h"

#include "arch/x86/vmx/exit_qual.h"

/* Table 28-3: 3:0 CR, 5:4 access type, 6 LMSW operand type, 11:8 register,
 * 31:16 LMSW source data. */
static uint64_t cr_qual(unsigned cr, unsigned type, unsigned reg)
{
	return cr | (type << 4) | (reg << 8);
}

TEST(mov_to_cr3_from_rbx)
{
	struct cr_access a = vmx_decode_cr_access(cr_qual(3, 0, 3));
	CHECK_EQ(a.type, CR_ACCESS_MOV_TO_CR);
	CHECK_EQ(a.cr, 3);
	CHECK_EQ(a.gpr, 3);   /* RBX */
}

TEST(mov_from_cr8_to_r15)
{
	struct cr_access a = vmx_decode_cr_access(cr_qual(8, 1, 15));
	CHECK_EQ(a.type, CR_ACCESS_MOV_FROM_CR);
	CHECK_EQ(a.cr, 8);
	CHECK_EQ(a.gpr, 15);
}

TEST(mov_to_cr4_from_rsp_keeps_register_4)
{
	/* Register 4 is RSP, which the handler takes from the VMCS. */
	struct cr_access a = vmx_decode_cr_access(cr_qual(4, 0, 4));
	CHECK_EQ(a.type, CR_ACCESS_MOV_TO_CR);
	CHECK_EQ(a.cr, 4);
	CHECK_EQ(a.gpr, 4);
}

TEST(clts)
{
	struct cr_access a = vmx_decode_cr_access(0x20);   /* type 2, CR 0 */
	CHECK_EQ(a.type, CR_ACCESS_CLTS);
	CHECK_EQ(a.cr, 0);
}

TEST(lmsw_register_and_memory_operands)
{
	/* LMSW with 0x000b in a register: type 3, bit 6 clear, 31:16 = 0xb. */
	struct cr_access a = vmx_decode_cr_access(0x000b0030);
	CHECK_EQ(a.type, CR_ACCESS_LMSW);
	CHECK(!a.lmsw_memory);
	CHECK_EQ(a.lmsw_source, 0x000b);
	/* From memory, all 16 bits set: bit 6 set. */
	a = vmx_decode_cr_access(0xffff0070);
	CHECK_EQ(a.type, CR_ACCESS_LMSW);
	CHECK(a.lmsw_memory);
	CHECK_EQ(a.lmsw_source, 0xffff);
}

TEST(cr_fields_ignore_reserved_bits)
{
	/* Bits 7, 15:12 and 63:32 are reserved (Table 28-3): set, they change
	 * nothing. */
	struct cr_access a = vmx_decode_cr_access(cr_qual(3, 1, 2) | 0x80 | 0xf000 |
	                                          0xffffffff00000000ull);
	CHECK_EQ(a.type, CR_ACCESS_MOV_FROM_CR);
	CHECK_EQ(a.cr, 3);
	CHECK_EQ(a.gpr, 2);
	CHECK_EQ(a.lmsw_source, 0);
	CHECK(!a.lmsw_memory);
}

/* CR0 (SDM Vol. 3A §2.5): PE 0, MP 1, EM 2, TS 3, ET 4, NE 5, WP 16, PG 31. */
#define GUEST_CR0 0x80010033ull   /* PE MP ET NE WP PG, as a native VM starts */

TEST(clts_clears_only_ts)
{
	struct cr_access a = { .type = CR_ACCESS_CLTS };
	CHECK_EQ(vmx_cr0_after(&a, GUEST_CR0 | 8), GUEST_CR0);
	CHECK_EQ(vmx_cr0_after(&a, GUEST_CR0), GUEST_CR0);   /* TS clear: no change */
}

TEST(lmsw_loads_pe_mp_em_ts_only)
{
	/* Source 0xfff6: PE and TS clear, MP and EM set; bits 15:4 are not
	 * loaded, and PE stays set. */
	struct cr_access a = { .type = CR_ACCESS_LMSW, .lmsw_source = 0xfff6 };
	CHECK_EQ(vmx_cr0_after(&a, GUEST_CR0), (GUEST_CR0 & ~0xfull) | 0x7);
	/* The same value the guest has: no change, so the handler skips it. */
	a.lmsw_source = 0x0033;
	CHECK_EQ(vmx_cr0_after(&a, GUEST_CR0), GUEST_CR0);
}

TEST(lmsw_cannot_clear_pe)
{
	struct cr_access a = { .type = CR_ACCESS_LMSW, .lmsw_source = 0 };
	CHECK_EQ(vmx_cr0_after(&a, GUEST_CR0), (GUEST_CR0 & ~0xfull) | 1);
	/* ...but can set it. */
	CHECK_EQ(vmx_cr0_after(&a, 0x10), 0x10);
	a.lmsw_source = 1;
	CHECK_EQ(vmx_cr0_after(&a, 0x10), 0x11);
}

TEST(mov_types_leave_cr0_alone)
{
	struct cr_access a = { .type = CR_ACCESS_MOV_TO_CR, .lmsw_source = 0xffff };
	CHECK_EQ(vmx_cr0_after(&a, GUEST_CR0), GUEST_CR0);
}

/* Table 28-5: 2:0 size - 1, 3 direction (1 = IN), 4 string, 5 REP,
 * 6 operand encoding (1 = immediate), 31:16 port. */

TEST(out_dx_al_to_com1)
{
	struct io_access io = vmx_decode_io(0x03f80000);   /* OUT DX, AL; DX = 0x3f8 */
	CHECK_EQ(io.port, 0x3f8);
	CHECK_EQ(io.size, 1);
	CHECK(!io.in && !io.string && !io.rep && !io.immediate);
}

TEST(in_eax_imm8)
{
	struct io_access io = vmx_decode_io(0x00710000 | 0x40 | 0x8 | 3);   /* IN EAX, 0x71 */
	CHECK_EQ(io.port, 0x71);
	CHECK_EQ(io.size, 4);
	CHECK(io.in);
	CHECK(io.immediate);
	CHECK(!io.string && !io.rep);
}

TEST(rep_outsw)
{
	struct io_access io = vmx_decode_io(0x01f00000 | 0x20 | 0x10 | 1);  /* REP OUTSW, DX = 0x1f0 */
	CHECK_EQ(io.port, 0x1f0);
	CHECK_EQ(io.size, 2);
	CHECK(!io.in);
	CHECK(io.string && io.rep);
	CHECK(!io.immediate);
}

TEST(ins_byte_from_the_top_port)
{
	struct io_access io = vmx_decode_io(0xffff0000 | 0x10 | 0x8);   /* INSB, DX = 0xffff */
	CHECK_EQ(io.port, 0xffff);
	CHECK_EQ(io.size, 1);
	CHECK(io.in && io.string && !io.rep);
}

TEST(io_fields_ignore_reserved_bits)
{
	/* Bits 15:7 and 63:32 are reserved. */
	struct io_access io = vmx_decode_io(0xffffffff00000000ull | 0xff80 | 0x00600000);
	CHECK_EQ(io.port, 0x60);
	CHECK_EQ(io.size, 1);
	CHECK(!io.in && !io.string && !io.rep && !io.immediate);
}
