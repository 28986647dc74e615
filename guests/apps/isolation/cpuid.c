/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * CPUID: every execution exits and the kernel answers with its filtered
 * view (docs/guest-abi.md, "CPUID"), the same on VT-x and AMD-V: no
 * hardware virtualization of either kind, no MONITOR or XSAVE state, the
 * hypervisor bit set, and Bulkhead's own leaves at 0x40000000. The probe
 * cpuid-view checks what a guest may rely on and prints one line per
 * check.
 */
#include "isolation.h"

#define LEAF1_ECX_MONITOR     (1u << 3)
#define LEAF1_ECX_VMX         (1u << 5)
#define LEAF1_ECX_XSAVE       (1u << 26)
#define LEAF1_ECX_AVX         (1u << 28)
#define LEAF1_ECX_HYPERVISOR  (1u << 31)
#define EXT_ECX_SVM           (1u << 2)

struct regs { uint32_t eax, ebx, ecx, edx; };

static struct regs cpuid(uint32_t leaf)
{
	struct regs r;
	asm volatile("cpuid" : "=a"(r.eax), "=b"(r.ebx), "=c"(r.ecx), "=d"(r.edx)
	             : "a"(leaf), "c"(0));
	return r;
}

static int view(void)
{
	struct bh_tally t = { 0 };

	bh_probe_say("cpuid of the feature, SVM and Bulkhead leaves");
	struct regs r = cpuid(1);
	bh_check(&t, (r.ecx & LEAF1_ECX_HYPERVISOR) &&
	             !(r.ecx & (LEAF1_ECX_VMX | LEAF1_ECX_MONITOR | LEAF1_ECX_XSAVE |
	                        LEAF1_ECX_AVX)),
	         "leaf 1 ECX 0x%x: hypervisor set; VMX, MONITOR, XSAVE, AVX clear", r.ecx);
	uint32_t max_ext = cpuid(0x80000000).eax;
	r = max_ext >= 0x80000001 ? cpuid(0x80000001) : (struct regs){ 0 };
	bh_check(&t, !(r.ecx & EXT_ECX_SVM), "leaf 0x80000001 ECX 0x%x: SVM clear", r.ecx);
	r = max_ext >= 0x8000000a ? cpuid(0x8000000a) : (struct regs){ 0 };
	bh_check(&t, !(r.eax | r.ebx | r.ecx | r.edx), "leaf 0x8000000a (SVM) reads zero");
	r = cpuid(0x40000000);
	char sig[13];
	memcpy(sig, &r.ebx, 4);
	memcpy(sig + 4, &r.ecx, 4);
	memcpy(sig + 8, &r.edx, 4);
	sig[12] = 0;
	bh_check(&t, r.eax == 0x40000001 && strcmp(sig, "BulkheadVHPV") == 0,
	         "leaf 0x40000000: '%s', highest leaf 0x%x", sig, r.eax);
	r = cpuid(0x40000001);
	bh_check(&t, r.eax == 1 && r.ebx == (uint32_t)bh_self(NULL, 0),
	         "leaf 0x40000001: ABI version %u, VM id %u", r.eax, r.ebx);
	return bh_tally_summary(&t);
}

int cpuid_probe(void)
{
	if (strcmp(probe_name(), "cpuid-view") == 0)
		return view();
	return probe_unknown();
}
