/* SPDX-License-Identifier: GPL-2.0-only */
/* The out-of-line part of VMWRITE (vmcs.h). */
#include "arch/x86/vmx/vmcs.h"

#include "arch/x86/vmx/vmx_defs.h"
#include "arch/x86/vmx/vmx_insn.h"
#include "kernel/log.h"

void vmcs_write_failed(enum vmcs_field field)
{
	kprintf("vmx: VMWRITE of field 0x%x failed: %s\n", (unsigned)field,
	        vmx_instruction_error_name(vmcs_read32(VM_INSTRUCTION_ERROR)));
}
