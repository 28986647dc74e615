/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * VMCS field encodings and VT-x numbers against the SDM (Vol. 3D
 * Appendices B and C, Vol. 3C §31.4), and the width-checked accessors
 * against a fake VMCS that records what VMREAD/VMWRITE would have seen.
 */
#include "check.h"

#define VMCS_ACCESS_EXTERN   /* this test's own __vmcs_read and __vmcs_write */
#include "arch/x86/vmx/vmcs.h"
#include "arch/x86/vmx/vmx_defs.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

TEST(sample_encodings_match_the_sdm)
{
	CHECK_EQ(GUEST_RIP, 0x681e);
	CHECK_EQ(VM_EXIT_REASON, 0x4402);
	CHECK_EQ(EPT_POINTER, 0x201a);
	CHECK_EQ(GUEST_ES_SELECTOR, 0x800);
	CHECK_EQ(HOST_RIP, 0x6c16);
	CHECK_EQ(VMX_PREEMPTION_TIMER_VALUE, 0x482e);
	CHECK_EQ(VM_INSTRUCTION_ERROR, 0x4400);
	CHECK_EQ(VIRTUAL_PROCESSOR_ID, 0x0);
	CHECK_EQ(HOST_TR_SELECTOR, 0xc0c);
	CHECK_EQ(MSR_BITMAP, 0x2004);
	CHECK_EQ(IO_BITMAP_B, 0x2002);
	CHECK_EQ(GUEST_PHYSICAL_ADDRESS, 0x2400);
	CHECK_EQ(VMCS_LINK_POINTER, 0x2800);
	CHECK_EQ(GUEST_IA32_EFER, 0x2806);
	CHECK_EQ(HOST_IA32_EFER, 0x2c02);
	CHECK_EQ(SECONDARY_VM_EXEC_CONTROL, 0x401e);
	CHECK_EQ(VM_ENTRY_INTR_INFO_FIELD, 0x4016);
	CHECK_EQ(IDT_VECTORING_INFO_FIELD, 0x4408);
	CHECK_EQ(GUEST_TR_AR_BYTES, 0x4822);
	CHECK_EQ(GUEST_INTERRUPTIBILITY_INFO, 0x4824);
	CHECK_EQ(GUEST_SYSENTER_CS, 0x482a);
	CHECK_EQ(HOST_IA32_SYSENTER_CS, 0x4c00);
	CHECK_EQ(CR4_READ_SHADOW, 0x6006);
	CHECK_EQ(EXIT_QUALIFICATION, 0x6400);
	CHECK_EQ(GUEST_LINEAR_ADDRESS, 0x640a);
	CHECK_EQ(GUEST_IDTR_BASE, 0x6818);
	CHECK_EQ(GUEST_DR7, 0x681a);
	CHECK_EQ(GUEST_RFLAGS, 0x6820);
	CHECK_EQ(HOST_GDTR_BASE, 0x6c0c);
	CHECK_EQ(HOST_IA32_SYSENTER_EIP, 0x6c12);
	CHECK_EQ(HOST_RSP, 0x6c14);
}

struct group {
	const char *heading;
	unsigned width, type;
	const enum vmcs_field *fields;
	size_t n;
};

#define GROUP(h, w, t, ...)                                                 \
	{ h, w, t, (const enum vmcs_field[]){ __VA_ARGS__ },                \
	  sizeof((const enum vmcs_field[]){ __VA_ARGS__ }) / sizeof(enum vmcs_field) }

/* Every field of the enum, under its Appendix B heading. */
static const struct group groups[] = {
	GROUP("B.1.1", VMCS_WIDTH_16, VMCS_TYPE_CONTROL,
	      VIRTUAL_PROCESSOR_ID, POSTED_INTR_NV),
	GROUP("B.1.2", VMCS_WIDTH_16, VMCS_TYPE_GUEST,
	      GUEST_ES_SELECTOR, GUEST_CS_SELECTOR, GUEST_SS_SELECTOR,
	      GUEST_DS_SELECTOR, GUEST_FS_SELECTOR, GUEST_GS_SELECTOR,
	      GUEST_LDTR_SELECTOR, GUEST_TR_SELECTOR, GUEST_INTR_STATUS,
	      GUEST_PML_INDEX),
	GROUP("B.1.3", VMCS_WIDTH_16, VMCS_TYPE_HOST,
	      HOST_ES_SELECTOR, HOST_CS_SELECTOR, HOST_SS_SELECTOR,
	      HOST_DS_SELECTOR, HOST_FS_SELECTOR, HOST_GS_SELECTOR,
	      HOST_TR_SELECTOR),
	GROUP("B.2.1", VMCS_WIDTH_64, VMCS_TYPE_CONTROL,
	      IO_BITMAP_A, IO_BITMAP_B, MSR_BITMAP, VM_EXIT_MSR_STORE_ADDR,
	      VM_EXIT_MSR_LOAD_ADDR, VM_ENTRY_MSR_LOAD_ADDR, PML_ADDRESS,
	      TSC_OFFSET, VIRTUAL_APIC_PAGE_ADDR, APIC_ACCESS_ADDR,
	      POSTED_INTR_DESC_ADDR, VM_FUNCTION_CONTROL, EPT_POINTER,
	      EOI_EXIT_BITMAP0, EOI_EXIT_BITMAP1, EOI_EXIT_BITMAP2,
	      EOI_EXIT_BITMAP3, EPTP_LIST_ADDRESS, VMREAD_BITMAP,
	      VMWRITE_BITMAP, XSS_EXIT_BITMAP, TSC_MULTIPLIER),
	GROUP("B.2.2", VMCS_WIDTH_64, VMCS_TYPE_READ_ONLY,
	      GUEST_PHYSICAL_ADDRESS),
	GROUP("B.2.3", VMCS_WIDTH_64, VMCS_TYPE_GUEST,
	      VMCS_LINK_POINTER, GUEST_IA32_DEBUGCTL, GUEST_IA32_PAT,
	      GUEST_IA32_EFER, GUEST_IA32_PERF_GLOBAL_CTRL, GUEST_PDPTR0,
	      GUEST_PDPTR1, GUEST_PDPTR2, GUEST_PDPTR3, GUEST_BNDCFGS),
	GROUP("B.2.4", VMCS_WIDTH_64, VMCS_TYPE_HOST,
	      HOST_IA32_PAT, HOST_IA32_EFER, HOST_IA32_PERF_GLOBAL_CTRL),
	GROUP("B.3.1", VMCS_WIDTH_32, VMCS_TYPE_CONTROL,
	      PIN_BASED_VM_EXEC_CONTROL, CPU_BASED_VM_EXEC_CONTROL,
	      EXCEPTION_BITMAP, PAGE_FAULT_ERROR_CODE_MASK,
	      PAGE_FAULT_ERROR_CODE_MATCH, CR3_TARGET_COUNT, VM_EXIT_CONTROLS,
	      VM_EXIT_MSR_STORE_COUNT, VM_EXIT_MSR_LOAD_COUNT,
	      VM_ENTRY_CONTROLS, VM_ENTRY_MSR_LOAD_COUNT,
	      VM_ENTRY_INTR_INFO_FIELD, VM_ENTRY_EXCEPTION_ERROR_CODE,
	      VM_ENTRY_INSTRUCTION_LEN, TPR_THRESHOLD,
	      SECONDARY_VM_EXEC_CONTROL, PLE_GAP, PLE_WINDOW),
	GROUP("B.3.2", VMCS_WIDTH_32, VMCS_TYPE_READ_ONLY,
	      VM_INSTRUCTION_ERROR, VM_EXIT_REASON, VM_EXIT_INTR_INFO,
	      VM_EXIT_INTR_ERROR_CODE, IDT_VECTORING_INFO_FIELD,
	      IDT_VECTORING_ERROR_CODE, VM_EXIT_INSTRUCTION_LEN,
	      VMX_INSTRUCTION_INFO),
	GROUP("B.3.3", VMCS_WIDTH_32, VMCS_TYPE_GUEST,
	      GUEST_ES_LIMIT, GUEST_CS_LIMIT, GUEST_SS_LIMIT, GUEST_DS_LIMIT,
	      GUEST_FS_LIMIT, GUEST_GS_LIMIT, GUEST_LDTR_LIMIT, GUEST_TR_LIMIT,
	      GUEST_GDTR_LIMIT, GUEST_IDTR_LIMIT, GUEST_ES_AR_BYTES,
	      GUEST_CS_AR_BYTES, GUEST_SS_AR_BYTES, GUEST_DS_AR_BYTES,
	      GUEST_FS_AR_BYTES, GUEST_GS_AR_BYTES, GUEST_LDTR_AR_BYTES,
	      GUEST_TR_AR_BYTES, GUEST_INTERRUPTIBILITY_INFO,
	      GUEST_ACTIVITY_STATE, GUEST_SMBASE, GUEST_SYSENTER_CS,
	      VMX_PREEMPTION_TIMER_VALUE),
	GROUP("B.3.4", VMCS_WIDTH_32, VMCS_TYPE_HOST,
	      HOST_IA32_SYSENTER_CS),
	GROUP("B.4.1", VMCS_WIDTH_NATURAL, VMCS_TYPE_CONTROL,
	      CR0_GUEST_HOST_MASK, CR4_GUEST_HOST_MASK, CR0_READ_SHADOW,
	      CR4_READ_SHADOW, CR3_TARGET_VALUE0, CR3_TARGET_VALUE1,
	      CR3_TARGET_VALUE2, CR3_TARGET_VALUE3),
	GROUP("B.4.2", VMCS_WIDTH_NATURAL, VMCS_TYPE_READ_ONLY,
	      EXIT_QUALIFICATION, EXIT_IO_RCX, EXIT_IO_RSI, EXIT_IO_RDI,
	      EXIT_IO_RIP, GUEST_LINEAR_ADDRESS),
	GROUP("B.4.3", VMCS_WIDTH_NATURAL, VMCS_TYPE_GUEST,
	      GUEST_CR0, GUEST_CR3, GUEST_CR4, GUEST_ES_BASE, GUEST_CS_BASE,
	      GUEST_SS_BASE, GUEST_DS_BASE, GUEST_FS_BASE, GUEST_GS_BASE,
	      GUEST_LDTR_BASE, GUEST_TR_BASE, GUEST_GDTR_BASE, GUEST_IDTR_BASE,
	      GUEST_DR7, GUEST_RSP, GUEST_RIP, GUEST_RFLAGS,
	      GUEST_PENDING_DBG_EXCEPTIONS, GUEST_SYSENTER_ESP,
	      GUEST_SYSENTER_EIP),
	GROUP("B.4.4", VMCS_WIDTH_NATURAL, VMCS_TYPE_HOST,
	      HOST_CR0, HOST_CR3, HOST_CR4, HOST_FS_BASE, HOST_GS_BASE,
	      HOST_TR_BASE, HOST_GDTR_BASE, HOST_IDTR_BASE,
	      HOST_IA32_SYSENTER_ESP, HOST_IA32_SYSENTER_EIP, HOST_RSP,
	      HOST_RIP),
};

TEST(every_group_has_its_width_and_type)
{
	size_t total = 0;
	for (size_t g = 0; g < ARRAY_SIZE(groups); g++) {
		for (size_t i = 0; i < groups[g].n; i++) {
			enum vmcs_field f = groups[g].fields[i];
			if (VMCS_FIELD_WIDTH(f) != groups[g].width ||
			    VMCS_FIELD_TYPE(f) != groups[g].type ||
			    VMCS_FIELD_IS_HIGH(f) || (f & (1u << 12)) || (f >> 15))
				check_fail(__FILE__, __LINE__, "%s: field 0x%x misfiled",
				           groups[g].heading, (unsigned)f);
			total++;
		}
	}
	CHECK(total > 150);
}

TEST(no_two_fields_share_an_encoding)
{
	for (size_t g = 0; g < ARRAY_SIZE(groups); g++)
		for (size_t i = 0; i < groups[g].n; i++)
			for (size_t h = g; h < ARRAY_SIZE(groups); h++)
				for (size_t j = (h == g ? i + 1 : 0); j < groups[h].n; j++)
					CHECK(groups[g].fields[i] != groups[h].fields[j]);
}

TEST(width_macro_decodes_bits_14_13)
{
	CHECK_EQ(VMCS_FIELD_WIDTH(0x0000), VMCS_WIDTH_16);
	CHECK_EQ(VMCS_FIELD_WIDTH(0x2000), VMCS_WIDTH_64);
	CHECK_EQ(VMCS_FIELD_WIDTH(0x4000), VMCS_WIDTH_32);
	CHECK_EQ(VMCS_FIELD_WIDTH(0x6000), VMCS_WIDTH_NATURAL);
	CHECK_EQ(VMCS_FIELD_WIDTH(0x6c16), VMCS_WIDTH_NATURAL);
	CHECK_EQ(VMCS_FIELD_TYPE(0x6c16), VMCS_TYPE_HOST);
	CHECK(VMCS_FIELD_IS_HIGH(EPT_POINTER + 1));
	CHECK(!VMCS_FIELD_IS_HIGH(EPT_POINTER));
}

/* A fake current VMCS: what the accessors handed to VMREAD/VMWRITE. */
static uint32_t last_field;
static uint64_t last_written, next_read;

uint64_t __vmcs_read(enum vmcs_field field)
{
	last_field = field;
	return next_read;
}

void __vmcs_write(enum vmcs_field field, uint64_t value)
{
	last_field = field;
	last_written = value;
}

TEST(accessors_pass_the_field_and_keep_its_width)
{
	next_read = 0x1122334455667788ull;
	uint16_t sel = vmcs_read16(GUEST_CS_SELECTOR);
	CHECK_EQ(last_field, GUEST_CS_SELECTOR);
	CHECK_EQ(sel, 0x7788);
	uint32_t reason = vmcs_read32(VM_EXIT_REASON);
	CHECK_EQ(last_field, VM_EXIT_REASON);
	CHECK_EQ(reason, 0x55667788);
	CHECK_EQ(vmcs_read64(GUEST_PHYSICAL_ADDRESS), 0x1122334455667788ull);
	CHECK_EQ(last_field, GUEST_PHYSICAL_ADDRESS);
	CHECK_EQ(vmcs_readl(GUEST_RIP), 0x1122334455667788ull);
	CHECK_EQ(last_field, GUEST_RIP);

	/* Writes are narrowed to the field's width before VMWRITE sees them. */
	vmcs_write16(HOST_TR_SELECTOR, 0xabcd0040);
	CHECK_EQ(last_field, HOST_TR_SELECTOR);
	CHECK_EQ(last_written, 0x40);
	vmcs_write32(EXCEPTION_BITMAP, 0x1ffffffffull);
	CHECK_EQ(last_field, EXCEPTION_BITMAP);
	CHECK_EQ(last_written, 0xffffffff);
	vmcs_write64(EPT_POINTER, 0x123456789000ull | 0x1e);
	CHECK_EQ(last_field, EPT_POINTER);
	CHECK_EQ(last_written, 0x12345678901eull);
	vmcs_writel(HOST_RIP, 0xffffffff80001000ull);
	CHECK_EQ(last_field, HOST_RIP);
	CHECK_EQ(last_written, 0xffffffff80001000ull);

	_Static_assert(__builtin_types_compatible_p(__typeof__(sel), uint16_t), "");
}

TEST(control_bits_sit_where_the_sdm_puts_them)
{
	CHECK_EQ(PIN_BASED_EXT_INTR_MASK, 0x1);
	CHECK_EQ(PIN_BASED_NMI_EXITING, 0x8);
	CHECK_EQ(PIN_BASED_VMX_PREEMPTION_TIMER, 0x40);
	CHECK_EQ(CPU_BASED_HLT_EXITING, 0x80);
	CHECK_EQ(CPU_BASED_USE_IO_BITMAPS, 0x02000000);
	CHECK_EQ(CPU_BASED_USE_MSR_BITMAPS, 0x10000000);
	CHECK_EQ(CPU_BASED_ACTIVATE_SECONDARY_CONTROLS, 0x80000000);
	CHECK_EQ(SECONDARY_EXEC_ENABLE_EPT, 0x2);
	CHECK_EQ(SECONDARY_EXEC_ENABLE_VPID, 0x20);
	CHECK_EQ(SECONDARY_EXEC_UNRESTRICTED_GUEST, 0x80);
	CHECK_EQ(VM_EXIT_HOST_ADDR_SPACE_SIZE, 0x200);
	CHECK_EQ(VM_EXIT_ACK_INTR_ON_EXIT, 0x8000);
	CHECK_EQ(VM_EXIT_LOAD_IA32_EFER, 0x00200000);
	CHECK_EQ(VM_EXIT_SAVE_VMX_PREEMPTION_TIMER, 0x00400000);
	CHECK_EQ(VM_ENTRY_IA32E_MODE, 0x200);
	CHECK_EQ(VM_ENTRY_LOAD_IA32_PAT, 0x4000);
	CHECK_EQ(VM_ENTRY_LOAD_IA32_EFER, 0x8000);
	CHECK_EQ(INTR_INFO_VALID_MASK | INTR_TYPE_HARD_EXCEPTION |
	         INTR_INFO_DELIVER_CODE_MASK | 13, 0x80000b0d);   /* #GP injection */
}

TEST(exit_reasons_match_appendix_c)
{
	CHECK_EQ(EXIT_REASON_EXCEPTION_NMI, 0);
	CHECK_EQ(EXIT_REASON_TRIPLE_FAULT, 2);
	CHECK_EQ(EXIT_REASON_CPUID, 10);
	CHECK_EQ(EXIT_REASON_HLT, 12);
	CHECK_EQ(EXIT_REASON_VMCALL, 18);
	CHECK_EQ(EXIT_REASON_CR_ACCESS, 28);
	CHECK_EQ(EXIT_REASON_IO_INSTRUCTION, 30);
	CHECK_EQ(EXIT_REASON_MSR_READ, 31);
	CHECK_EQ(EXIT_REASON_MSR_WRITE, 32);
	CHECK_EQ(EXIT_REASON_INVALID_STATE, 33);
	CHECK_EQ(EXIT_REASON_EPT_VIOLATION, 48);
	CHECK_EQ(EXIT_REASON_EPT_MISCONFIG, 49);
	CHECK_EQ(EXIT_REASON_PREEMPTION_TIMER, 52);
	CHECK_EQ(EXIT_REASON_XSETBV, 55);
	CHECK_EQ(EXIT_REASON_XRSTORS, 64);
	CHECK_EQ(EXIT_REASON_TPAUSE, 68);
	CHECK_EQ(EXIT_REASON_BUS_LOCK, 74);
	CHECK_EQ(EXIT_REASON_WRMSRLIST, 79);
}

TEST(exit_reason_names)
{
	CHECK_STR_EQ(vmx_exit_reason_name(EXIT_REASON_EPT_VIOLATION), "EPT_VIOLATION");
	CHECK_STR_EQ(vmx_exit_reason_name(EXIT_REASON_EXCEPTION_NMI), "EXCEPTION_NMI");
	CHECK_STR_EQ(vmx_exit_reason_name(EXIT_REASON_WRMSRLIST), "WRMSRLIST");
	/* Flag bits are ignored: a failed entry still names its cause. */
	CHECK_STR_EQ(vmx_exit_reason_name(VMX_EXIT_REASONS_FAILED_VMENTRY |
	                                  EXIT_REASON_INVALID_STATE), "INVALID_STATE");
	CHECK_STR_EQ(vmx_exit_reason_name(35), "UNKNOWN");
	CHECK_STR_EQ(vmx_exit_reason_name(71), "UNKNOWN");
	CHECK_STR_EQ(vmx_exit_reason_name(EXIT_REASON_COUNT), "UNKNOWN");
	CHECK_STR_EQ(vmx_exit_reason_name(0xffff), "UNKNOWN");
	/* Every listed reason has a name, and only 35, 38, 42 and 71 are gaps. */
	unsigned gaps = 0;
	for (uint32_t r = 0; r < EXIT_REASON_COUNT; r++)
		if (strcmp(vmx_exit_reason_name(r), "UNKNOWN") == 0)
			gaps++;
	CHECK_EQ(gaps, 4);
}

TEST(instruction_error_names)
{
	CHECK_STR_EQ(vmx_instruction_error_name(VMXERR_ENTRY_INVALID_CONTROL_FIELD),
	             "VM entry with invalid control field(s)");
	CHECK_STR_EQ(vmx_instruction_error_name(8),
	             "VM entry with invalid host-state field(s)");
	CHECK_STR_EQ(vmx_instruction_error_name(12),
	             "VMREAD/VMWRITE from/to unsupported VMCS component");
	CHECK_STR_EQ(vmx_instruction_error_name(1),
	             "VMCALL executed in VMX root operation");
	CHECK_STR_EQ(vmx_instruction_error_name(26),
	             "VM entry with events blocked by MOV SS");
	CHECK_STR_EQ(vmx_instruction_error_name(28),
	             "invalid operand to INVEPT/INVVPID");
	CHECK(strstr(vmx_instruction_error_name(0), "no VM-instruction error"));
	CHECK(strstr(vmx_instruction_error_name(14), "reserved"));
	CHECK(strstr(vmx_instruction_error_name(21), "reserved"));
	CHECK(strstr(vmx_instruction_error_name(27), "reserved"));
	CHECK(strstr(vmx_instruction_error_name(29), "unknown"));
	CHECK(strstr(vmx_instruction_error_name(0xffffffffu), "unknown"));
	/* 1..28 except the three reserved numbers all have their own text. */
	unsigned named = 0;
	for (uint32_t e = 1; e <= 28; e++)
		if (!strstr(vmx_instruction_error_name(e), "reserved"))
			named++;
	CHECK_EQ(named, 25);
}
