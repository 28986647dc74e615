/* SPDX-License-Identifier: GPL-2.0-only */
/* Pure decoding of VT-x capability MSRs (SDM Vol. 3D Appendix A). */
#include "arch/x86/vmx/caps.h"

#include "lib/format.h"

#define BIT(n) (1ull << (n))

/* IA32_FEATURE_CONTROL (SDM Vol. 4 Table 2-2). */
#define FC_LOCK              BIT(0)
#define FC_VMX_OUTSIDE_SMX   BIT(2)
/* IA32_VMX_BASIC (A.1). */
#define BASIC_TRUE_CTLS      BIT(55)
/* Allowed-1 settings are the high 32 bits of a control MSR (A.3). */
#define ALLOWED1(msr, bit)   (((msr) >> 32) & BIT(bit))
#define PROC_SECONDARY       31
#define PROC2_EPT            1
#define PROC2_VPID           5
#define PROC2_UNRESTRICTED   7
#define PIN_PREEMPT_TIMER    6
/* IA32_VMX_EPT_VPID_CAP (A.10). */
#define EPT_WALK4            BIT(6)
#define EPT_WB               BIT(14)
#define EPT_2M               BIT(16)
#define EPT_1G               BIT(17)
#define EPT_INVEPT           BIT(20)
#define EPT_INVEPT_SINGLE    BIT(25)
#define EPT_INVEPT_ALL       BIT(26)
#define VPID_INVVPID         BIT(32)

void vmx_caps_decode(const struct vmx_msrs *m, struct vmx_caps *c)
{
	*c = (struct vmx_caps){ 0 };
	c->vmx = m->cpuid_vmx;
	if (!c->vmx)
		return;
	c->firmware_locked_off = (m->feature_control & FC_LOCK) &&
	                         !(m->feature_control & FC_VMX_OUTSIDE_SMX);
	c->true_controls = m->basic & BASIC_TRUE_CTLS;
	c->vmcs_revision = (uint32_t)(m->basic & 0x7fffffff);

	uint64_t proc = c->true_controls ? m->true_procbased : m->procbased;
	uint64_t pin = c->true_controls ? m->true_pinbased : m->pinbased;
	c->secondary_controls = ALLOWED1(proc, PROC_SECONDARY);
	c->preemption_timer = ALLOWED1(pin, PIN_PREEMPT_TIMER);
	c->preemption_timer_rate = (uint8_t)(m->misc & 0x1f);
	if (!c->secondary_controls)
		return;

	c->ept = ALLOWED1(m->procbased2, PROC2_EPT);
	c->vpid = ALLOWED1(m->procbased2, PROC2_VPID);
	c->unrestricted_guest = ALLOWED1(m->procbased2, PROC2_UNRESTRICTED);
	if (c->ept) {
		c->ept_walk4 = m->ept_vpid_cap & EPT_WALK4;
		c->ept_wb = m->ept_vpid_cap & EPT_WB;
		c->ept_2m = m->ept_vpid_cap & EPT_2M;
		c->ept_1g = m->ept_vpid_cap & EPT_1G;
		c->invept = m->ept_vpid_cap & EPT_INVEPT;
		c->invept_single = c->invept && (m->ept_vpid_cap & EPT_INVEPT_SINGLE);
		c->invept_global = c->invept && (m->ept_vpid_cap & EPT_INVEPT_ALL);
	}
	if (c->vpid)
		c->invvpid = m->ept_vpid_cap & VPID_INVVPID;
}

const char *vmx_caps_missing(const struct vmx_caps *c)
{
	if (!c->vmx)
		return "VT-x not available: CPUID.1:ECX.VMX[bit 5] is 0 "
		       "(this CPU or emulator has no VMX)";
	if (c->firmware_locked_off)
		return "VT-x not available: disabled by firmware "
		       "(IA32_FEATURE_CONTROL locked with VMX off; enable it in the firmware setup)";
	if (!c->secondary_controls)
		return "EPT not available: no secondary processor-based controls";
	if (!c->ept)
		return "EPT not available: secondary control 'enable EPT' cannot be set";
	if (!c->ept_walk4)
		return "EPT not available: no 4-level EPT page walk";
	if (!c->ept_wb)
		return "EPT not available: EPT tables cannot be write-back";
	if (!c->invept_single && !c->invept_global)
		return "EPT not available: no INVEPT type (single or all contexts)";
	if (!c->preemption_timer)
		return "VT-x not usable: no VMX-preemption timer for scheduling";
	return NULL;
}

static const char *yes_no(bool b) { return b ? "yes" : "no"; }

int vmx_caps_format(const struct vmx_msrs *m, const struct vmx_caps *c,
                    char *buf, size_t size)
{
	const char *invept = c->invept_single && c->invept_global ? "single+global" :
	                     c->invept_single ? "single" :
	                     c->invept_global ? "global" : "no";
	return bh_snprintf(buf, size,
		"cpu: %s vmx=%s%s ept=%s ept-walk4=%s ept-wb=%s ept-2m=%s ept-1g=%s "
		"invept=%s vpid=%s invvpid=%s unrestricted=%s preempt-timer=%s "
		"timer-rate=%u vmcs-rev=0x%x",
		m->vendor[0] ? m->vendor : "unknown-vendor", yes_no(c->vmx),
		c->firmware_locked_off ? "(locked-off)" : "",
		yes_no(c->ept), yes_no(c->ept_walk4), yes_no(c->ept_wb), yes_no(c->ept_2m),
		yes_no(c->ept_1g), invept, yes_no(c->vpid), yes_no(c->invvpid),
		yes_no(c->unrestricted_guest), yes_no(c->preemption_timer),
		(unsigned)c->preemption_timer_rate, (unsigned)c->vmcs_revision);
}
