/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The model-specific registers a Linux guest may use beyond those its CPU
 * back end keeps in hardware (EFER, PAT, the syscall and segment-base
 * MSRs): a few registers with per-vCPU values, so that Linux finds the
 * platform it expects (docs/monitor.md, "The platform"). Every other MSR
 * raises #GP, which Linux's MSR accessors expect for what a CPU lacks.
 * Pure: host tests check it register by register.
 */
#ifndef ARCH_X86_LINUX_MSR_H
#define ARCH_X86_LINUX_MSR_H

#include <stdbool.h>
#include <stdint.h>

/* Also in cpu.h, which pure code does not include. */
#ifndef MSR_IA32_APIC_BASE
#define MSR_IA32_APIC_BASE         0x01b
#endif
#ifndef MSR_IA32_FEATURE_CONTROL
#define MSR_IA32_FEATURE_CONTROL   0x03a
#endif
#define MSR_IA32_BIOS_SIGN_ID      0x0000008bu
#define MSR_IA32_MTRRCAP           0x000000feu
#define MSR_IA32_MISC_ENABLE       0x000001a0u
#define MSR_IA32_MTRR_DEF_TYPE     0x000002ffu

#define APIC_BASE_DEFAULT          0xfee00000ull
#define APIC_BASE_BSP              (1ull << 8)
#define APIC_BASE_ENABLE           (1ull << 11)
#define MISC_ENABLE_FAST_STRING    (1ull << 0)
#define MTRR_DEF_TYPE_UC           0x00ull
#define MTRR_DEF_TYPE_WB           0x06ull
#define MTRR_DEF_TYPE_E            (1ull << 11)

/* The registers' values for one vCPU. */
struct linux_msrs {
	uint64_t apic_base;
	uint64_t misc_enable;
	uint64_t mtrr_def_type;
};

/* Reset values: the APIC enabled at 0xfee00000 as the bootstrap CPU, fast
 * strings on, MTRRs enabled with write-back as the only memory type. */
void linux_msrs_reset(struct linux_msrs *m);

/* RDMSR: true with *value, or false for #GP. */
bool linux_msr_read(const struct linux_msrs *m, uint32_t msr, uint64_t *value);

/* WRMSR: true if taken (stored, or ignored where the platform ignores it),
 * false for #GP: the APIC may not move or enter x2APIC mode, FEATURE_CONTROL
 * is locked, MTRRs take only the enable and the write-back type (or, while
 * disabled, uncached: what Linux writes around its cache setup). */
bool linux_msr_write(struct linux_msrs *m, uint32_t msr, uint64_t value);

#endif
