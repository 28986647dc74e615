/* SPDX-License-Identifier: GPL-2.0-only */
/* AMD-V capability decoding, against values measured on QEMU 7.2's TCG
 * with -cpu max (docs/platforms.md). */
#include "check.h"

#include <string.h>

#include "arch/x86/svm/caps.h"

/* QEMU 7.2 TCG -cpu max: SVM revision 1, 16 ASIDs, NPT and vGIF only. */
static struct svm_cpuid qemu_tcg(void)
{
	struct svm_cpuid m = { .vendor = "AuthenticAMD", .cpuid_svm = true };
	m.svm_eax = 1;
	m.svm_ebx = 16;
	m.svm_edx = (1u << 0) | (1u << 16);
	return m;
}

TEST(qemu_tcg_can_run_vms_without_the_optional_features)
{
	struct svm_cpuid m = qemu_tcg();
	struct svm_caps c;
	svm_caps_decode(&m, &c);
	CHECK(c.svm && c.npt && c.vgif);
	CHECK(!c.nrips && !c.vmcb_clean && !c.flush_by_asid && !c.decode_assists);
	CHECK(!c.tsc_scale && !c.pause_filter && !c.disabled);
	CHECK_EQ(c.asids, 16);
	CHECK_EQ(c.revision, 1);
	CHECK(svm_caps_missing(&c) == NULL);
}

TEST(format_names_every_feature)
{
	struct svm_cpuid m = qemu_tcg();
	struct svm_caps c;
	char line[512];
	svm_caps_decode(&m, &c);
	svm_caps_format(&m, &c, line, sizeof(line));
	CHECK_STR_EQ(line, "cpu: AuthenticAMD svm=yes svm-disabled=no npt=yes nrips=no "
	                   "vmcb-clean=no flushbyasid=no decodeassists=no tsc-scale=no "
	                   "pausefilter=no vgif=yes asids=16 svm-rev=1");
}

TEST(all_features_decode)
{
	struct svm_cpuid m = qemu_tcg();
	struct svm_caps c;
	m.svm_edx = (1u << 0) | (1u << 3) | (1u << 4) | (1u << 5) | (1u << 6) | (1u << 7) |
	            (1u << 10) | (1u << 16);
	svm_caps_decode(&m, &c);
	CHECK(c.npt && c.nrips && c.tsc_scale && c.vmcb_clean && c.flush_by_asid);
	CHECK(c.decode_assists && c.pause_filter && c.vgif);
}

TEST(what_is_missing_is_named)
{
	struct svm_cpuid m = { .vendor = "GenuineIntel" };
	struct svm_caps c;
	svm_caps_decode(&m, &c);
	CHECK(strstr(svm_caps_missing(&c), "CPUID.80000001h:ECX.SVM") != NULL);

	m = qemu_tcg();
	m.vm_cr = 1u << 4;
	svm_caps_decode(&m, &c);
	CHECK(strstr(svm_caps_missing(&c), "VM_CR.SVMDIS") != NULL);

	m = qemu_tcg();
	m.svm_edx = 0;
	svm_caps_decode(&m, &c);
	CHECK(strstr(svm_caps_missing(&c), "nested paging") != NULL);

	m = qemu_tcg();
	m.svm_ebx = 1;
	svm_caps_decode(&m, &c);
	CHECK(strstr(svm_caps_missing(&c), "ASID") != NULL);
}
