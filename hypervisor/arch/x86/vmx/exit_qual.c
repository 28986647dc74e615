/* SPDX-License-Identifier: GPL-2.0-only */
/* Pure exit-qualification decoding (contract in exit_qual.h). */
#include "arch/x86/vmx/exit_qual.h"

#include "arch/x86/vmx/vmx_defs.h"
#include "arch/x86/x86_defs.h"

struct cr_access vmx_decode_cr_access(uint64_t q)
{
	return (struct cr_access){
		.cr = (unsigned)(q & CONTROL_REG_ACCESS_NUM),
		.type = (enum cr_access_type)((q & CONTROL_REG_ACCESS_TYPE) >>
		                              CONTROL_REG_ACCESS_TYPE_SHIFT),
		.gpr = (unsigned)((q & CONTROL_REG_ACCESS_REG) >> CONTROL_REG_ACCESS_REG_SHIFT),
		.lmsw_memory = q & LMSW_OPERAND_MEMORY,
		.lmsw_source = (uint16_t)((q & LMSW_SOURCE_DATA) >> LMSW_SOURCE_DATA_SHIFT),
	};
}

uint64_t vmx_cr0_after(const struct cr_access *a, uint64_t cr0)
{
	switch (a->type) {
	case CR_ACCESS_CLTS:
		return cr0 & ~CR0_TS;
	case CR_ACCESS_LMSW:
		return (cr0 & ~CR0_LMSW_BITS) | (a->lmsw_source & CR0_LMSW_BITS) |
		       (cr0 & CR0_PE);
	default:
		return cr0;
	}
}

struct io_access vmx_decode_io(uint64_t q)
{
	return (struct io_access){
		.port = (uint16_t)(q >> IO_QUAL_PORT_SHIFT),
		.size = (unsigned)(q & IO_QUAL_SIZE_MASK) + 1,
		.in = q & IO_QUAL_IN,
		.string = q & IO_QUAL_STRING,
		.rep = q & IO_QUAL_REP,
		.immediate = q & IO_QUAL_IMMEDIATE,
	};
}
