/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A Linux guest's CPUID view (hypervisor/arch/x86/linux_cpuid.c), leaf by
 * leaf on an Intel and an AMD CPU. Bits are written as numbers from the
 * SDM (Vol. 2A, CPUID: "Information Returned by CPUID Instruction", the
 * leaf 1 ECX and EDX tables, "Structured Extended Feature Flags") and the
 * APM (Vol. 3, Appendix E), not with the module's names, so a wrong name
 * fails here.
 */
#include "check.h"
#include "cpuid_check.h"

#include "arch/x86/linux_cpuid.h"

#define BIT(n) (1u << (n))

static const struct cpuid_regs all_ones = { ~0u, ~0u, ~0u, ~0u };
static const struct cpuid_regs zero = { 0 };

/* Leaf 0 of a CPU whose highest basic leaf is max: the vendor string's
 * bytes in EBX, EDX, ECX, in that order (SDM: "Genu" "ineI" "ntel"). */
static struct cpuid_regs vendor_leaf(uint32_t max, const char *vendor)
{
	struct cpuid_regs r = { .eax = max };
	memcpy(&r.ebx, vendor + 0, 4);
	memcpy(&r.edx, vendor + 4, 4);
	memcpy(&r.ecx, vendor + 8, 4);
	return r;
}

/* Two CPUs: an Intel one with basic leaves to 0x20 and extended ones to
 * 0x80000008, and an AMD one with basic leaves to 0x10 and extended ones
 * to 0x80000021. */
static struct cpuid_regs intel0, amd0, intel_ext0, amd_ext0;

static void cpus(void)
{
	intel0 = vendor_leaf(0x20, "GenuineIntel");
	amd0 = vendor_leaf(0x10, "AuthenticAMD");
	intel_ext0 = (struct cpuid_regs){ .eax = 0x80000008 };
	amd_ext0 = (struct cpuid_regs){ .eax = 0x80000021 };
}

#define TSC_HZ 2400000000ull

static struct cpuid_regs intel(uint32_t leaf, uint32_t sub, const struct cpuid_regs *host)
{
	cpus();
	return linux_cpuid_view(leaf, sub, host, &intel0, &intel_ext0, TSC_HZ, 5);
}

static struct cpuid_regs amd(uint32_t leaf, uint32_t sub, const struct cpuid_regs *host)
{
	cpus();
	return linux_cpuid_view(leaf, sub, host, &amd0, &amd_ext0, TSC_HZ, 5);
}

#define CHECK_ZERO(r) CHECK_REGS(r, 0, 0, 0, 0)

/* The mask of the bit numbers in bits[0..n). */
static uint32_t mask_of(const unsigned *bits, unsigned n)
{
	uint32_t m = 0;
	for (unsigned i = 0; i < n; i++)
		m |= BIT(bits[i]);
	return m;
}
#define MASK(...) mask_of((const unsigned[]){ __VA_ARGS__ }, \
                          sizeof((const unsigned[]){ __VA_ARGS__ }) / sizeof(unsigned))

TEST(the_vendor_is_intel_only_for_genuineintel)
{
	CHECK(cpuid_is_intel(&(struct cpuid_regs){ 0, 0x756e6547, 0x6c65746e, 0x49656e69 }));
	struct cpuid_regs r = vendor_leaf(0x16, "GenuineIntel");
	CHECK(cpuid_is_intel(&r));
	r = vendor_leaf(0x16, "AuthenticAMD");
	CHECK(!cpuid_is_intel(&r));
	r = vendor_leaf(0x16, "GenuineIotel");
	CHECK(!cpuid_is_intel(&r));
	/* The registers' order matters: ECX and EDX swapped is not Intel. */
	r = vendor_leaf(0x16, "GenuntelineI");
	CHECK(!cpuid_is_intel(&r));
	CHECK(!cpuid_is_intel(&zero));
}

TEST(leaf0_keeps_the_vendor_and_clamps_the_maximum_leaf)
{
	cpus();
	/* Intel: 0x16, so that the TSC leaves 0x15 and 0x16 are read. */
	struct cpuid_regs r = intel(0, 0, &intel0);
	CHECK_REGS(r, 0x16, intel0.ebx, intel0.ecx, intel0.edx);
	/* AMD: the CPU's own, at most 0xd. */
	r = amd(0, 0, &amd0);
	CHECK_REGS(r, 0xd, amd0.ebx, amd0.ecx, amd0.edx);
	struct cpuid_regs small = vendor_leaf(0x7, "AuthenticAMD");
	r = linux_cpuid_view(0, 0, &small, &small, &amd_ext0, TSC_HZ, 5);
	CHECK_EQ(r.eax, 0x7);
}

TEST(basic_leaves_beyond_the_maximum_are_zero)
{
	const uint32_t intel_beyond[] = { 0x17, 0x18, 0x1f, 0x20, 0x3fffffff };
	for (unsigned i = 0; i < sizeof(intel_beyond) / sizeof(intel_beyond[0]); i++)
		CHECK_ZERO(intel(intel_beyond[i], 0, &all_ones));
	const uint32_t amd_beyond[] = { 0xe, 0x10, 0x15, 0x16, 0x1f };
	for (unsigned i = 0; i < sizeof(amd_beyond) / sizeof(amd_beyond[0]); i++)
		CHECK_ZERO(amd(amd_beyond[i], 0, &all_ones));
	/* An AMD CPU whose own maximum is 5: no leaf 6 or 7. */
	struct cpuid_regs small = vendor_leaf(0x5, "AuthenticAMD");
	CHECK_ZERO(linux_cpuid_view(6, 0, &all_ones, &small, &amd_ext0, TSC_HZ, 5));
	CHECK_ZERO(linux_cpuid_view(7, 0, &all_ones, &small, &amd_ext0, TSC_HZ, 5));
}

TEST(leaves_the_intel_cpu_lacks_do_not_pass_its_answer_on)
{
	/* An Intel CPU asked for a leaf above its highest answers with the
	 * data of its highest leaf (SDM, CPUID); the guest is told of leaves
	 * to 0x16 whatever the CPU has, so a CPU with leaves to 5 must not
	 * make that data its leaf 7. */
	cpus();
	struct cpuid_regs old = vendor_leaf(0x5, "GenuineIntel");
	CHECK_ZERO(linux_cpuid_view(7, 0, &all_ones, &old, &intel_ext0, TSC_HZ, 5));
	struct cpuid_regs oldest = vendor_leaf(0x1, "GenuineIntel");
	CHECK_ZERO(linux_cpuid_view(2, 0, &all_ones, &oldest, &intel_ext0, TSC_HZ, 5));
	/* What the kernel makes up itself is still there. */
	CHECK_EQ(linux_cpuid_view(0, 0, &old, &old, &intel_ext0, TSC_HZ, 5).eax, 0x16);
	CHECK_EQ(linux_cpuid_view(6, 0, &all_ones, &old, &intel_ext0, TSC_HZ, 5).eax, BIT(2));
	CHECK_EQ(linux_cpuid_view(0x15, 0, &all_ones, &old, &intel_ext0, TSC_HZ, 5).ecx, TSC_HZ);
	CHECK_EQ(linux_cpuid_view(0x16, 0, &all_ones, &old, &intel_ext0, TSC_HZ, 5).eax, 2400);
	/* And the leaves it has are its own. */
	CHECK_EQ(linux_cpuid_view(1, 0, &all_ones, &old, &intel_ext0, TSC_HZ, 5).ebx, 0xffff);
	CHECK_EQ(linux_cpuid_view(2, 0, &all_ones, &old, &intel_ext0, TSC_HZ, 5).eax, ~0u);
}

TEST(extended_leaves_stop_at_0x80000008)
{
	CHECK_EQ(amd(0x80000000, 0, &amd_ext0).eax, 0x80000008);
	CHECK_EQ(intel(0x80000000, 0, &intel_ext0).eax, 0x80000008);
	const uint32_t beyond[] = { 0x80000009, 0x8000000a, 0x8000001f, 0x80000021,
	                            0x8fffffff, 0xc0000000, 0xffffffff };
	for (unsigned i = 0; i < sizeof(beyond) / sizeof(beyond[0]); i++)
		CHECK_ZERO(amd(beyond[i], 0, &all_ones));
	/* A CPU with extended leaves to 0x80000004 only: its maximum stays,
	 * and 0x80000007 (invariant TSC) and 0x80000008 are zero. */
	cpus();
	struct cpuid_regs ext4 = { .eax = 0x80000004 };
	CHECK_EQ(linux_cpuid_view(0x80000000, 0, &ext4, &intel0, &ext4, TSC_HZ, 5).eax,
	         0x80000004);
	CHECK_ZERO(linux_cpuid_view(0x80000007, 0, &all_ones, &intel0, &ext4, TSC_HZ, 5));
	CHECK_ZERO(linux_cpuid_view(0x80000008, 0, &all_ones, &intel0, &ext4, TSC_HZ, 5));
	/* One with none at all (an EAX below 0x80000000): all zero. */
	CHECK_ZERO(linux_cpuid_view(0x80000000, 0, &zero, &intel0, &zero, TSC_HZ, 5));
	CHECK_ZERO(linux_cpuid_view(0x80000001, 0, &all_ones, &intel0, &zero, TSC_HZ, 5));
}

TEST(brand_string_and_cache_leaves_pass_through)
{
	const struct cpuid_regs host = { 0x12345678, 0x9abcdef0, 0x0fedcba9, 0x87654321 };
	const uint32_t leaves[] = { 0x80000002, 0x80000003, 0x80000004, 0x80000005, 0x80000006 };
	for (unsigned i = 0; i < sizeof(leaves) / sizeof(leaves[0]); i++) {
		struct cpuid_regs r = amd(leaves[i], 0, &host);
		CHECK_REGS(r, host.eax, host.ebx, host.ecx, host.edx);
	}
	/* Leaf 2, Intel's cache descriptors. */
	struct cpuid_regs r = intel(2, 0, &host);
	CHECK_REGS(r, host.eax, host.ebx, host.ecx, host.edx);
}

TEST(leaf1_hides_what_the_kernel_does_not_switch_or_emulate)
{
	/* ECX: DTES64 2, MONITOR 3, DS-CPL 4, VMX 5, SMX 6, EST 7, TM2 8,
	 * SDBG 11, xTPR 14, PDCM 15, PCID 17, DCA 18, x2APIC 21, TSC-deadline
	 * 24, XSAVE 26, OSXSAVE 27, AVX 28, F16C 29; the hypervisor bit 31
	 * set. */
	const uint32_t ecx_hidden = MASK(2, 3, 4, 5, 6, 7, 8, 11, 14, 15, 17, 18, 21, 24,
	                                 26, 27, 28, 29);
	/* EDX: MCE 7, MCA 14, PSN 18, DS 21, ACPI 22, HTT 28, TM 29, PBE 31. */
	const uint32_t edx_hidden = MASK(7, 14, 18, 21, 22, 28, 29, 31);
	struct cpuid_regs r = intel(1, 0, &all_ones);
	CHECK_EQ(r.ecx, ~ecx_hidden);
	CHECK_EQ(r.edx, ~edx_hidden);
	CHECK_EQ(r.eax, ~0u);
	/* EBX: brand index (7:0) and CLFLUSH line size (15:8) kept; the
	 * logical-processor count (23:16) and the APIC ID (31:24) zero. */
	CHECK_EQ(r.ebx, 0x0000ffff);
	r = amd(1, 0, &all_ones);
	CHECK_REGS(r, ~0u, 0xffff, ~ecx_hidden, ~edx_hidden);
	/* Kept ones, by name: SSE3 0, SSSE3 9, FMA 12 (shown as a CPU does
	 * before its OS enables AVX: software checks OSXSAVE first), CX16 13,
	 * SSE4.1 19, SSE4.2 20, POPCNT 23, AES 25, RDRAND 30; FPU 0, TSC 4, MSR 5, PAE 6, APIC 9,
	 * MTRR 12, PGE 13, PAT 16, CLFSH 19, FXSR 24, SSE2 26. */
	CHECK_EQ(r.ecx & MASK(0, 9, 12, 13, 19, 20, 23, 25, 30),
	         MASK(0, 9, 12, 13, 19, 20, 23, 25, 30));
	CHECK_EQ(r.edx & MASK(0, 4, 5, 6, 9, 12, 13, 16, 19, 24, 26),
	         MASK(0, 4, 5, 6, 9, 12, 13, 16, 19, 24, 26));
}

TEST(leaf1_of_a_real_cpu)
{
	/* APIC ID 5, 16 logical processors, CLFLUSH 8 (x 8 bytes), brand 0:
	 * EBX becomes 0x00000800. ECX 0x7ffafbff loses 2-8, 11, 14, 15, 17,
	 * 18, 21, 24, 26-29 and gains 31: 0xc2d83203. EDX 0xbfebfbff
	 * loses 7, 14, 18, 21, 22, 28, 29, 31: 0x0f8bbb7f. */
	const struct cpuid_regs host = { 0x000906ea, 0x05100800, 0x7ffafbff, 0xbfebfbff };
	struct cpuid_regs r = intel(1, 0, &host);
	CHECK_REGS(r, 0x000906ea, 0x00000800, 0xc2d83203, 0x0f8bbb7f);
}

TEST(leaf6_is_arat_only)
{
	/* EAX bit 2: the APIC timer always runs (SDM and APM alike). */
	CHECK_REGS(intel(6, 0, &all_ones), BIT(2), 0, 0, 0);
	CHECK_REGS(amd(6, 0, &all_ones), BIT(2), 0, 0, 0);
	CHECK_REGS(intel(6, 0, &zero), BIT(2), 0, 0, 0);
}

TEST(leaf7_subleaf0_keeps_a_short_list)
{
	/* EBX: FSGSBASE 0, BMI1 3, SMEP 7, BMI2 8, ERMS 9, ADX 19, SMAP 20,
	 * CLFLUSHOPT 23, SHA 29. EAX (the highest subleaf), ECX, EDX zero. */
	const uint32_t keep = MASK(0, 3, 7, 8, 9, 19, 20, 23, 29);
	CHECK_REGS(intel(7, 0, &all_ones), 0, keep, 0, 0);
	CHECK_REGS(amd(7, 0, &all_ones), 0, keep, 0, 0);
	/* Not, by name: TSC_ADJUST 1, SGX 2, HLE 4, AVX2 5, INVPCID 10,
	 * RTM 11, MPX 14, AVX512F 16, RDSEED 18, CLWB 24, PT 25. */
	CHECK_EQ(intel(7, 0, &all_ones).ebx & MASK(1, 2, 4, 5, 10, 11, 14, 16, 18, 24, 25), 0);
	/* Only what the CPU has. */
	const struct cpuid_regs host = { 0, BIT(0) | BIT(5) | BIT(7), ~0u, ~0u };
	CHECK_REGS(intel(7, 0, &host), 0, BIT(0) | BIT(7), 0, 0);
}

TEST(leaf7_other_subleaves_are_zero)
{
	for (uint32_t sub = 1; sub < 4; sub++)
		CHECK_ZERO(intel(7, sub, &all_ones));
	CHECK_ZERO(intel(7, ~0u, &all_ones));
}

TEST(withheld_basic_leaves_are_zero)
{
	/* 4 and 0xb (cache and core topology: one CPU), 5 MONITOR/MWAIT,
	 * 8, 9 (DCA), 0xa (PMU), 0xc, 0xd (XSAVE), 0xe, 0xf and 0x10 (RDT),
	 * 0x11, 0x12 (SGX), 0x13, 0x14 (PT), every subleaf. */
	const uint32_t leaves[] = { 3, 4, 5, 8, 9, 0xa, 0xb, 0xc, 0xd, 0xe, 0xf, 0x10,
	                            0x11, 0x12, 0x13, 0x14 };
	for (unsigned i = 0; i < sizeof(leaves) / sizeof(leaves[0]); i++)
		for (uint32_t sub = 0; sub < 3; sub++) {
			CHECK_ZERO(intel(leaves[i], sub, &all_ones));
			if (leaves[i] <= 0xd)
				CHECK_ZERO(amd(leaves[i], sub, &all_ones));
		}
}

TEST(leaf_0x15_gives_the_tsc_frequency_on_intel)
{
	/* EAX/EBX is the TSC / crystal ratio, ECX the crystal's Hz: the TSC
	 * runs at ECX * EBX / EAX. */
	struct cpuid_regs r = intel(0x15, 0, &all_ones);
	CHECK_REGS(r, 1, 1, 2400000000u, 0);
	CHECK_EQ((uint64_t)r.ecx * r.ebx / r.eax, TSC_HZ);
	cpus();
	r = linux_cpuid_view(0x15, 0, &all_ones, &intel0, &intel_ext0, 0xffffffffull, 5);
	CHECK_REGS(r, 1, 1, 0xffffffffu, 0);
	/* Not on AMD, even one that claims the leaf. */
	struct cpuid_regs amd_big = vendor_leaf(0x16, "AuthenticAMD");
	CHECK_ZERO(linux_cpuid_view(0x15, 0, &all_ones, &amd_big, &amd_ext0, TSC_HZ, 5));
	CHECK_ZERO(linux_cpuid_view(0x16, 0, &all_ones, &amd_big, &amd_ext0, TSC_HZ, 5));
}

TEST(leaf_0x16_gives_the_base_and_maximum_mhz_on_intel)
{
	/* EAX base MHz, EBX maximum MHz, ECX bus MHz. */
	CHECK_REGS(intel(0x16, 0, &all_ones), 2400, 2400, 100, 0);
	cpus();
	CHECK_REGS(linux_cpuid_view(0x16, 0, &all_ones, &intel0, &intel_ext0, 2399999999ull, 5),
	           2399, 2399, 100, 0);
}

TEST(a_tsc_above_4_ghz_leaves_0x15_empty_and_0x16_right)
{
	/* ECX of 0x15 cannot hold it: Linux falls back to 0x16. */
	cpus();
	CHECK_ZERO(linux_cpuid_view(0x15, 0, &all_ones, &intel0, &intel_ext0, 0x100000000ull, 5));
	CHECK_ZERO(linux_cpuid_view(0x15, 0, &all_ones, &intel0, &intel_ext0, 5000000000ull, 5));
	CHECK_REGS(linux_cpuid_view(0x16, 0, &all_ones, &intel0, &intel_ext0, 5000000000ull, 5),
	           5000, 5000, 100, 0);
}

TEST(leaf_0x80000001_keeps_a_few_ecx_bits_and_hides_rdtscp_and_machine_check)
{
	/* ECX: LAHF/SAHF 0, ABM 5, SSE4A 6, misaligned SSE 7, 3DNow prefetch
	 * 8 (so not SVM 2, XOP 11, FMA4 16, TOPOEXT 22, ...). EDX: all but
	 * RDTSCP 27 and AMD's copies of MCE 7 and MCA 14 (SYSCALL 11, NX 20,
	 * 1 GiB pages 26, LM 29 kept). */
	struct cpuid_regs r = amd(0x80000001, 0, &all_ones);
	CHECK_REGS(r, ~0u, ~0u, MASK(0, 5, 6, 7, 8), ~MASK(7, 14, 27));
	CHECK_EQ(r.edx & MASK(11, 20, 26, 29), MASK(11, 20, 26, 29));
	r = intel(0x80000001, 0, &all_ones);
	CHECK_EQ(r.ecx, MASK(0, 5, 6, 7, 8));
	CHECK_EQ(r.edx, ~MASK(7, 14, 27));
	r = intel(0x80000001, 0, &zero);
	CHECK_ZERO(r);
}

TEST(leaf_0x80000007_says_the_tsc_is_invariant)
{
	/* EDX bit 8, whatever the CPU says; nothing else (power management). */
	CHECK_REGS(amd(0x80000007, 0, &all_ones), 0, 0, 0, BIT(8));
	CHECK_REGS(intel(0x80000007, 0, &zero), 0, 0, 0, BIT(8));
}

TEST(leaf_0x80000008_gives_address_sizes_only)
{
	/* EAX 7:0 physical and 15:8 linear address bits; not the guest
	 * physical size (23:16), EBX (speculation controls), ECX (cores). */
	CHECK_REGS(amd(0x80000008, 0, &all_ones), 0xffff, 0, 0, 0);
	const struct cpuid_regs host = { 0x00303027, 0x0100d000, 0x0000400f, 0 };
	CHECK_REGS(intel(0x80000008, 0, &host), 0x3027, 0, 0, 0);
}

TEST(the_hypervisor_leaves_are_the_native_ones)
{
	/* 0x40000000: the highest hypervisor leaf, "BulkheadVHPV". */
	const char *sig = "BulkheadVHPV";
	struct cpuid_regs want = vendor_leaf(0x40000001, sig);
	/* vendor_leaf puts bytes 4-7 in EDX and 8-11 in ECX; the signature
	 * runs EBX, ECX, EDX. */
	uint32_t t = want.ecx; want.ecx = want.edx; want.edx = t;
	struct cpuid_regs r = intel(0x40000000, 0, &all_ones);
	CHECK_REGS(r, want.eax, want.ebx, want.ecx, want.edx);
	r = amd(0x40000000, 0, &all_ones);
	CHECK_REGS(r, want.eax, want.ebx, want.ecx, want.edx);
	/* 0x40000001: ABI version 1 and the VM's id. */
	CHECK_REGS(amd(0x40000001, 0, &all_ones), 1, 5, 0, 0);
	CHECK_REGS(intel(0x40000001, 0, &all_ones), 1, 5, 0, 0);
	/* The rest of the range is zero. */
	CHECK_ZERO(intel(0x40000002, 0, &all_ones));
	CHECK_ZERO(amd(0x4fffffff, 0, &all_ones));
	CHECK_ZERO(amd(0x7fffffff, 0, &all_ones));
}
