/* SPDX-License-Identifier: GPL-2.0-only */
/* VMREAD and VMWRITE of the current VMCS (contract in vmcs.h). */
#include "arch/x86/vmx/vmcs.h"

#include "arch/x86/vmx/vmx_defs.h"
#include "arch/x86/vmx/vmx_insn.h"
#include "kernel/log.h"

uint64_t __vmcs_read(enum vmcs_field field)
{
	uint64_t v = 0;
	vmx_vmread(field, &v);
	return v;
}

void __vmcs_write(enum vmcs_field field, uint64_t value)
{
	if (vmx_vmwrite(field, value) != 0)
		kprintf("vmx: VMWRITE of field 0x%x failed: %s\n", (unsigned)field,
		        vmx_instruction_error_name(vmcs_read32(VM_INSTRUCTION_ERROR)));
}
