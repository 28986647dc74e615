/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * vmx_adjust_controls and the CR fixed-bit helpers, with capability MSR
 * values like those Bochs's corei7_skylake_x reports (caps_test.c has the
 * measured ones; exit/entry and CR values are typical Intel ones).
 */
#include "check.h"

#include <bulkhead/errno.h>

#include "arch/x86/vmx/controls.h"
#include "arch/x86/vmx/vmx_defs.h"

#define TRUE_PINBASED   0x0000007f00000016ull
#define TRUE_PROCBASED  0xfff9fffe04006172ull
#define PROCBASED       0xfff9fffe0401e172ull   /* default1 bits 13-16 set (A.2) */
#define PROCBASED2      0x02177fff00000000ull
#define TRUE_EXIT       0x01ffffff00036dfbull
#define TRUE_ENTRY      0x0000f3ff000011fbull
#define CR0_FIXED0      0x0000000080000021ull   /* PE, NE, PG */
#define CR0_FIXED1      0x00000000ffffffffull
#define CR4_FIXED0      0x0000000000002000ull   /* VMXE */
#define CR4_FIXED1      0x00000000003727ffull

TEST(pin_based_with_optional_preemption_timer)
{
	uint32_t out = 0, missing = 123;
	CHECK_EQ(vmx_adjust_controls(PIN_BASED_EXT_INTR_MASK | PIN_BASED_NMI_EXITING,
	                             PIN_BASED_VMX_PREEMPTION_TIMER | PIN_BASED_POSTED_INTR,
	                             TRUE_PINBASED, &out, &missing), 0);
	CHECK_EQ(missing, 0);
	/* Posted interrupts (bit 7) are not allowed-1 here: silently left out. */
	CHECK_EQ(out, 0x16 | PIN_BASED_EXT_INTR_MASK | PIN_BASED_NMI_EXITING |
	              PIN_BASED_VMX_PREEMPTION_TIMER);
	/* An optional bit the CPU lacks is dropped, not an error. */
	CHECK_EQ(vmx_adjust_controls(0, 1u << 9, TRUE_PINBASED, &out, &missing), 0);
	CHECK_EQ(out, 0x16);
}

TEST(must_be_one_bits_are_added)
{
	uint32_t out, missing;
	uint32_t want = CPU_BASED_HLT_EXITING | CPU_BASED_USE_IO_BITMAPS |
	                CPU_BASED_USE_MSR_BITMAPS | CPU_BASED_ACTIVATE_SECONDARY_CONTROLS;
	CHECK_EQ(vmx_adjust_controls(want, 0, TRUE_PROCBASED, &out, &missing), 0);
	CHECK_EQ(out, want | 0x04006172);
	CHECK_EQ(out & CPU_BASED_CR3_LOAD_EXITING, 0);   /* TRUE MSR lets it be 0 */
	/* The plain MSR keeps the default1 CR3 exits forced on (A.2). */
	CHECK_EQ(vmx_adjust_controls(want, 0, PROCBASED, &out, &missing), 0);
	CHECK_EQ(out & (CPU_BASED_CR3_LOAD_EXITING | CPU_BASED_CR3_STORE_EXITING),
	         CPU_BASED_CR3_LOAD_EXITING | CPU_BASED_CR3_STORE_EXITING);
}

TEST(wanted_bit_not_allowed_is_einval_and_reported)
{
	uint32_t out = 0xdeadbeef, missing = 0;
	uint32_t want = CPU_BASED_HLT_EXITING | CPU_BASED_ACTIVATE_TERTIARY_CONTROLS | 1u;
	CHECK_EQ(vmx_adjust_controls(want, 0, TRUE_PROCBASED, &out, &missing), -BH_EINVAL);
	CHECK_EQ(missing, CPU_BASED_ACTIVATE_TERTIARY_CONTROLS | 1u);
	CHECK_EQ(out, 0xdeadbeef);   /* untouched */
	/* missing may be NULL. */
	CHECK_EQ(vmx_adjust_controls(want, 0, TRUE_PROCBASED, &out, NULL), -BH_EINVAL);
	CHECK_EQ(out, 0xdeadbeef);
}

TEST(secondary_controls_have_no_must_be_one_bits)
{
	uint32_t out, missing;
	uint32_t want = SECONDARY_EXEC_ENABLE_EPT | SECONDARY_EXEC_ENABLE_VPID;
	CHECK_EQ(vmx_adjust_controls(want, SECONDARY_EXEC_UNRESTRICTED_GUEST |
	                             SECONDARY_EXEC_NOTIFY_VM_EXITING,
	                             PROCBASED2, &out, &missing), 0);
	CHECK_EQ(out, want | SECONDARY_EXEC_UNRESTRICTED_GUEST);
	CHECK_EQ(vmx_adjust_controls(want | SECONDARY_EXEC_BUS_LOCK_DETECTION, 0,
	                             PROCBASED2, &out, &missing), -BH_EINVAL);
	CHECK_EQ(missing, SECONDARY_EXEC_BUS_LOCK_DETECTION);
	/* No secondary controls at all: everything wanted is missing. */
	CHECK_EQ(vmx_adjust_controls(want, 0, 0, &out, &missing), -BH_EINVAL);
	CHECK_EQ(missing, want);
	CHECK_EQ(vmx_adjust_controls(0, want, 0, &out, &missing), 0);
	CHECK_EQ(out, 0);
}

TEST(exit_and_entry_controls_for_a_64_bit_guest)
{
	uint32_t out, missing;
	uint32_t exit = VM_EXIT_HOST_ADDR_SPACE_SIZE | VM_EXIT_ACK_INTR_ON_EXIT |
	                VM_EXIT_SAVE_IA32_PAT | VM_EXIT_LOAD_IA32_PAT |
	                VM_EXIT_SAVE_IA32_EFER | VM_EXIT_LOAD_IA32_EFER;
	CHECK_EQ(vmx_adjust_controls(exit, VM_EXIT_SAVE_VMX_PREEMPTION_TIMER,
	                             TRUE_EXIT, &out, &missing), 0);
	CHECK_EQ(out, exit | VM_EXIT_SAVE_VMX_PREEMPTION_TIMER | 0x00036dfb);
	uint32_t entry = VM_ENTRY_IA32E_MODE | VM_ENTRY_LOAD_IA32_PAT | VM_ENTRY_LOAD_IA32_EFER;
	CHECK_EQ(vmx_adjust_controls(entry, 0, TRUE_ENTRY, &out, &missing), 0);
	CHECK_EQ(out, entry | 0x000011fb);
	CHECK_EQ(vmx_adjust_controls(entry | VM_ENTRY_LOAD_CET_STATE, 0, TRUE_ENTRY,
	                             &out, &missing), -BH_EINVAL);
	CHECK_EQ(missing, VM_ENTRY_LOAD_CET_STATE);
}

TEST(contradictory_msr_is_eio)
{
	uint32_t out = 7, missing = 0;
	/* Bit 4 must be 1 but may not be 1: no value can pass VM entry. */
	CHECK_EQ(vmx_adjust_controls(0, 0, 0x0000000f00000010ull, &out, &missing), -BH_EIO);
	CHECK_EQ(missing, 0x10);
	CHECK_EQ(out, 7);
}

/*
 * The bits of value that break the FIXED0/FIXED1 rule: exactly those that
 * vmx_fixed_bits has to change.
 */
static uint64_t illegal_bits(uint64_t value, uint64_t fixed0, uint64_t fixed1)
{
	return value ^ vmx_fixed_bits(value, fixed0, fixed1);
}

TEST(cr_fixed_bits)
{
	/* A typical CR0/CR4 of a 64-bit kernel, before and after VMXON rules. */
	uint64_t cr0 = 0x80050033, cr4 = 0x000006a0;
	CHECK_EQ(vmx_fixed_bits(cr0, CR0_FIXED0, CR0_FIXED1), cr0);
	CHECK_EQ(illegal_bits(cr0, CR0_FIXED0, CR0_FIXED1), 0);
	CHECK_EQ(vmx_fixed_bits(cr4, CR4_FIXED0, CR4_FIXED1), cr4 | 0x2000);
	CHECK_EQ(illegal_bits(cr4, CR4_FIXED0, CR4_FIXED1), 0x2000);

	/* Paging off and a bit above FIXED1: both reported, both fixed. */
	uint64_t bad = (cr0 & ~0x80000000ull) | (1ull << 32);
	CHECK_EQ(illegal_bits(bad, CR0_FIXED0, CR0_FIXED1), 0x180000000ull);
	CHECK_EQ(vmx_fixed_bits(bad, CR0_FIXED0, CR0_FIXED1), cr0);
	/* CR4 bits 22+ (not in FIXED1 here) cannot be set. */
	CHECK_EQ(illegal_bits(cr4 | 0x2000 | (1ull << 23), CR4_FIXED0, CR4_FIXED1),
	         1ull << 23);

	/* Unrestricted guest: PE and PG dropped from fixed0 by the caller. */
	uint64_t fixed0_ug = CR0_FIXED0 & ~0x80000001ull;
	CHECK_EQ(illegal_bits(0x60000010, fixed0_ug, CR0_FIXED1), 0x20);
	CHECK_EQ(vmx_fixed_bits(0x60000010, fixed0_ug, CR0_FIXED1), 0x60000030);
}
