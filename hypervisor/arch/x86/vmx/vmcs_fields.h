/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * VMCS field encodings (SDM Vol. 3D Appendix B) with Linux/KVM names, so
 * code here can be read side by side with the SDM, KVM, Xen and Jailhouse,
 * and the encoding's width and type bits. The accessors that read and
 * write fields by these names are in vmcs.h.
 *
 * An encoding is a 32-bit value (SDM Vol. 3C §25.11.2):
 *   bit 0      access type: 1 = the high 32 bits of a 64-bit field
 *   bits 9:1   index
 *   bits 11:10 type: control, VM-exit information (read-only), guest, host
 *   bits 14:13 width: 16-bit, 64-bit, 32-bit, natural
 * The "_HIGH" halves of 64-bit fields are left out: Bulkhead runs only in
 * 64-bit mode, where VMREAD/VMWRITE move whole 64-bit fields.
 *
 * Only what the kernel uses or will soon use is listed; add fields with the
 * SDM's value and under its heading, never by guessing.
 */
#ifndef ARCH_X86_VMX_VMCS_FIELDS_H
#define ARCH_X86_VMX_VMCS_FIELDS_H

#include <stdint.h>

enum vmcs_field {
	/* B.1.1 16-bit control fields */
	VIRTUAL_PROCESSOR_ID            = 0x00000000,
	POSTED_INTR_NV                  = 0x00000002,

	/* B.1.2 16-bit guest-state fields */
	GUEST_ES_SELECTOR               = 0x00000800,
	GUEST_CS_SELECTOR               = 0x00000802,
	GUEST_SS_SELECTOR               = 0x00000804,
	GUEST_DS_SELECTOR               = 0x00000806,
	GUEST_FS_SELECTOR               = 0x00000808,
	GUEST_GS_SELECTOR               = 0x0000080a,
	GUEST_LDTR_SELECTOR             = 0x0000080c,
	GUEST_TR_SELECTOR               = 0x0000080e,
	GUEST_INTR_STATUS               = 0x00000810,
	GUEST_PML_INDEX                 = 0x00000812,

	/* B.1.3 16-bit host-state fields */
	HOST_ES_SELECTOR                = 0x00000c00,
	HOST_CS_SELECTOR                = 0x00000c02,
	HOST_SS_SELECTOR                = 0x00000c04,
	HOST_DS_SELECTOR                = 0x00000c06,
	HOST_FS_SELECTOR                = 0x00000c08,
	HOST_GS_SELECTOR                = 0x00000c0a,
	HOST_TR_SELECTOR                = 0x00000c0c,

	/* B.2.1 64-bit control fields */
	IO_BITMAP_A                     = 0x00002000,
	IO_BITMAP_B                     = 0x00002002,
	MSR_BITMAP                      = 0x00002004,
	VM_EXIT_MSR_STORE_ADDR          = 0x00002006,
	VM_EXIT_MSR_LOAD_ADDR           = 0x00002008,
	VM_ENTRY_MSR_LOAD_ADDR          = 0x0000200a,
	PML_ADDRESS                     = 0x0000200e,
	TSC_OFFSET                      = 0x00002010,
	VIRTUAL_APIC_PAGE_ADDR          = 0x00002012,
	APIC_ACCESS_ADDR                = 0x00002014,
	POSTED_INTR_DESC_ADDR           = 0x00002016,
	VM_FUNCTION_CONTROL             = 0x00002018,
	EPT_POINTER                     = 0x0000201a,
	EOI_EXIT_BITMAP0                = 0x0000201c,
	EOI_EXIT_BITMAP1                = 0x0000201e,
	EOI_EXIT_BITMAP2                = 0x00002020,
	EOI_EXIT_BITMAP3                = 0x00002022,
	EPTP_LIST_ADDRESS               = 0x00002024,
	VMREAD_BITMAP                   = 0x00002026,
	VMWRITE_BITMAP                  = 0x00002028,
	XSS_EXIT_BITMAP                 = 0x0000202c,
	TSC_MULTIPLIER                  = 0x00002032,

	/* B.2.2 64-bit read-only data field */
	GUEST_PHYSICAL_ADDRESS          = 0x00002400,

	/* B.2.3 64-bit guest-state fields */
	VMCS_LINK_POINTER               = 0x00002800,
	GUEST_IA32_DEBUGCTL             = 0x00002802,
	GUEST_IA32_PAT                  = 0x00002804,
	GUEST_IA32_EFER                 = 0x00002806,
	GUEST_IA32_PERF_GLOBAL_CTRL     = 0x00002808,
	GUEST_PDPTR0                    = 0x0000280a,
	GUEST_PDPTR1                    = 0x0000280c,
	GUEST_PDPTR2                    = 0x0000280e,
	GUEST_PDPTR3                    = 0x00002810,
	GUEST_BNDCFGS                   = 0x00002812,

	/* B.2.4 64-bit host-state fields */
	HOST_IA32_PAT                   = 0x00002c00,
	HOST_IA32_EFER                  = 0x00002c02,
	HOST_IA32_PERF_GLOBAL_CTRL      = 0x00002c04,

	/* B.3.1 32-bit control fields */
	PIN_BASED_VM_EXEC_CONTROL       = 0x00004000,
	CPU_BASED_VM_EXEC_CONTROL       = 0x00004002,
	EXCEPTION_BITMAP                = 0x00004004,
	PAGE_FAULT_ERROR_CODE_MASK      = 0x00004006,
	PAGE_FAULT_ERROR_CODE_MATCH     = 0x00004008,
	CR3_TARGET_COUNT                = 0x0000400a,
	VM_EXIT_CONTROLS                = 0x0000400c,
	VM_EXIT_MSR_STORE_COUNT         = 0x0000400e,
	VM_EXIT_MSR_LOAD_COUNT          = 0x00004010,
	VM_ENTRY_CONTROLS               = 0x00004012,
	VM_ENTRY_MSR_LOAD_COUNT         = 0x00004014,
	VM_ENTRY_INTR_INFO_FIELD        = 0x00004016,
	VM_ENTRY_EXCEPTION_ERROR_CODE   = 0x00004018,
	VM_ENTRY_INSTRUCTION_LEN        = 0x0000401a,
	TPR_THRESHOLD                   = 0x0000401c,
	SECONDARY_VM_EXEC_CONTROL       = 0x0000401e,
	PLE_GAP                         = 0x00004020,
	PLE_WINDOW                      = 0x00004022,

	/* B.3.2 32-bit read-only data fields */
	VM_INSTRUCTION_ERROR            = 0x00004400,
	VM_EXIT_REASON                  = 0x00004402,
	VM_EXIT_INTR_INFO               = 0x00004404,
	VM_EXIT_INTR_ERROR_CODE         = 0x00004406,
	IDT_VECTORING_INFO_FIELD        = 0x00004408,
	IDT_VECTORING_ERROR_CODE        = 0x0000440a,
	VM_EXIT_INSTRUCTION_LEN         = 0x0000440c,
	VMX_INSTRUCTION_INFO            = 0x0000440e,

	/* B.3.3 32-bit guest-state fields */
	GUEST_ES_LIMIT                  = 0x00004800,
	GUEST_CS_LIMIT                  = 0x00004802,
	GUEST_SS_LIMIT                  = 0x00004804,
	GUEST_DS_LIMIT                  = 0x00004806,
	GUEST_FS_LIMIT                  = 0x00004808,
	GUEST_GS_LIMIT                  = 0x0000480a,
	GUEST_LDTR_LIMIT                = 0x0000480c,
	GUEST_TR_LIMIT                  = 0x0000480e,
	GUEST_GDTR_LIMIT                = 0x00004810,
	GUEST_IDTR_LIMIT                = 0x00004812,
	GUEST_ES_AR_BYTES               = 0x00004814,
	GUEST_CS_AR_BYTES               = 0x00004816,
	GUEST_SS_AR_BYTES               = 0x00004818,
	GUEST_DS_AR_BYTES               = 0x0000481a,
	GUEST_FS_AR_BYTES               = 0x0000481c,
	GUEST_GS_AR_BYTES               = 0x0000481e,
	GUEST_LDTR_AR_BYTES             = 0x00004820,
	GUEST_TR_AR_BYTES               = 0x00004822,
	GUEST_INTERRUPTIBILITY_INFO     = 0x00004824,
	GUEST_ACTIVITY_STATE            = 0x00004826,
	GUEST_SMBASE                    = 0x00004828,
	GUEST_SYSENTER_CS               = 0x0000482a,
	VMX_PREEMPTION_TIMER_VALUE      = 0x0000482e,

	/* B.3.4 32-bit host-state field */
	HOST_IA32_SYSENTER_CS           = 0x00004c00,

	/* B.4.1 natural-width control fields */
	CR0_GUEST_HOST_MASK             = 0x00006000,
	CR4_GUEST_HOST_MASK             = 0x00006002,
	CR0_READ_SHADOW                 = 0x00006004,
	CR4_READ_SHADOW                 = 0x00006006,
	CR3_TARGET_VALUE0               = 0x00006008,
	CR3_TARGET_VALUE1               = 0x0000600a,
	CR3_TARGET_VALUE2               = 0x0000600c,
	CR3_TARGET_VALUE3               = 0x0000600e,

	/* B.4.2 natural-width read-only data fields */
	EXIT_QUALIFICATION              = 0x00006400,
	EXIT_IO_RCX                     = 0x00006402,
	EXIT_IO_RSI                     = 0x00006404,
	EXIT_IO_RDI                     = 0x00006406,
	EXIT_IO_RIP                     = 0x00006408,
	GUEST_LINEAR_ADDRESS            = 0x0000640a,

	/* B.4.3 natural-width guest-state fields */
	GUEST_CR0                       = 0x00006800,
	GUEST_CR3                       = 0x00006802,
	GUEST_CR4                       = 0x00006804,
	GUEST_ES_BASE                   = 0x00006806,
	GUEST_CS_BASE                   = 0x00006808,
	GUEST_SS_BASE                   = 0x0000680a,
	GUEST_DS_BASE                   = 0x0000680c,
	GUEST_FS_BASE                   = 0x0000680e,
	GUEST_GS_BASE                   = 0x00006810,
	GUEST_LDTR_BASE                 = 0x00006812,
	GUEST_TR_BASE                   = 0x00006814,
	GUEST_GDTR_BASE                 = 0x00006816,
	GUEST_IDTR_BASE                 = 0x00006818,
	GUEST_DR7                       = 0x0000681a,
	GUEST_RSP                       = 0x0000681c,
	GUEST_RIP                       = 0x0000681e,
	GUEST_RFLAGS                    = 0x00006820,
	GUEST_PENDING_DBG_EXCEPTIONS    = 0x00006822,
	GUEST_SYSENTER_ESP              = 0x00006824,
	GUEST_SYSENTER_EIP              = 0x00006826,

	/* B.4.4 natural-width host-state fields */
	HOST_CR0                        = 0x00006c00,
	HOST_CR3                        = 0x00006c02,
	HOST_CR4                        = 0x00006c04,
	HOST_FS_BASE                    = 0x00006c06,
	HOST_GS_BASE                    = 0x00006c08,
	HOST_TR_BASE                    = 0x00006c0a,
	HOST_GDTR_BASE                  = 0x00006c0c,
	HOST_IDTR_BASE                  = 0x00006c0e,
	HOST_IA32_SYSENTER_ESP          = 0x00006c10,
	HOST_IA32_SYSENTER_EIP          = 0x00006c12,
	HOST_RSP                        = 0x00006c14,
	HOST_RIP                        = 0x00006c16,
};

/* Width, bits 14:13 of the encoding (§25.11.2). */
#define VMCS_WIDTH_16       0
#define VMCS_WIDTH_64       1
#define VMCS_WIDTH_32       2
#define VMCS_WIDTH_NATURAL  3
#define VMCS_FIELD_WIDTH(f) (((uint32_t)(f) >> 13) & 3)

/* Type, bits 11:10: which part of the VMCS the field belongs to. */
#define VMCS_TYPE_CONTROL   0
#define VMCS_TYPE_READ_ONLY 1   /* VM-exit information: VMWRITE fails unless IA32_VMX_MISC[29] */
#define VMCS_TYPE_GUEST     2
#define VMCS_TYPE_HOST      3
#define VMCS_FIELD_TYPE(f)  (((uint32_t)(f) >> 10) & 3)

/* Bit 0: the "high" access of a 64-bit field (32-bit mode only). */
#define VMCS_FIELD_IS_HIGH(f) ((uint32_t)(f) & 1)

#endif
