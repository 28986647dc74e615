/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A Linux guest's emulated MSRs (hypervisor/arch/x86/linux_msr.c), register
 * by register. MSR numbers and bits are written as numbers from the SDM
 * (Vol. 4, "Architectural MSRs"; Vol. 3A, "IA32_APIC_BASE MSR" and
 * "IA32_MTRR_DEF_TYPE MSR"), not with the header's names, so a wrong name
 * fails here.
 */
#include "check.h"

#include "arch/x86/linux_msr.h"

#define APIC_BASE      0x01bu
#define FEATURE_CTL    0x03au
#define BIOS_SIGN_ID   0x08bu
#define MTRRCAP        0x0feu
#define MISC_ENABLE    0x1a0u
#define MTRR_DEF_TYPE  0x2ffu

/* A vCPU just out of reset. */
static struct linux_msrs fresh(void)
{
	struct linux_msrs m;
	memset(&m, 0xa5, sizeof(m));   /* reset must set every field */
	linux_msrs_reset(&m);
	return m;
}

static uint64_t rd(const struct linux_msrs *m, uint32_t msr)
{
	uint64_t v = 0x5a5a5a5a5a5a5a5aull;
	CHECK(linux_msr_read(m, msr, &v));
	return v;
}

TEST(reset_values)
{
	struct linux_msrs m = fresh();
	/* APIC at 0xfee00000, BSP (bit 8), enabled (bit 11), not x2APIC (10). */
	CHECK_EQ(rd(&m, APIC_BASE), 0xfee00900ull);
	/* Locked (bit 0), VMX neither inside (1) nor outside (2) SMX. */
	CHECK_EQ(rd(&m, FEATURE_CTL), 0x1);
	CHECK_EQ(rd(&m, BIOS_SIGN_ID), 0);
	/* No variable ranges (7:0), no fixed ranges (8), no WC (10). */
	CHECK_EQ(rd(&m, MTRRCAP), 0);
	/* Fast strings (bit 0) only. */
	CHECK_EQ(rd(&m, MISC_ENABLE), 0x1);
	/* MTRRs enabled (E, bit 11), default type write-back (6). */
	CHECK_EQ(rd(&m, MTRR_DEF_TYPE), 0x806);
}

TEST(the_apic_may_be_disabled_and_enabled_in_place)
{
	struct linux_msrs m = fresh();
	CHECK(linux_msr_write(&m, APIC_BASE, 0xfee00100ull));   /* enable off */
	CHECK_EQ(rd(&m, APIC_BASE), 0xfee00100ull);
	CHECK(linux_msr_write(&m, APIC_BASE, 0xfee00900ull));
	CHECK_EQ(rd(&m, APIC_BASE), 0xfee00900ull);
}

TEST(the_bsp_bit_is_read_only)
{
	struct linux_msrs m = fresh();
	CHECK(linux_msr_write(&m, APIC_BASE, 0xfee00800ull));   /* BSP clear: ignored */
	CHECK_EQ(rd(&m, APIC_BASE), 0xfee00900ull);
	CHECK(linux_msr_write(&m, APIC_BASE, 0xfee00000ull));
	CHECK_EQ(rd(&m, APIC_BASE), 0xfee00100ull);
}

TEST(the_apic_may_not_move_or_enter_x2apic_mode)
{
	const uint64_t refused[] = {
		0xfee00d00ull,             /* x2APIC (bit 10) with enable */
		0xfee00500ull,             /* x2APIC without enable */
		0xfee00b00ull,             /* reserved bit 9 */
		0xfed00900ull,             /* another base */
		0xfee01900ull,             /* base moved by 4 KiB */
		0x1fee00900ull,            /* base above 4 GiB */
		0xfee00901ull,             /* reserved low bits */
		1ull << 63 | 0xfee00900ull,
		0, ~0ull,
	};
	for (unsigned i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		struct linux_msrs m = fresh();
		CHECK(!linux_msr_write(&m, APIC_BASE, refused[i]));
		CHECK_EQ(rd(&m, APIC_BASE), 0xfee00900ull);   /* unchanged */
	}
}

TEST(feature_control_is_locked)
{
	/* A locked FEATURE_CONTROL raises #GP on every write (SDM Vol. 3C,
	 * "Enabling and Entering VMX Operation"), even of the value it holds. */
	struct linux_msrs m = fresh();
	CHECK(!linux_msr_write(&m, FEATURE_CTL, 0x1));
	CHECK(!linux_msr_write(&m, FEATURE_CTL, 0x5));
	CHECK(!linux_msr_write(&m, FEATURE_CTL, 0));
	CHECK_EQ(rd(&m, FEATURE_CTL), 0x1);
}

TEST(the_microcode_revision_is_0_and_writes_are_ignored)
{
	struct linux_msrs m = fresh();
	CHECK(linux_msr_write(&m, BIOS_SIGN_ID, 0));   /* what Linux writes first */
	CHECK(linux_msr_write(&m, BIOS_SIGN_ID, 0x12345678ull << 32));
	CHECK_EQ(rd(&m, BIOS_SIGN_ID), 0);
}

TEST(mtrrcap_is_read_only)
{
	struct linux_msrs m = fresh();
	CHECK(!linux_msr_write(&m, MTRRCAP, 0));
	CHECK(!linux_msr_write(&m, MTRRCAP, 0x508));
	CHECK_EQ(rd(&m, MTRRCAP), 0);
}

TEST(misc_enable_takes_fast_strings_only)
{
	struct linux_msrs m = fresh();
	CHECK(linux_msr_write(&m, MISC_ENABLE, 0));
	CHECK_EQ(rd(&m, MISC_ENABLE), 0);
	CHECK(linux_msr_write(&m, MISC_ENABLE, 0x1));
	CHECK_EQ(rd(&m, MISC_ENABLE), 0x1);
	/* Automatic TCC 3, perfmon 7, EIST 16, MONITOR 18, limit CPUID 22,
	 * xTPR disable 23, XD disable 34: none exists here. */
	const unsigned bits[] = { 3, 7, 11, 12, 16, 18, 22, 23, 34, 63 };
	for (unsigned i = 0; i < sizeof(bits) / sizeof(bits[0]); i++) {
		CHECK(!linux_msr_write(&m, MISC_ENABLE, 0x1 | 1ull << bits[i]));
		CHECK_EQ(rd(&m, MISC_ENABLE), 0x1);
	}
}

TEST(mtrr_def_type_takes_the_enable_and_write_back)
{
	struct linux_msrs m = fresh();
	CHECK(linux_msr_write(&m, MTRR_DEF_TYPE, 0x806));
	CHECK_EQ(rd(&m, MTRR_DEF_TYPE), 0x806);
	CHECK(linux_msr_write(&m, MTRR_DEF_TYPE, 0x006));   /* MTRRs off */
	CHECK_EQ(rd(&m, MTRR_DEF_TYPE), 0x006);
	/* Linux turns MTRRs off around its cache setup by writing E, FE and
	 * the type as 0 (uncached), and then writes back what it read. */
	CHECK(linux_msr_write(&m, MTRR_DEF_TYPE, 0));
	CHECK_EQ(rd(&m, MTRR_DEF_TYPE), 0);
	CHECK(linux_msr_write(&m, MTRR_DEF_TYPE, 0x806));
	CHECK_EQ(rd(&m, MTRR_DEF_TYPE), 0x806);
}

TEST(mtrr_def_type_refuses_other_types_fixed_ranges_and_reserved_bits)
{
	const uint64_t refused[] = {
		0x800,          /* enabled, uncached: the platform has only WB */
		0x801,          /* write-combining */
		0x804, 0x805,   /* write-through, write-protect */
		0x802, 0x807, 0x8ff,   /* not memory types */
		0xc06,          /* FE (bit 10): there are no fixed ranges */
		0x406,
		0x1806,         /* reserved bit 12 */
		0x906,          /* reserved bit 8 */
		1ull << 32 | 0x806,
		0x002, 0x007,   /* not memory types, MTRRs off */
		~0ull,
	};
	for (unsigned i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		struct linux_msrs m = fresh();
		CHECK(!linux_msr_write(&m, MTRR_DEF_TYPE, refused[i]));
		CHECK_EQ(rd(&m, MTRR_DEF_TYPE), 0x806);   /* unchanged */
	}
}

TEST(other_msrs_raise_gp)
{
	/* TSC, EFER and PAT are the back end's (guest_msr_read and its own
	 * writes), not this module's; the rest the guest does not get:
	 * P5_MC_ADDR 0, TSC 0x10, SPEC_CTRL 0x48, PRED_CMD 0x49, MCG_CAP
	 * 0x179, DEBUGCTL 0x1d9, MTRRphysBase0 0x200, MTRRfix64K 0x250, PAT
	 * 0x277, TSC_DEADLINE 0x6e0, x2APIC ID 0x802, EFER 0xc0000080,
	 * TSC_AUX 0xc0000103, VM_CR 0xc0010114. */
	const uint32_t msrs[] = { 0x0, 0x10, 0x48, 0x49, 0x179, 0x1d9, 0x200, 0x250, 0x277,
	                          0x6e0, 0x802, 0xc0000080, 0xc0000103, 0xc0010114,
	                          0x1b + 0x100000, 0xffffffff };
	for (unsigned i = 0; i < sizeof(msrs) / sizeof(msrs[0]); i++) {
		struct linux_msrs m = fresh(), before = m;
		uint64_t v = 0x77;
		CHECK(!linux_msr_read(&m, msrs[i], &v));
		CHECK_EQ(v, 0x77);   /* untouched */
		CHECK(!linux_msr_write(&m, msrs[i], 0));
		CHECK(!linux_msr_write(&m, msrs[i], ~0ull));
		CHECK(memcmp(&m, &before, sizeof(m)) == 0);
	}
}
