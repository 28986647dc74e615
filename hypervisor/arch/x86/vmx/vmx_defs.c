/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Names of VT-x numbers for the log. Tables indexed by the number, so a
 * missing entry is a NULL that the lookup turns into "unknown" rather than
 * a wrong name.
 */
#include <stddef.h>

#include "arch/x86/vmx/vmx_defs.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#define ERROR_TEXT(name, n, text) [n] = text,
static const char *const insn_errors[] = { VMX_INSTRUCTION_ERRORS(ERROR_TEXT) };
#undef ERROR_TEXT

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

#define REASON_NAME(name, n) [n] = #name,
static const char *const exit_reasons[EXIT_REASON_COUNT] = { VMX_EXIT_REASONS(REASON_NAME) };
#undef REASON_NAME

/* Contract in vmx_defs.h. */
const char *vmx_exit_reason_name(uint32_t exit_reason)
{
	uint32_t basic = exit_reason & VMX_EXIT_REASON_BASIC_MASK;
	if (basic < ARRAY_SIZE(exit_reasons) && exit_reasons[basic])
		return exit_reasons[basic];
	return "UNKNOWN";
}
