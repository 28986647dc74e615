/* SPDX-License-Identifier: GPL-2.0-only */
/* Pure decoding of VT-x capability MSRs (SDM Vol. 3D Appendix A). */
#include "arch/x86/vmx/caps.h"

#include "arch/x86/vmx/vmx_defs.h"
#include "arch/x86/x86_defs.h"
#include "lib/format.h"

void vmx_caps_decode(const struct vmx_msrs *m, struct vmx_caps *c)
{
	*c = (struct vmx_caps){ 0 };
	c->vmx = m->cpuid_vmx;
	if (!c->vmx)
		return;
	c->firmware_locked_off = (m->feature_control & FEAT_CTL_LOCKED) &&
	                         !(m->feature_control & FEAT_CTL_VMX_ENABLED_OUTSIDE_SMX);
	c->true_controls = m->basic & VMX_BASIC_TRUE_CTLS;
	c->vmcs_revision = (uint32_t)(m->basic & VMX_BASIC_REVISION_MASK);

	uint64_t proc = c->true_controls ? m->true_procbased : m->procbased;
	uint64_t pin = c->true_controls ? m->true_pinbased : m->pinbased;
	c->secondary_controls = VMX_CTL_ALLOWED1(proc, CPU_BASED_ACTIVATE_SECONDARY_CONTROLS);
	c->preemption_timer = VMX_CTL_ALLOWED1(pin, PIN_BASED_VMX_PREEMPTION_TIMER);
	c->preemption_timer_rate = (uint8_t)(m->misc & VMX_MISC_PREEMPTION_TIMER_RATE_MASK);
	if (!c->secondary_controls)
		return;

	c->ept = VMX_CTL_ALLOWED1(m->procbased2, SECONDARY_EXEC_ENABLE_EPT);
	c->vpid = VMX_CTL_ALLOWED1(m->procbased2, SECONDARY_EXEC_ENABLE_VPID);
	c->unrestricted_guest = VMX_CTL_ALLOWED1(m->procbased2, SECONDARY_EXEC_UNRESTRICTED_GUEST);
	if (c->ept) {
		c->ept_walk4 = m->ept_vpid_cap & VMX_EPT_PAGE_WALK_4_BIT;
		c->ept_wb = m->ept_vpid_cap & VMX_EPTP_WB_BIT;
		c->ept_2m = m->ept_vpid_cap & VMX_EPT_2MB_PAGE_BIT;
		c->ept_1g = m->ept_vpid_cap & VMX_EPT_1GB_PAGE_BIT;
		c->invept = m->ept_vpid_cap & VMX_EPT_INVEPT_BIT;
		c->invept_single = c->invept && (m->ept_vpid_cap & VMX_EPT_EXTENT_CONTEXT_BIT);
		c->invept_global = c->invept && (m->ept_vpid_cap & VMX_EPT_EXTENT_GLOBAL_BIT);
	}
	if (c->vpid)
		c->invvpid = m->ept_vpid_cap & VMX_VPID_INVVPID_BIT;
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
