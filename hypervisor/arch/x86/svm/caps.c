/* SPDX-License-Identifier: GPL-2.0-only */
/* AMD-V capability decoding (contracts in caps.h). Pure. */
#include "arch/x86/svm/caps.h"

#include "arch/x86/cpuid_defs.h"
#include "lib/format.h"

void svm_caps_decode(const struct svm_cpuid *m, struct svm_caps *c)
{
	*c = (struct svm_caps){ 0 };
	c->svm = m->cpuid_svm;
	if (!c->svm)
		return;
	c->disabled = m->vm_cr & SVM_VM_CR_SVMDIS;
	c->revision = (uint8_t)(m->svm_eax & 0xff);
	c->asids = m->svm_ebx;
	c->npt = m->svm_edx & CPUID_SVM_EDX_NPT;
	c->nrips = m->svm_edx & CPUID_SVM_EDX_NRIPS;
	c->vmcb_clean = m->svm_edx & CPUID_SVM_EDX_VMCB_CLEAN;
	c->flush_by_asid = m->svm_edx & CPUID_SVM_EDX_FLUSH_BY_ASID;
	c->decode_assists = m->svm_edx & CPUID_SVM_EDX_DECODE_ASSISTS;
	c->tsc_scale = m->svm_edx & CPUID_SVM_EDX_TSC_RATE;
	c->pause_filter = m->svm_edx & CPUID_SVM_EDX_PAUSE_FILTER;
	c->vgif = m->svm_edx & CPUID_SVM_EDX_VGIF;
}

const char *svm_caps_missing(const struct svm_caps *c)
{
	if (!c->svm)
		return "AMD-V not available: CPUID.80000001h:ECX.SVM[bit 2] is 0 "
		       "(this CPU or emulator has no SVM)";
	if (c->disabled)
		return "AMD-V not available: firmware disabled it (VM_CR.SVMDIS is 1)";
	if (!c->npt)
		return "AMD-V not available: no nested paging (CPUID.8000000Ah:EDX.NP is 0)";
	if (c->asids < 2)
		return "AMD-V not available: no ASID for guests (CPUID.8000000Ah:EBX < 2)";
	return NULL;
}

static const char *yes_no(bool b) { return b ? "yes" : "no"; }

int svm_caps_format(const struct svm_cpuid *m, const struct svm_caps *c,
                    char *buf, size_t size)
{
	return bh_snprintf(buf, size,
	                   "cpu: %s svm=%s svm-disabled=%s npt=%s nrips=%s vmcb-clean=%s "
	                   "flushbyasid=%s decodeassists=%s tsc-scale=%s pausefilter=%s "
	                   "vgif=%s asids=%u svm-rev=%u",
	                   m->vendor, yes_no(c->svm), yes_no(c->disabled), yes_no(c->npt), yes_no(c->nrips),
	                   yes_no(c->vmcb_clean), yes_no(c->flush_by_asid), yes_no(c->decode_assists),
	                   yes_no(c->tsc_scale), yes_no(c->pause_filter), yes_no(c->vgif),
	                   (unsigned)c->asids, (unsigned)c->revision);
}
