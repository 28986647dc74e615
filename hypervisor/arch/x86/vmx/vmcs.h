/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Reading and writing fields of the current VMCS by name (vmcs_fields.h),
 * with accessors whose width the build checks, as Linux's are.
 */
#ifndef ARCH_X86_VMX_VMCS_H
#define ARCH_X86_VMX_VMCS_H

#include <stdint.h>

#include "arch/x86/vmx/vmcs_fields.h"
#include "arch/x86/vmx/vmx_insn.h"

/*
 * VMREAD and VMWRITE of the current VMCS (SDM Vol. 3C §31.3), inline:
 * every exit makes several, and a call would cost more than the
 * instruction. Host tests define VMCS_ACCESS_EXTERN and link their own.
 * They move the field's whole width zero-extended to 64 bits. A failure
 * (no current VMCS, a field this CPU does not have, a write to a read-only
 * field) is a kernel bug, not a guest's doing, so it is reported loudly
 * (vmcs_write_failed, in vmcs.c) instead of returned as a code.
 *
 * Call these directly only when the field is known at run time (e.g. an
 * allow-list of guest-readable fields); check VMCS_FIELD_WIDTH then.
 */
#ifdef VMCS_ACCESS_EXTERN
uint64_t __vmcs_read(enum vmcs_field field);
void __vmcs_write(enum vmcs_field field, uint64_t value);
#else
void vmcs_write_failed(enum vmcs_field field);

static inline uint64_t __vmcs_read(enum vmcs_field field)
{
	uint64_t v = 0;
	vmx_vmread(field, &v);
	return v;
}

static inline void __vmcs_write(enum vmcs_field field, uint64_t value)
{
	if (vmx_vmwrite(field, value) != 0)
		vmcs_write_failed(field);
}
#endif

/*
 * Width-checked accessors, as in Linux: the field must be a constant and
 * of the accessor's width, else the build fails ("GUEST_RIP is not a 16-bit
 * field"), so a 16-bit selector can never be written with a 64-bit value
 * that VMWRITE would silently truncate, or a natural-width field read into a
 * 32-bit variable. Natural width is 64 bits on x86-64 but kept apart from
 * the 64-bit fields, as the SDM does, so the two cannot be mixed up.
 */
#define VMCS_CHECK_WIDTH_(f, w, what)                                       \
	_Static_assert(VMCS_FIELD_WIDTH(f) == (w) && !VMCS_FIELD_IS_HIGH(f), \
	               #f " is not a " what " field")

#define VMCS_READ_(f, w, type, what) ({                                     \
	VMCS_CHECK_WIDTH_(f, w, what);                                      \
	(type)__vmcs_read(f); })
#define VMCS_WRITE_(f, v, w, type, what) ({                                 \
	VMCS_CHECK_WIDTH_(f, w, what);                                      \
	__vmcs_write(f, (type)(v)); })

#define vmcs_read16(f)     VMCS_READ_(f, VMCS_WIDTH_16, uint16_t, "16-bit")
#define vmcs_read32(f)     VMCS_READ_(f, VMCS_WIDTH_32, uint32_t, "32-bit")
#define vmcs_read64(f)     VMCS_READ_(f, VMCS_WIDTH_64, uint64_t, "64-bit")
#define vmcs_readl(f)      VMCS_READ_(f, VMCS_WIDTH_NATURAL, uint64_t, "natural-width")

#define vmcs_write16(f, v) VMCS_WRITE_(f, v, VMCS_WIDTH_16, uint16_t, "16-bit")
#define vmcs_write32(f, v) VMCS_WRITE_(f, v, VMCS_WIDTH_32, uint32_t, "32-bit")
#define vmcs_write64(f, v) VMCS_WRITE_(f, v, VMCS_WIDTH_64, uint64_t, "64-bit")
#define vmcs_writel(f, v)  VMCS_WRITE_(f, v, VMCS_WIDTH_NATURAL, uint64_t, "natural-width")

/* Guest segment seg (CS, SS, ... LDTR) with base 0, through the
 * width-checked accessors. */
#define VMCS_FLAT_SEGMENT(seg, selector, rights, limit) do {                 \
	vmcs_write16(GUEST_##seg##_SELECTOR, selector);                      \
	vmcs_writel(GUEST_##seg##_BASE, 0);                                  \
	vmcs_write32(GUEST_##seg##_LIMIT, limit);                            \
	vmcs_write32(GUEST_##seg##_AR_BYTES, rights);                        \
} while (0)

#endif
