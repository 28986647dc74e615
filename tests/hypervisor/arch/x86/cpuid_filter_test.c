/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The guest's CPUID view (docs/guest-abi.md, "CPUID"). Bits are written as
 * numbers from the SDM (Vol. 2A, CPUID: "Feature Information Returned in
 * the ECX Register" and "Structured Extended Feature Flags"), not with the
 * header's names, so a wrong name fails here.
 */
#include "check.h"
#include "cpuid_check.h"

#include "arch/x86/cpuid_filter.h"

static const struct cpuid_regs all_ones = { ~0u, ~0u, ~0u, ~0u };

TEST(leaf1_hides_monitor_vmx_smx_xsave_osxsave_avx)
{
	struct cpuid_regs r = cpuid_guest_view(1, 0, &all_ones, 3);
	CHECK_EQ(r.ecx & (1u << 3), 0);    /* MONITOR */
	CHECK_EQ(r.ecx & (1u << 5), 0);    /* VMX */
	CHECK_EQ(r.ecx & (1u << 6), 0);    /* SMX */
	CHECK_EQ(r.ecx & (1u << 26), 0);   /* XSAVE */
	CHECK_EQ(r.ecx & (1u << 27), 0);   /* OSXSAVE */
	CHECK_EQ(r.ecx & (1u << 28), 0);   /* AVX */
	/* Nothing else is taken away: EAX, EBX, EDX and the other ECX bits
	 * (SSE3 0, PCLMULQDQ 1, SSE4.2 20, x2APIC 21, ...) pass through. */
	CHECK_EQ(r.ecx, ~((1u << 3) | (1u << 5) | (1u << 6) | (1u << 26) |
	                  (1u << 27) | (1u << 28)));
	CHECK_EQ(r.eax, ~0u);
	CHECK_EQ(r.ebx, ~0u);
	CHECK_EQ(r.edx, ~0u);
}

TEST(leaf1_sets_the_hypervisor_bit)
{
	/* ECX bit 31: always 0 on hardware, 1 under a hypervisor. */
	const struct cpuid_regs zero = { 0 };
	struct cpuid_regs r = cpuid_guest_view(1, 0, &zero, 1);
	CHECK_EQ(r.ecx, 1u << 31);
	CHECK_EQ(r.eax | r.ebx | r.edx, 0);
}

TEST(leaf1_of_a_real_cpu)
{
	/* A host whose ECX has SSE3, MONITOR (3), VMX (5), SSE4.1/4.2, XSAVE
	 * (26), OSXSAVE (27), AVX (28), but not SMX (6); worked out by hand:
	 * 0x1ffafbbf without bits 3, 5, 26-28 and with bit 31 is 0x83fafb97. */
	const struct cpuid_regs host = { 0x00050654, 0x00010800, 0x1ffafbbf, 0xbfebfbff };
	struct cpuid_regs r = cpuid_guest_view(1, 0, &host, 1);
	CHECK_REGS(r, 0x00050654, 0x00010800, 0x83fafb97, 0xbfebfbff);
}

TEST(leaf7_subleaf0_hides_sgx_avx2_mpx_avx512f_pku)
{
	struct cpuid_regs r = cpuid_guest_view(7, 0, &all_ones, 1);
	CHECK_EQ(r.ebx & (1u << 2), 0);    /* SGX */
	CHECK_EQ(r.ebx & (1u << 5), 0);    /* AVX2 */
	CHECK_EQ(r.ebx & (1u << 14), 0);   /* MPX */
	CHECK_EQ(r.ebx & (1u << 16), 0);   /* AVX512F */
	CHECK_EQ(r.ebx, ~((1u << 2) | (1u << 5) | (1u << 14) | (1u << 16)));
	CHECK_EQ(r.ecx, ~((1u << 3) | (1u << 4)));   /* PKU, OSPKE */
	CHECK_EQ(r.eax & r.edx, ~0u);
}

TEST(leaf7_other_subleaves_pass_through)
{
	struct cpuid_regs r = cpuid_guest_view(7, 1, &all_ones, 1);
	CHECK_EQ(r.eax & r.ebx & r.ecx & r.edx, ~0u);
}

TEST(withheld_leaves_are_zero)
{
	/* 5 MONITOR/MWAIT, 6 thermal/power, 0xa PMU, 0xd XSAVE (every subleaf). */
	const uint32_t leaves[] = { 5, 6, 0xa, 0xd };
	for (unsigned i = 0; i < sizeof(leaves) / sizeof(leaves[0]); i++)
		for (uint32_t sub = 0; sub < 3; sub++) {
			struct cpuid_regs r = cpuid_guest_view(leaves[i], sub, &all_ones, 1);
			CHECK_EQ(r.eax | r.ebx | r.ecx | r.edx, 0);
		}
}

TEST(leaf_0x40000000_names_bulkhead)
{
	struct cpuid_regs r = cpuid_guest_view(0x40000000, 0, &all_ones, 1);
	CHECK_EQ(r.eax, 0x40000001);   /* the highest hypervisor leaf */
	char sig[13] = { 0 };
	memcpy(sig + 0, &r.ebx, 4);
	memcpy(sig + 4, &r.ecx, 4);
	memcpy(sig + 8, &r.edx, 4);
	CHECK_STR_EQ(sig, "BulkheadVHPV");
}

TEST(leaf_0x40000001_gives_abi_version_and_vm_id)
{
	struct cpuid_regs r = cpuid_guest_view(0x40000001, 0, &all_ones, 7);
	CHECK_REGS(r, 1, 7, 0, 0);
}

TEST(other_hypervisor_range_leaves_are_zero)
{
	/* Host values there (e.g. a hypervisor below Bulkhead) never leak. */
	const uint32_t leaves[] = { 0x40000002, 0x40000100, 0x4fffffff, 0x7fffffff };
	for (unsigned i = 0; i < sizeof(leaves) / sizeof(leaves[0]); i++) {
		struct cpuid_regs r = cpuid_guest_view(leaves[i], 0, &all_ones, 1);
		CHECK_EQ(r.eax | r.ebx | r.ecx | r.edx, 0);
	}
}

TEST(other_leaves_are_the_hosts)
{
	const struct cpuid_regs host = { 0x12345678, 0x9abcdef0, 0x0fedcba9, 0x87654321 };
	const uint32_t leaves[] = { 0, 2, 4, 0xb, 0x80000000, 0x80000001, 0x80000008 };
	for (unsigned i = 0; i < sizeof(leaves) / sizeof(leaves[0]); i++) {
		struct cpuid_regs r = cpuid_guest_view(leaves[i], 0, &host, 1);
		CHECK_REGS(r, host.eax, host.ebx, host.ecx, host.edx);
	}
}

TEST(leaf_0x80000001_hides_svm)
{
	/* The AMD-V kernel answers SVM instructions with #UD. */
	struct cpuid_regs r = cpuid_guest_view(0x80000001, 0, &all_ones, 1);
	CHECK_REGS(r, ~0u, ~0u, ~(1u << 2), ~0u);
}

TEST(leaf_0x8000000a_the_svm_leaf_is_zero)
{
	struct cpuid_regs r = cpuid_guest_view(0x8000000a, 0, &all_ones, 1);
	CHECK_EQ(r.eax | r.ebx | r.ecx | r.edx, 0);
}
