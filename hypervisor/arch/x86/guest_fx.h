/* SPDX-License-Identifier: GPL-2.0-only */
/* A guest's x87/SSE state as FXSAVE stores it (private to arch/x86). */
#ifndef ARCH_X86_GUEST_FX_H
#define ARCH_X86_GUEST_FX_H

#include <stdint.h>

/*
 * Fills the 512-byte FXSAVE image fx with a new VM's clean state
 * (docs/guest-abi.md): as after FNINIT, MXCSR at its reset value, every
 * data register zero. Both back ends start their vCPUs from it.
 */
void guest_fx_reset(uint8_t fx[512]);

#endif
