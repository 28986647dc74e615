/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Every privileged x86 instruction the kernel uses, wrapped once (as xv6's
 * x86.h does), so generic code never contains inline assembly.
 */
#ifndef ARCH_X86_CPU_H
#define ARCH_X86_CPU_H

#include <stdint.h>

#include "arch/x86/cpuid_defs.h"
#include "arch/x86/x86_defs.h"

/* Architectural MSRs (SDM Vol. 4, Table 2-2). */
#define MSR_IA32_FEATURE_CONTROL  0x03a
#define MSR_IA32_VMX_BASIC        0x480
#define MSR_IA32_VMX_PINBASED     0x481
#define MSR_IA32_VMX_PROCBASED    0x482
#define MSR_IA32_VMX_EXIT         0x483
#define MSR_IA32_VMX_ENTRY        0x484
#define MSR_IA32_VMX_MISC         0x485
#define MSR_IA32_VMX_CR0_FIXED0   0x486
#define MSR_IA32_VMX_CR0_FIXED1   0x487
#define MSR_IA32_VMX_CR4_FIXED0   0x488
#define MSR_IA32_VMX_CR4_FIXED1   0x489
#define MSR_IA32_VMX_PROCBASED2   0x48b
#define MSR_IA32_VMX_EPT_VPID_CAP 0x48c
#define MSR_IA32_VMX_TRUE_PINBASED   0x48d
#define MSR_IA32_VMX_TRUE_PROCBASED  0x48e
#define MSR_IA32_VMX_TRUE_EXIT       0x48f
#define MSR_IA32_VMX_TRUE_ENTRY      0x490
#define MSR_IA32_EFER             0xc0000080
#define MSR_FS_BASE               0xc0000100
#define MSR_GS_BASE               0xc0000101
#define MSR_KERNEL_GS_BASE        0xc0000102
#define MSR_IA32_PAT              0x277
#define MSR_IA32_TSC              0x010
#define MSR_IA32_APIC_BASE        0x01b

static inline void outb(uint16_t port, uint8_t v)
{ __asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port)); }
static inline void outw(uint16_t port, uint16_t v)
{ __asm__ volatile("outw %0, %1" : : "a"(v), "Nd"(port)); }
static inline void outl(uint16_t port, uint32_t v)
{ __asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port)); }
static inline uint8_t inb(uint16_t port)
{ uint8_t v; __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port)); return v; }
static inline uint16_t inw(uint16_t port)
{ uint16_t v; __asm__ volatile("inw %1, %0" : "=a"(v) : "Nd"(port)); return v; }
static inline uint32_t inl(uint16_t port)
{ uint32_t v; __asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port)); return v; }

static inline uint64_t rdmsr(uint32_t msr)
{
	uint32_t lo, hi;
	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((uint64_t)hi << 32) | lo;
}
static inline void wrmsr(uint32_t msr, uint64_t v)
{ __asm__ volatile("wrmsr" : : "c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32))); }

static inline struct cpuid_regs cpuid(uint32_t leaf, uint32_t subleaf)
{
	struct cpuid_regs r;
	__asm__ volatile("cpuid" : "=a"(r.eax), "=b"(r.ebx), "=c"(r.ecx), "=d"(r.edx)
	                 : "a"(leaf), "c"(subleaf));
	return r;
}

#define DEFINE_CR_ACCESSORS(n)                                               \
	static inline uint64_t read_cr##n(void)                              \
	{ uint64_t v; __asm__ volatile("mov %%cr" #n ", %0" : "=r"(v)); return v; } \
	static inline void write_cr##n(uint64_t v)                           \
	{ __asm__ volatile("mov %0, %%cr" #n : : "r"(v) : "memory"); }
DEFINE_CR_ACCESSORS(0)
DEFINE_CR_ACCESSORS(2)
DEFINE_CR_ACCESSORS(3)
DEFINE_CR_ACCESSORS(4)
#undef DEFINE_CR_ACCESSORS

/* Debug address registers DR0-3 (n & 3): a Linux guest's own, which no
 * VM exit or entry switches. */
#define DR_CASE_READ(n)  case n: __asm__ volatile("mov %%dr" #n ", %0" : "=r"(v)); break;
#define DR_CASE_WRITE(n) case n: __asm__ volatile("mov %0, %%dr" #n : : "r"(v)); break;
static inline uint64_t read_dr(unsigned n)
{
	uint64_t v = 0;
	switch (n & 3) { DR_CASE_READ(0) DR_CASE_READ(1) DR_CASE_READ(2) DR_CASE_READ(3) }
	return v;
}
static inline void write_dr(unsigned n, uint64_t v)
{
	switch (n & 3) { DR_CASE_WRITE(0) DR_CASE_WRITE(1) DR_CASE_WRITE(2) DR_CASE_WRITE(3) }
}
#undef DR_CASE_READ
#undef DR_CASE_WRITE

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

static inline void cpu_relax(void) { __asm__ volatile("pause" ::: "memory"); }
static inline void irq_disable(void) { __asm__ volatile("cli" ::: "memory"); }
static inline void cpu_halt(void) { __asm__ volatile("hlt" ::: "memory"); }

/* Stops this CPU for good: interrupts off, halted (an NMI wakes it, so loop). */
static inline __attribute__((noreturn)) void cpu_stop(void)
{
	for (;;)
		__asm__ volatile("cli; hlt" ::: "memory");
}

struct __attribute__((packed)) desc_ptr { uint16_t limit; uint64_t base; };
static inline struct desc_ptr sgdt(void)
{ struct desc_ptr p; __asm__ volatile("sgdt %0" : "=m"(p)); return p; }
static inline struct desc_ptr sidt(void)
{ struct desc_ptr p; __asm__ volatile("sidt %0" : "=m"(p)); return p; }

/* x87/SSE state of the VM that ran last (512-byte, 16-aligned area). */
static inline void fxsave(void *area) { __asm__ volatile("fxsave64 %0" : "=m"(*(char (*)[512])area)); }
static inline void fxrstor(const void *area) { __asm__ volatile("fxrstor64 %0" : : "m"(*(const char (*)[512])area)); }

/* Extended control register n (XCR0: which state XSAVE manages). */
static inline uint64_t xgetbv(uint32_t n)
{
	uint32_t lo, hi;
	__asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(n));
	return (uint64_t)hi << 32 | lo;
}
static inline void xsetbv(uint32_t n, uint64_t v)
{
	__asm__ volatile("xsetbv" : : "c"(n), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)));
}

/* Briefly opens the interrupt window so pending interrupts are taken. */
static inline void irq_window(void) { __asm__ volatile("sti; nop; cli" ::: "memory"); }
/* Halts until an interrupt; returns with interrupts off again. */
static inline void irq_halt(void) { __asm__ volatile("sti; hlt; cli" ::: "memory"); }

static inline void lgdt(const struct desc_ptr *p) { __asm__ volatile("lgdt %0" : : "m"(*p)); }
static inline void lidt(const struct desc_ptr *p) { __asm__ volatile("lidt %0" : : "m"(*p)); }
static inline void ltr(uint16_t sel) { __asm__ volatile("ltr %0" : : "r"(sel)); }

#endif
