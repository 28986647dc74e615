/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Names of VT-x numbers for the log. Tables indexed by the number, so a
 * missing entry is a NULL that the lookup turns into "unknown" rather than
 * a wrong name.
 */
#include <stddef.h>

#include "arch/x86/vmx/vmx_defs.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* SDM Vol. 3C §31.4, worded as there; 14, 21 and 27 are reserved. */
static const char *const insn_errors[] = {
	[VMXERR_VMCALL_IN_VMX_ROOT_OPERATION] =
		"VMCALL executed in VMX root operation",
	[VMXERR_VMCLEAR_INVALID_ADDRESS] =
		"VMCLEAR with invalid physical address",
	[VMXERR_VMCLEAR_VMXON_POINTER] =
		"VMCLEAR with VMXON pointer",
	[VMXERR_VMLAUNCH_NONCLEAR_VMCS] =
		"VMLAUNCH with non-clear VMCS",
	[VMXERR_VMRESUME_NONLAUNCHED_VMCS] =
		"VMRESUME with non-launched VMCS",
	[VMXERR_VMRESUME_AFTER_VMXOFF] =
		"VMRESUME after VMXOFF",
	[VMXERR_ENTRY_INVALID_CONTROL_FIELD] =
		"VM entry with invalid control field(s)",
	[VMXERR_ENTRY_INVALID_HOST_STATE_FIELD] =
		"VM entry with invalid host-state field(s)",
	[VMXERR_VMPTRLD_INVALID_ADDRESS] =
		"VMPTRLD with invalid physical address",
	[VMXERR_VMPTRLD_VMXON_POINTER] =
		"VMPTRLD with VMXON pointer",
	[VMXERR_VMPTRLD_INCORRECT_VMCS_REVISION_ID] =
		"VMPTRLD with incorrect VMCS revision identifier",
	[VMXERR_UNSUPPORTED_VMCS_COMPONENT] =
		"VMREAD/VMWRITE from/to unsupported VMCS component",
	[VMXERR_VMWRITE_READ_ONLY_VMCS_COMPONENT] =
		"VMWRITE to read-only VMCS component",
	[VMXERR_VMXON_IN_VMX_ROOT_OPERATION] =
		"VMXON executed in VMX root operation",
	[VMXERR_ENTRY_INVALID_EXECUTIVE_VMCS_POINTER] =
		"VM entry with invalid executive-VMCS pointer",
	[VMXERR_ENTRY_NONLAUNCHED_EXECUTIVE_VMCS] =
		"VM entry with non-launched executive VMCS",
	[VMXERR_ENTRY_EXECUTIVE_VMCS_POINTER_NOT_VMXON_POINTER] =
		"VM entry with executive-VMCS pointer not VMXON pointer",
	[VMXERR_VMCALL_NONCLEAR_VMCS] =
		"VMCALL with non-clear VMCS",
	[VMXERR_VMCALL_INVALID_VM_EXIT_CONTROL_FIELDS] =
		"VMCALL with invalid VM-exit control fields",
	[VMXERR_VMCALL_INCORRECT_MSEG_REVISION_ID] =
		"VMCALL with incorrect MSEG revision identifier",
	[VMXERR_VMXOFF_UNDER_DUAL_MONITOR_TREATMENT_OF_SMIS_AND_SMM] =
		"VMXOFF under dual-monitor treatment of SMIs and SMM",
	[VMXERR_VMCALL_INVALID_SMM_MONITOR_FEATURES] =
		"VMCALL with invalid SMM-monitor features",
	[VMXERR_ENTRY_INVALID_VM_EXECUTION_CONTROL_FIELDS_IN_EXECUTIVE_VMCS] =
		"VM entry with invalid VM-execution control fields in executive VMCS",
	[VMXERR_ENTRY_EVENTS_BLOCKED_BY_MOV_SS] =
		"VM entry with events blocked by MOV SS",
	[VMXERR_INVALID_OPERAND_TO_INVEPT_INVVPID] =
		"invalid operand to INVEPT/INVVPID",
};

/* Contract in vmx_defs.h. */
const char *vmx_instruction_error_name(uint32_t err)
{
	if (err == 0)
		return "no VM-instruction error recorded";
	if (err < ARRAY_SIZE(insn_errors) && insn_errors[err])
		return insn_errors[err];
	if (err < ARRAY_SIZE(insn_errors))
		return "reserved VM-instruction error number";
	return "unknown VM-instruction error number";
}

#define R(name) [EXIT_REASON_##name] = #name

/* SDM Vol. 3D Appendix C; the names are the macro names without the prefix. */
static const char *const exit_reasons[EXIT_REASON_COUNT] = {
	R(EXCEPTION_NMI), R(EXTERNAL_INTERRUPT), R(TRIPLE_FAULT),
	R(INIT_SIGNAL), R(SIPI_SIGNAL), R(IO_SMI), R(OTHER_SMI),
	R(INTERRUPT_WINDOW), R(NMI_WINDOW), R(TASK_SWITCH), R(CPUID),
	R(GETSEC), R(HLT), R(INVD), R(INVLPG), R(RDPMC), R(RDTSC), R(RSM),
	R(VMCALL), R(VMCLEAR), R(VMLAUNCH), R(VMPTRLD), R(VMPTRST),
	R(VMREAD), R(VMRESUME), R(VMWRITE), R(VMOFF), R(VMON),
	R(CR_ACCESS), R(DR_ACCESS), R(IO_INSTRUCTION), R(MSR_READ),
	R(MSR_WRITE), R(INVALID_STATE), R(MSR_LOAD_FAIL),
	R(MWAIT_INSTRUCTION), R(MONITOR_TRAP_FLAG), R(MONITOR_INSTRUCTION),
	R(PAUSE_INSTRUCTION), R(MCE_DURING_VMENTRY), R(TPR_BELOW_THRESHOLD),
	R(APIC_ACCESS), R(EOI_INDUCED), R(GDTR_IDTR), R(LDTR_TR),
	R(EPT_VIOLATION), R(EPT_MISCONFIG), R(INVEPT), R(RDTSCP),
	R(PREEMPTION_TIMER), R(INVVPID), R(WBINVD), R(XSETBV),
	R(APIC_WRITE), R(RDRAND), R(INVPCID), R(VMFUNC), R(ENCLS),
	R(RDSEED), R(PML_FULL), R(XSAVES), R(XRSTORS), R(PCONFIG), R(SPP),
	R(UMWAIT), R(TPAUSE), R(LOADIWKEY), R(ENCLV), R(ENQCMD_PASID_FAIL),
	R(ENQCMDS_PASID_FAIL), R(BUS_LOCK), R(NOTIFY), R(SEAMCALL),
	R(TDCALL), R(RDMSRLIST), R(WRMSRLIST),
};

#undef R

/* Contract in vmx_defs.h. */
const char *vmx_exit_reason_name(uint32_t exit_reason)
{
	uint32_t basic = exit_reason & VMX_EXIT_REASON_BASIC_MASK;
	if (basic < ARRAY_SIZE(exit_reasons) && exit_reasons[basic])
		return exit_reasons[basic];
	return "UNKNOWN";
}
