/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What a guest sees when it executes CPUID (the table in docs/guest-abi.md).
 * Pure: the exit handler executes CPUID on the host and passes the result
 * in, so host tests can check the filter bit by bit.
 */
#ifndef ARCH_X86_CPUID_FILTER_H
#define ARCH_X86_CPUID_FILTER_H

#include <stdint.h>

#include "arch/x86/cpuid_defs.h"

/* The Bulkhead leaves (docs/guest-abi.md), at the start of the range
 * hypervisors use (cpuid_defs.h). */
#define CPUID_BULKHEAD_BASE     CPUID_LEAF_HYPERVISOR_BASE
#define CPUID_BULKHEAD_INFO     (CPUID_LEAF_HYPERVISOR_BASE + 1)
/* Leaf CPUID_BULKHEAD_BASE: EBX, ECX, EDX spell "BulkheadVHPV". */
#define CPUID_BULKHEAD_SIG_EBX  0x6b6c7542u     /* "Bulk" */
#define CPUID_BULKHEAD_SIG_ECX  0x64616568u     /* "head" */
#define CPUID_BULKHEAD_SIG_EDX  0x56504856u     /* "VHPV" */
/* Leaf CPUID_BULKHEAD_INFO, EAX: the hypercall ABI version (docs/hypercalls.md). */
#define CPUID_BULKHEAD_ABI_VERSION 1u

/*
 * The registers a guest's CPUID returns for EAX = leaf, ECX = subleaf.
 * host is what this CPU returned for the same leaf and subleaf; vm_id is
 * the VM's id, which leaf CPUID_BULKHEAD_INFO reports in EBX.
 *
 *   leaf 1            host's, ECX without MONITOR, VMX, SMX, XSAVE,
 *                     OSXSAVE and AVX (the guest has no XSAVE state), with
 *                     the hypervisor bit set
 *   leaf 7 subleaf 0  host's, EBX without SGX, AVX2, MPX and AVX-512F,
 *                     ECX without PKU and OSPKE
 *   5, 6, 0xa, 0xd    zero: no MONITOR/MWAIT, power, PMU or XSAVE leaves
 *   0x80000001        host's, ECX without SVM
 *   0x8000000a        zero: no SVM leaf
 *   0x40000000        EAX = CPUID_BULKHEAD_INFO (the highest such leaf),
 *                     EBX:ECX:EDX the signature
 *   0x40000001        EAX = ABI version, EBX = vm_id, ECX = EDX = 0
 *   other leaves from 0x40000000 below 0x80000000: zero
 *   anything else     host's, unchanged
 */
struct cpuid_regs cpuid_guest_view(uint32_t leaf, uint32_t subleaf,
                                   const struct cpuid_regs *host, uint32_t vm_id);

#endif
