/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The VMX instructions, wrapped once (SDM Vol. 3C Chapter 31). Each returns
 * 0 on VMsucceed, -1 on VMfailInvalid (no current VMCS / bad operand) and
 * -2 on VMfailValid (the VM-instruction error field says why).
 */
#ifndef ARCH_X86_VMX_VMX_INSN_H
#define ARCH_X86_VMX_VMX_INSN_H

#include <stdint.h>

#define VMX_FAIL_INVALID (-1)
#define VMX_FAIL_VALID   (-2)

/* CF=1: VMfailInvalid; ZF=1: VMfailValid (SDM Vol. 3C §31.2). */
#define VMX_RESULT(cf, zf) ((cf) ? VMX_FAIL_INVALID : (zf) ? VMX_FAIL_VALID : 0)

/* VMXON, VMCLEAR, VMPTRLD: one 64-bit physical address in memory. */
#define VMX_PHYS_OP_(insn, phys) ({                                         \
	uint8_t cf_, zf_;                                                   \
	__asm__ volatile(insn " %2" : "=@ccc"(cf_), "=@ccz"(zf_)            \
	                 : "m"(phys) : "memory");                           \
	VMX_RESULT(cf_, zf_); })

static inline int vmxon(uint64_t phys) { return VMX_PHYS_OP_("vmxon", phys); }
static inline int vmclear(uint64_t phys) { return VMX_PHYS_OP_("vmclear", phys); }
static inline int vmptrld(uint64_t phys) { return VMX_PHYS_OP_("vmptrld", phys); }

static inline int vmxoff(void)
{
	uint8_t cf, zf;
	__asm__ volatile("vmxoff" : "=@ccc"(cf), "=@ccz"(zf) : : "memory");
	return VMX_RESULT(cf, zf);
}

static inline int vmx_vmread(uint64_t field, uint64_t *value)
{
	uint8_t cf, zf;
	__asm__ volatile("vmread %3, %2" : "=@ccc"(cf), "=@ccz"(zf), "=rm"(*value)
	                 : "r"(field) : "memory");
	return VMX_RESULT(cf, zf);
}

static inline int vmx_vmwrite(uint64_t field, uint64_t value)
{
	uint8_t cf, zf;
	__asm__ volatile("vmwrite %3, %2" : "=@ccc"(cf), "=@ccz"(zf)
	                 : "r"(field), "rm"(value) : "memory");
	return VMX_RESULT(cf, zf);
}

/* INVEPT/INVVPID types (SDM Vol. 3C §31.3). */
#define INVEPT_SINGLE_CONTEXT 1
#define INVEPT_ALL_CONTEXT    2
#define INVVPID_SINGLE_CONTEXT 1

/* INVEPT, INVVPID: the type in a register, a 128-bit descriptor in memory
 * whose first quadword is the EPTP or the VPID (§31.3). */
#define VMX_INVALIDATE_(insn, type, first) ({                               \
	const struct { uint64_t q0, q1; } desc_ = { (first), 0 };           \
	uint8_t cf_, zf_;                                                   \
	__asm__ volatile(insn " %2, %3" : "=@ccc"(cf_), "=@ccz"(zf_)        \
	                 : "m"(desc_), "r"((uint64_t)(type)) : "memory");   \
	VMX_RESULT(cf_, zf_); })

static inline int invept(uint64_t type, uint64_t eptp)
{
	return VMX_INVALIDATE_("invept", type, eptp);
}

static inline int invvpid(uint64_t type, uint16_t vpid)
{
	return VMX_INVALIDATE_("invvpid", type, vpid);
}

#endif
