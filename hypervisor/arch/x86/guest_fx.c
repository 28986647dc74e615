/* SPDX-License-Identifier: GPL-2.0-only */
/* A new guest's x87/SSE state (contract in guest_fx.h). */
#include "arch/x86/guest_fx.h"

#include <bulkhead/guest_abi.h>

#include "arch/x86/x86_defs.h"
#include "lib/string.h"

void guest_fx_reset(uint8_t fx[512])
{
	const uint16_t fcw = FCW_DEFAULT;
	const uint32_t mxcsr = BH_GUEST_ENTRY_MXCSR;
	memset(fx, 0, 512);
	memcpy(fx + FXSAVE_FCW_OFFSET, &fcw, sizeof(fcw));
	memcpy(fx + FXSAVE_MXCSR_OFFSET, &mxcsr, sizeof(mxcsr));
}
