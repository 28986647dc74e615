/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * MSRs: every RDMSR and WRMSR exits (the MSR bitmap is all ones). A native
 * VM may read the TSC, its EFER and its PAT; the kernel refuses anything
 * else with #GP, as a CPU without the MSR would, and logs it:
 *
 *     vm NAME: WRMSR of MSR 0xc0000080 refused: #GP injected, rip 0x...
 *
 * The VM has no IDT, so the #GP becomes a triple fault and the VM stops:
 *
 *     vm NAME: stopped: triple fault (an exception it could not handle) at rip 0x...
 *
 * msr-allowed-read checks the reads that are allowed return sane values.
 */
#include "isolation.h"

#define MSR_IA32_TSC               0x10
#define MSR_IA32_APIC_BASE         0x1b
#define MSR_IA32_FEATURE_CONTROL   0x3a
#define MSR_IA32_SYSENTER_CS       0x174
#define MSR_IA32_PAT               0x277
#define MSR_IA32_VMX_BASIC         0x480
#define MSR_IA32_EFER              0xc0000080
#define MSR_LSTAR                  0xc0000082
#define MSR_NONEXISTENT            0x12345678

#define EFER_LME (1ull << 8)
#define EFER_LMA (1ull << 10)
#define EFER_NXE (1ull << 11)
#define PAT_POWER_ON 0x0007040600070406ull

static const struct {
	const char *name;
	uint32_t msr;
	bool write;
	uint64_t value;   /* what WRMSR writes */
} probes[] = {
	{ "msr-efer-write",      MSR_IA32_EFER,            true,  EFER_LME | EFER_LMA },
	{ "msr-apicbase-read",   MSR_IA32_APIC_BASE,       false, 0 },
	{ "msr-apicbase-write",  MSR_IA32_APIC_BASE,       true,  0xfee00900 },
	{ "msr-featctl-read",    MSR_IA32_FEATURE_CONTROL, false, 0 },
	{ "msr-featctl-write",   MSR_IA32_FEATURE_CONTROL, true,  0x5 },
	{ "msr-vmxbasic-read",   MSR_IA32_VMX_BASIC,       false, 0 },
	{ "msr-lstar-read",      MSR_LSTAR,                false, 0 },
	{ "msr-lstar-write",     MSR_LSTAR,                true,  0x100000 },
	{ "msr-sysentercs-read", MSR_IA32_SYSENTER_CS,     false, 0 },
	{ "msr-sysentercs-write", MSR_IA32_SYSENTER_CS,    true,  0x8 },
	{ "msr-tsc-write",       MSR_IA32_TSC,             true,  0 },
	{ "msr-pat-write",       MSR_IA32_PAT,             true,  PAT_POWER_ON },
	{ "msr-bogus-read",      MSR_NONEXISTENT,          false, 0 },
};

static uint64_t rdmsr(uint32_t msr)
{
	uint32_t lo, hi;

	asm volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return (uint64_t)hi << 32 | lo;
}

static void wrmsr(uint32_t msr, uint64_t v)
{
	asm volatile("wrmsr" : : "c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32))
	             : "memory");
}

static uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	asm volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

/* The reads the kernel allows (docs/guest-abi.md does not promise them,
 * but the kernel's MSR handler grants them). */
static int allowed_reads(void)
{
	struct bh_tally t = { 0 };

	bh_probe_say("rdmsr of the TSC, EFER and PAT, which are allowed");
	uint64_t efer = rdmsr(MSR_IA32_EFER);
	bh_check(&t, (efer & (EFER_LME | EFER_LMA | EFER_NXE)) == (EFER_LME | EFER_LMA | EFER_NXE),
	         "EFER reads 0x%llx: LME, LMA and NXE set", (unsigned long long)efer);
	uint64_t pat = rdmsr(MSR_IA32_PAT);
	bh_check(&t, pat == PAT_POWER_ON, "PAT reads 0x%llx, the power-on value",
	         (unsigned long long)pat);

	uint64_t t0 = rdtsc();
	uint64_t m1 = rdmsr(MSR_IA32_TSC);
	uint64_t t1 = rdtsc();
	uint64_t m2 = rdmsr(MSR_IA32_TSC);
	bh_check(&t, m1 < m2, "the TSC MSR increases: 0x%llx, then 0x%llx",
	         (unsigned long long)m1, (unsigned long long)m2);
	/* The guest's TSC has no offset: RDMSR and RDTSC read one clock. */
	bh_check(&t, t0 <= m1 && m1 <= t1 && t1 <= m2,
	         "RDTSC and RDMSR(TSC) read one clock: 0x%llx <= 0x%llx <= 0x%llx <= 0x%llx",
	         (unsigned long long)t0, (unsigned long long)m1, (unsigned long long)t1,
	         (unsigned long long)m2);
	return bh_tally_summary(&t);
}

int msr_probe(void)
{
	const char *name = probe_name();

	if (strcmp(name, "msr-allowed-read") == 0)
		return allowed_reads();
	for (size_t i = 0; i < sizeof(probes) / sizeof(probes[0]); i++) {
		if (strcmp(probes[i].name, name) != 0)
			continue;
		uint32_t msr = probes[i].msr;
		if (probes[i].write) {
			bh_probe_say("wrmsr 0x%x, 0x%llx", msr,
			             (unsigned long long)probes[i].value);
			wrmsr(msr, probes[i].value);
			return bh_probe_not_contained("wrmsr 0x%x went through", msr);
		}
		bh_probe_say("rdmsr 0x%x", msr);
		uint64_t v = rdmsr(msr);
		return bh_probe_not_contained("rdmsr 0x%x returned 0x%llx", msr,
		                              (unsigned long long)v);
	}
	return probe_unknown();
}
