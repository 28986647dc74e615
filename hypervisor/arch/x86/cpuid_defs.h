/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * CPUID leaves and feature bits by name (SDM Vol. 2A, CPUID: the tables
 * "Information Returned by CPUID Instruction" and, for leaf 1, "Feature
 * Information Returned in the ECX Register"). A bit is named
 * CPUID_<leaf>_<register>_<feature>, with the subleaf after the leaf where
 * the leaf has subleaves (CPUID_7_0_EBX_AVX2), so code that tests one
 * reads as the SDM's table does. No instructions
 * here: the CPUID instruction itself is wrapped in cpu.h, and pure code
 * (the guest CPUID filter) includes only this.
 */
#ifndef ARCH_X86_CPUID_DEFS_H
#define ARCH_X86_CPUID_DEFS_H

#include <stdint.h>

/* The four registers CPUID returns. */
struct cpuid_regs { uint32_t eax, ebx, ecx, edx; };

/* Leaves ("Information Returned by CPUID Instruction"). */
#define CPUID_LEAF_VENDOR               0x00u   /* max leaf, vendor string */
#define CPUID_LEAF_FEATURES             0x01u   /* version and feature bits */
#define CPUID_LEAF_MWAIT                0x05u   /* MONITOR/MWAIT */
#define CPUID_LEAF_THERM                0x06u   /* thermal and power management */
#define CPUID_LEAF_EXT_FEATURES         0x07u   /* structured extended features */
#define CPUID_LEAF_ARCH_PERFMON         0x0au   /* architectural performance monitoring */
#define CPUID_LEAF_XSTATE               0x0du   /* XSAVE state components */
/* Intel defines no leaf in 0x40000000-0x4fffffff; hypervisors use that
 * range to describe themselves (the convention of KVM, Xen and Hyper-V). */
#define CPUID_LEAF_HYPERVISOR_BASE      0x40000000u
#define CPUID_LEAF_EXT_BASE             0x80000000u   /* extended leaves */
#define CPUID_LEAF_EXT_PROCESSOR        0x80000001u   /* extended processor feature bits */
/* AMD APM Vol. 3, Appendix E.4.10: SVM revision, ASID count, SVM features. */
#define CPUID_LEAF_SVM                  0x8000000au

/* Leaf 1, ECX ("Feature Information Returned in the ECX Register"). */
#define CPUID_1_ECX_MONITOR             (1u << 3)     /* MONITOR/MWAIT */
#define CPUID_1_ECX_VMX                 (1u << 5)
#define CPUID_1_ECX_SMX                 (1u << 6)
#define CPUID_1_ECX_X2APIC              (1u << 21)
#define CPUID_1_ECX_TSC_DEADLINE        (1u << 24)
#define CPUID_1_ECX_XSAVE               (1u << 26)
#define CPUID_1_ECX_OSXSAVE             (1u << 27)
#define CPUID_1_ECX_AVX                 (1u << 28)
/* Bit 31 is 0 on every CPU; hypervisors set it to say a guest runs on one
 * (the convention Linux, Xen and KVM follow). */
#define CPUID_1_ECX_HYPERVISOR          (1u << 31)

/* Leaf 7 subleaf 0, EBX ("Structured Extended Feature Flags", leaf 07H). */
#define CPUID_7_0_EBX_SGX               (1u << 2)
#define CPUID_7_0_EBX_AVX2              (1u << 5)
#define CPUID_7_0_EBX_MPX               (1u << 14)
#define CPUID_7_0_EBX_AVX512F           (1u << 16)

/* Leaf 7 subleaf 0, ECX. */
#define CPUID_7_0_ECX_PKU               (1u << 3)
#define CPUID_7_0_ECX_OSPKE             (1u << 4)     /* CR4.PKE */

/* Leaf 0x80000001, ECX (AMD APM Vol. 3, Appendix E.4.2). */
#define CPUID_80000001_ECX_SVM          (1u << 2)

/* Leaf 0x8000000a, EDX: the SVM features (AMD APM Vol. 3, Appendix E.4.10). */
#define CPUID_SVM_EDX_NPT               (1u << 0)
#define CPUID_SVM_EDX_LBRV              (1u << 1)
#define CPUID_SVM_EDX_SVML              (1u << 2)
#define CPUID_SVM_EDX_NRIPS             (1u << 3)     /* next RIP saved on #VMEXIT */
#define CPUID_SVM_EDX_TSC_RATE          (1u << 4)
#define CPUID_SVM_EDX_VMCB_CLEAN        (1u << 5)
#define CPUID_SVM_EDX_FLUSH_BY_ASID     (1u << 6)
#define CPUID_SVM_EDX_DECODE_ASSISTS    (1u << 7)
#define CPUID_SVM_EDX_PAUSE_FILTER      (1u << 10)
#define CPUID_SVM_EDX_AVIC              (1u << 13)
#define CPUID_SVM_EDX_VGIF              (1u << 16)

#endif
