/* SPDX-License-Identifier: GPL-2.0-only */
/* Fitting VMX controls and CR values to the CPU (contracts in controls.h). */
#include <bulkhead/errno.h>

#include "arch/x86/vmx/controls.h"

int vmx_adjust_controls(uint32_t wanted, uint32_t optional, uint64_t capability_msr,
                        uint32_t *out, uint32_t *missing)
{
	uint32_t must1 = (uint32_t)capability_msr;           /* allowed-0 settings */
	uint32_t may1 = (uint32_t)(capability_msr >> 32);    /* allowed-1 settings */
	uint32_t bad;
	int err = 0;

	if ((bad = must1 & ~may1) != 0)
		err = -BH_EIO;
	else if ((bad = wanted & ~may1) != 0)
		err = -BH_EINVAL;
	if (missing)
		*missing = bad;
	if (err)
		return err;
	*out = (wanted | (optional & may1) | must1) & may1;
	return 0;
}

uint64_t vmx_fixed_bits(uint64_t value, uint64_t fixed0, uint64_t fixed1)
{
	return (value | fixed0) & fixed1;
}
