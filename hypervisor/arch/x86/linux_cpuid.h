/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The CPU a Linux guest sees through CPUID (docs/monitor.md, "The
 * platform"): the native view (cpuid_filter.h) narrowed to one vCPU with
 * what the kernel and its monitor implement. Hidden: everything whose
 * state the kernel does not switch or whose MSRs it does not emulate
 * (XSAVE and AVX, PMU, machine check, debug store, TSC deadline, x2APIC,
 * PCID and INVPCID, RDTSCP and RDPID, speculation-control MSRs), thermal
 * and power management, and multi-core topology. Shown: the hypervisor
 * bit, ARAT, an invariant TSC, and, on Intel, the TSC's frequency in
 * leaves 0x15 and 0x16, so that Linux needs no PIT to calibrate it.
 * Pure: host tests check it leaf by leaf.
 */
#ifndef ARCH_X86_LINUX_CPUID_H
#define ARCH_X86_LINUX_CPUID_H

#include <stdbool.h>
#include <stdint.h>

#include "arch/x86/cpuid_defs.h"

/* The CPU's answer for leaf 0 decides the vendor: "GenuineIntel". */
bool cpuid_is_intel(const struct cpuid_regs *leaf0);

/*
 * The Linux guest's answer for leaf/subleaf, from the CPU's own answer
 * host, the CPU's leaf 0 (vendor and maximum leaf) and extended leaf
 * 0x80000000, the TSC's frequency tsc_hz and the VM's id.
 */
struct cpuid_regs linux_cpuid_view(uint32_t leaf, uint32_t subleaf,
                                   const struct cpuid_regs *host,
                                   const struct cpuid_regs *leaf0,
                                   const struct cpuid_regs *ext0,
                                   uint64_t tsc_hz, uint32_t vm_id);

#endif
