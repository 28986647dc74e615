/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Fitting wanted VMX settings to what this CPU allows (SDM Vol. 3D
 * Appendix A). Pure: the capability MSRs are read elsewhere (caps_read.c)
 * and passed in, so host tests can use values measured on Bochs.
 */
#ifndef ARCH_X86_VMX_CONTROLS_H
#define ARCH_X86_VMX_CONTROLS_H

#include <stdint.h>

/*
 * Computes a VM-execution, VM-exit or VM-entry control value (SDM Vol. 3D
 * A.3-A.5). capability_msr is the control's capability MSR: the IA32_VMX_
 * TRUE_* one when IA32_VMX_BASIC[55] is 1, else the plain one (A.2); for
 * secondary controls IA32_VMX_PROCBASED_CTLS2. Its low 32 bits (allowed-0
 * settings) are the bits that must be 1, its high 32 bits (allowed-1
 * settings) the bits that may be 1.
 *
 * The result is wanted | (optional & allowed-1) | must-be-1: every wanted
 * bit is required, optional bits are taken if the CPU has them (the caller
 * learns which from *out), and the must-be-1 bits the caller did not name
 * are added so VM entry does not fail on them.
 *
 * Returns 0 and stores the value in *out. Returns -BH_EINVAL, with the
 * wanted bits the CPU cannot set in *missing, if any wanted bit is not
 * allowed-1; returns -BH_EIO, with the contradicting bits in *missing, if
 * the MSR demands a bit be 1 that it does not allow to be 1 (a broken CPU
 * model or emulator). On failure *out is not written. missing may be NULL;
 * on success *missing is 0.
 */
int vmx_adjust_controls(uint32_t wanted, uint32_t optional, uint64_t capability_msr,
                        uint32_t *out, uint32_t *missing);

/*
 * CR0 and CR4 in VMX operation (SDM Vol. 3D A.7, A.8): a bit set in FIXED0
 * must be 1, a bit clear in FIXED1 must be 0; this holds for the CR values
 * at VMXON and for the guest and host values at VM entry (Vol. 3C §27.3.1.1).
 * Returns value with the must-be-1 bits set and the must-be-0 bits cleared.
 * For a guest with "unrestricted guest" set, clear CR0.PE and CR0.PG from
 * fixed0 first: that control lets them be 0.
 */
uint64_t vmx_fixed_bits(uint64_t value, uint64_t fixed0, uint64_t fixed1);

#endif
