/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * VT-x architectural numbers with Linux/KVM names: VM-execution, VM-exit
 * and VM-entry control bits (SDM Vol. 3C §25.6-25.8), basic exit reasons
 * (Vol. 3D Appendix C), VM-instruction error numbers (Vol. 3C §31.4) and
 * the formats of the fields used to inject and report events. The field
 * encodings themselves are in vmcs_fields.h.
 *
 * Which controls a CPU allows is decided at run time (controls.h); these
 * are only the bit positions.
 */
#ifndef ARCH_X86_VMX_VMX_DEFS_H
#define ARCH_X86_VMX_VMX_DEFS_H

#include <stdint.h>

/* IA32_VMX_BASIC (SDM Vol. 3D Appendix A.1). */
#define VMX_BASIC_REVISION_MASK                 0x7fffffffull   /* 30:0 */
#define VMX_BASIC_TRUE_CTLS                     (1ull << 55)    /* TRUE_* MSRs exist */

/* Whether a control capability MSR (A.3-A.5) lets every bit of control be
 * 1: its allowed-1 settings are its high 32 bits. */
#define VMX_CTL_ALLOWED1(msr, control)          ((((msr) >> 32) & (control)) == (control))

/* IA32_VMX_MISC (A.6): the preemption timer ticks every 2^rate TSC cycles. */
#define VMX_MISC_PREEMPTION_TIMER_RATE_MASK     0x1full         /* 4:0 */

/* IA32_VMX_EPT_VPID_CAP (A.10). */
#define VMX_EPT_PAGE_WALK_4_BIT                 (1ull << 6)
#define VMX_EPTP_WB_BIT                         (1ull << 14)    /* tables may be write-back */
#define VMX_EPT_2MB_PAGE_BIT                    (1ull << 16)
#define VMX_EPT_1GB_PAGE_BIT                    (1ull << 17)
#define VMX_EPT_INVEPT_BIT                      (1ull << 20)
#define VMX_EPT_EXTENT_CONTEXT_BIT              (1ull << 25)    /* single-context INVEPT */
#define VMX_EPT_EXTENT_GLOBAL_BIT               (1ull << 26)    /* all-context INVEPT */
/* Bit 32 of the MSR (Linux names it as bit 0 of the high half). */
#define VMX_VPID_INVVPID_BIT                    (1ull << 32)

/* Pin-based VM-execution controls (SDM Vol. 3C §25.6.1). */
#define PIN_BASED_EXT_INTR_MASK                 (1u << 0)
#define PIN_BASED_NMI_EXITING                   (1u << 3)
#define PIN_BASED_VMX_PREEMPTION_TIMER          (1u << 6)
#define PIN_BASED_POSTED_INTR                   (1u << 7)

/* Primary processor-based VM-execution controls (§25.6.2). */
#define CPU_BASED_INTR_WINDOW_EXITING           (1u << 2)
#define CPU_BASED_HLT_EXITING                   (1u << 7)
#define CPU_BASED_MWAIT_EXITING                 (1u << 10)
#define CPU_BASED_RDPMC_EXITING                 (1u << 11)
#define CPU_BASED_RDTSC_EXITING                 (1u << 12)
#define CPU_BASED_CR3_LOAD_EXITING              (1u << 15)
#define CPU_BASED_CR3_STORE_EXITING             (1u << 16)
#define CPU_BASED_ACTIVATE_TERTIARY_CONTROLS    (1u << 17)
#define CPU_BASED_CR8_LOAD_EXITING              (1u << 19)
#define CPU_BASED_CR8_STORE_EXITING             (1u << 20)
#define CPU_BASED_MOV_DR_EXITING                (1u << 23)
#define CPU_BASED_UNCOND_IO_EXITING             (1u << 24)
#define CPU_BASED_USE_IO_BITMAPS                (1u << 25)
#define CPU_BASED_USE_MSR_BITMAPS               (1u << 28)
#define CPU_BASED_MONITOR_EXITING               (1u << 29)
#define CPU_BASED_ACTIVATE_SECONDARY_CONTROLS   (1u << 31)

/* Secondary processor-based VM-execution controls (§25.6.2). */
#define SECONDARY_EXEC_ENABLE_EPT               (1u << 1)
#define SECONDARY_EXEC_ENABLE_RDTSCP            (1u << 3)
#define SECONDARY_EXEC_ENABLE_VPID              (1u << 5)
#define SECONDARY_EXEC_WBINVD_EXITING           (1u << 6)
#define SECONDARY_EXEC_UNRESTRICTED_GUEST       (1u << 7)
#define SECONDARY_EXEC_BUS_LOCK_DETECTION       (1u << 30)
#define SECONDARY_EXEC_NOTIFY_VM_EXITING        (1u << 31)

/* Primary VM-exit controls (§25.7.1). */
#define VM_EXIT_HOST_ADDR_SPACE_SIZE            (1u << 9)   /* host is 64-bit */
#define VM_EXIT_ACK_INTR_ON_EXIT                (1u << 15)
#define VM_EXIT_SAVE_IA32_PAT                   (1u << 18)
#define VM_EXIT_LOAD_IA32_PAT                   (1u << 19)
#define VM_EXIT_SAVE_IA32_EFER                  (1u << 20)
#define VM_EXIT_LOAD_IA32_EFER                  (1u << 21)
#define VM_EXIT_SAVE_VMX_PREEMPTION_TIMER       (1u << 22)

/* VM-entry controls (§25.8.1). */
#define VM_ENTRY_IA32E_MODE                     (1u << 9)   /* guest is 64-bit */
#define VM_ENTRY_LOAD_IA32_PAT                  (1u << 14)
#define VM_ENTRY_LOAD_IA32_EFER                 (1u << 15)
#define VM_ENTRY_LOAD_CET_STATE                 (1u << 20)

/*
 * The VM_EXIT_REASON field (§25.9.1, "Format of Exit Reason"):
 * bits 15:0 are the basic exit reason below; bit 31 says the exit was a
 * failed VM entry (the guest state or MSR loading was rejected).
 */
#define VMX_EXIT_REASON_BASIC_MASK              0xffffu
#define VMX_EXIT_REASONS_FAILED_VMENTRY         (1u << 31)

/*
 * Basic exit reasons (SDM Vol. 3D Appendix C, Table C-1), listed once:
 * X(NAME, number) gives EXIT_REASON_NAME and the name the log prints
 * (vmx_exit_reason_name). 35, 38, 42 and 71 are not used; 33 and 34 are
 * failed VM entries (invalid guest state, MSR loading); NOTIFY is the
 * instruction timeout.
 */
#define VMX_EXIT_REASONS(X) \
	X(EXCEPTION_NMI, 0) X(EXTERNAL_INTERRUPT, 1) X(TRIPLE_FAULT, 2) \
	X(INIT_SIGNAL, 3) X(SIPI_SIGNAL, 4) X(IO_SMI, 5) X(OTHER_SMI, 6) \
	X(INTERRUPT_WINDOW, 7) X(NMI_WINDOW, 8) X(TASK_SWITCH, 9) X(CPUID, 10) \
	X(GETSEC, 11) X(HLT, 12) X(INVD, 13) X(INVLPG, 14) X(RDPMC, 15) X(RDTSC, 16) \
	X(RSM, 17) X(VMCALL, 18) X(VMCLEAR, 19) X(VMLAUNCH, 20) X(VMPTRLD, 21) \
	X(VMPTRST, 22) X(VMREAD, 23) X(VMRESUME, 24) X(VMWRITE, 25) X(VMOFF, 26) \
	X(VMON, 27) X(CR_ACCESS, 28) X(DR_ACCESS, 29) X(IO_INSTRUCTION, 30) \
	X(MSR_READ, 31) X(MSR_WRITE, 32) X(INVALID_STATE, 33) X(MSR_LOAD_FAIL, 34) \
	X(MWAIT_INSTRUCTION, 36) X(MONITOR_TRAP_FLAG, 37) X(MONITOR_INSTRUCTION, 39) \
	X(PAUSE_INSTRUCTION, 40) X(MCE_DURING_VMENTRY, 41) \
	X(TPR_BELOW_THRESHOLD, 43) X(APIC_ACCESS, 44) X(EOI_INDUCED, 45) \
	X(GDTR_IDTR, 46) X(LDTR_TR, 47) X(EPT_VIOLATION, 48) X(EPT_MISCONFIG, 49) \
	X(INVEPT, 50) X(RDTSCP, 51) X(PREEMPTION_TIMER, 52) X(INVVPID, 53) \
	X(WBINVD, 54) X(XSETBV, 55) X(APIC_WRITE, 56) X(RDRAND, 57) X(INVPCID, 58) \
	X(VMFUNC, 59) X(ENCLS, 60) X(RDSEED, 61) X(PML_FULL, 62) X(XSAVES, 63) \
	X(XRSTORS, 64) X(PCONFIG, 65) X(SPP, 66) X(UMWAIT, 67) X(TPAUSE, 68) \
	X(LOADIWKEY, 69) X(ENCLV, 70) X(ENQCMD_PASID_FAIL, 72) \
	X(ENQCMDS_PASID_FAIL, 73) X(BUS_LOCK, 74) X(NOTIFY, 75) X(SEAMCALL, 76) \
	X(TDCALL, 77) X(RDMSRLIST, 78) X(WRMSRLIST, 79)

enum vmx_exit_reason {
#define VMX_EXIT_REASON_ENUM(name, n) EXIT_REASON_##name = n,
	VMX_EXIT_REASONS(VMX_EXIT_REASON_ENUM)
#undef VMX_EXIT_REASON_ENUM
	/* One past the highest basic exit reason listed: sizes dispatch tables. */
	EXIT_REASON_COUNT = 80
};

/*
 * VM-instruction error numbers (SDM Vol. 3C §31.4), listed once:
 * X(NAME, number, sentence) gives VMXERR_NAME and the SDM's wording that
 * vmx_instruction_error_name returns. 14, 21 and 27 are reserved.
 */
#define VMX_INSTRUCTION_ERRORS(X) \
	X(VMCALL_IN_VMX_ROOT_OPERATION, 1, "VMCALL executed in VMX root operation") \
	X(VMCLEAR_INVALID_ADDRESS, 2, "VMCLEAR with invalid physical address") \
	X(VMCLEAR_VMXON_POINTER, 3, "VMCLEAR with VMXON pointer") \
	X(VMLAUNCH_NONCLEAR_VMCS, 4, "VMLAUNCH with non-clear VMCS") \
	X(VMRESUME_NONLAUNCHED_VMCS, 5, "VMRESUME with non-launched VMCS") \
	X(VMRESUME_AFTER_VMXOFF, 6, "VMRESUME after VMXOFF") \
	X(ENTRY_INVALID_CONTROL_FIELD, 7, "VM entry with invalid control field(s)") \
	X(ENTRY_INVALID_HOST_STATE_FIELD, 8, "VM entry with invalid host-state field(s)") \
	X(VMPTRLD_INVALID_ADDRESS, 9, "VMPTRLD with invalid physical address") \
	X(VMPTRLD_VMXON_POINTER, 10, "VMPTRLD with VMXON pointer") \
	X(VMPTRLD_INCORRECT_VMCS_REVISION_ID, 11, "VMPTRLD with incorrect VMCS revision identifier") \
	X(UNSUPPORTED_VMCS_COMPONENT, 12, "VMREAD/VMWRITE from/to unsupported VMCS component") \
	X(VMWRITE_READ_ONLY_VMCS_COMPONENT, 13, "VMWRITE to read-only VMCS component") \
	X(VMXON_IN_VMX_ROOT_OPERATION, 15, "VMXON executed in VMX root operation") \
	X(ENTRY_INVALID_EXECUTIVE_VMCS_POINTER, 16, "VM entry with invalid executive-VMCS pointer") \
	X(ENTRY_NONLAUNCHED_EXECUTIVE_VMCS, 17, "VM entry with non-launched executive VMCS") \
	X(ENTRY_EXECUTIVE_VMCS_POINTER_NOT_VMXON_POINTER, 18, "VM entry with executive-VMCS pointer not VMXON pointer") \
	X(VMCALL_NONCLEAR_VMCS, 19, "VMCALL with non-clear VMCS") \
	X(VMCALL_INVALID_VM_EXIT_CONTROL_FIELDS, 20, "VMCALL with invalid VM-exit control fields") \
	X(VMCALL_INCORRECT_MSEG_REVISION_ID, 22, "VMCALL with incorrect MSEG revision identifier") \
	X(VMXOFF_UNDER_DUAL_MONITOR_TREATMENT_OF_SMIS_AND_SMM, 23, "VMXOFF under dual-monitor treatment of SMIs and SMM") \
	X(VMCALL_INVALID_SMM_MONITOR_FEATURES, 24, "VMCALL with invalid SMM-monitor features") \
	X(ENTRY_INVALID_VM_EXECUTION_CONTROL_FIELDS_IN_EXECUTIVE_VMCS, 25, "VM entry with invalid VM-execution control fields in executive VMCS") \
	X(ENTRY_EVENTS_BLOCKED_BY_MOV_SS, 26, "VM entry with events blocked by MOV SS") \
	X(INVALID_OPERAND_TO_INVEPT_INVVPID, 28, "invalid operand to INVEPT/INVVPID")

enum vmx_instruction_error {
#define VMX_INSTRUCTION_ERROR_ENUM(name, n, text) VMXERR_##name = n,
	VMX_INSTRUCTION_ERRORS(VMX_INSTRUCTION_ERROR_ENUM)
#undef VMX_INSTRUCTION_ERROR_ENUM
};

/*
 * Interruption-information format, shared by VM_ENTRY_INTR_INFO_FIELD
 * (event injection, §25.8.3), VM_EXIT_INTR_INFO (§25.9.2) and
 * IDT_VECTORING_INFO_FIELD (§25.9.3).
 */
#define INTR_INFO_INTR_TYPE_MASK        0x700u          /* 10:8 */
#define INTR_INFO_DELIVER_CODE_MASK     (1u << 11)      /* push an error code */
#define INTR_INFO_VALID_MASK            (1u << 31)

#define INTR_TYPE_NMI_INTR              (2u << 8)
#define INTR_TYPE_HARD_EXCEPTION        (3u << 8)       /* #PF, #GP, #UD, ... */

/* GUEST_ACTIVITY_STATE (§25.4.2). */
#define GUEST_ACTIVITY_ACTIVE           0

/*
 * Guest segment access rights, GUEST_*_AR_BYTES (§25.4.1):
 * the descriptor's type/S/DPL/P/AVL/L/D/G bits, plus "unusable" at bit 16.
 */
#define VMX_AR_S_MASK                   (1u << 4)       /* code/data, not system */
#define VMX_AR_DPL_SHIFT                5
#define VMX_AR_P_MASK                   (1u << 7)
#define VMX_AR_L_MASK                   (1u << 13)      /* 64-bit code */
#define VMX_AR_DB_MASK                  (1u << 14)
#define VMX_AR_G_MASK                   (1u << 15)
#define VMX_AR_UNUSABLE_MASK            (1u << 16)
#define VMX_AR_DPL(ar)                  (((ar) >> VMX_AR_DPL_SHIFT) & 3)

/* The type field (bits 3:0) of a code/data or system descriptor (Vol. 3A
 * §3.4.5.1, §3.5). */
#define VMX_AR_TYPE_ACCESSES_MASK       (1u << 0)
#define VMX_AR_TYPE_READABLE_MASK       (1u << 1)       /* code: readable */
#define VMX_AR_TYPE_WRITEABLE_MASK      (1u << 1)       /* data: writable */
#define VMX_AR_TYPE_CODE_MASK           (1u << 3)
#define VMX_AR_TYPE_BUSY_64_TSS         11              /* system (S = 0) */

/*
 * EXIT_QUALIFICATION of a control-register access (§28.2.1, Table 28-3
 * "Exit Qualification for Control-Register Accesses"). Decoded by
 * exit_qual.h.
 */
#define CONTROL_REG_ACCESS_NUM          0xfull          /* 3:0, the CR; 0 for CLTS, LMSW */
#define CONTROL_REG_ACCESS_TYPE         0x30ull         /* 5:4, enum cr_access_type */
#define CONTROL_REG_ACCESS_TYPE_SHIFT   4
#define LMSW_OPERAND_MEMORY             (1ull << 6)     /* LMSW from memory, not a register */
#define CONTROL_REG_ACCESS_REG          0xf00ull        /* 11:8, MOV CR: the general register */
#define CONTROL_REG_ACCESS_REG_SHIFT    8
#define LMSW_SOURCE_DATA                0xffff0000ull   /* 31:16, LMSW: the operand */
#define LMSW_SOURCE_DATA_SHIFT          16

/* EXIT_QUALIFICATION of an I/O instruction (§28.2.1, Table 28-5
 * "Exit Qualification for I/O Instructions"). Decoded by exit_qual.h. */
#define IO_QUAL_SIZE_MASK               0x7ull          /* 2:0, bytes - 1: 0, 1 or 3 */
#define IO_QUAL_IN                      (1ull << 3)     /* IN/INS; 0 is OUT/OUTS */
#define IO_QUAL_STRING                  (1ull << 4)     /* INS/OUTS */
#define IO_QUAL_REP                     (1ull << 5)     /* REP prefix */
#define IO_QUAL_IMMEDIATE               (1ull << 6)     /* port an immediate, not DX */
#define IO_QUAL_PORT_SHIFT              16              /* 31:16, the port */

/* EPT paging-structure entries (§29.3.2, the EPT entry format tables). */
#define VMX_EPT_READABLE_MASK           0x1ull
#define VMX_EPT_WRITABLE_MASK           0x2ull
#define VMX_EPT_EXECUTABLE_MASK         0x4ull          /* supervisor execute with MBEC */
#define VMX_EPT_RWX_MASK                (VMX_EPT_READABLE_MASK | VMX_EPT_WRITABLE_MASK | \
                                         VMX_EPT_EXECUTABLE_MASK)
#define VMX_EPT_MT_EPTE_SHIFT           3               /* leaves: memory type, bits 5:3 */
#define VMX_EPT_IPAT_BIT                (1ull << 6)     /* ignore the guest's PAT */
/* Memory types (Vol. 3A, "Memory Types That Can Be Encoded in MTRRs"). */
#define MTRR_TYPE_UNCACHABLE            0ull
#define MTRR_TYPE_WRBACK                6ull

/* The EPT pointer (§25.6.11). */
#define VMX_EPTP_MT_WB                  0x6ull          /* tables are write-back */
#define VMX_EPTP_PWL_4                  0x18ull         /* 4-level walk: length - 1 in 5:3 */

/* EXIT_QUALIFICATION of an EPT violation (§28.2.1). */
#define EPT_VIOLATION_ACC_WRITE         (1ull << 1)
#define EPT_VIOLATION_ACC_INSTR         (1ull << 2)

/*
 * The VM-instruction error's meaning as the SDM words it (§31.4), for
 * the log after VMfailValid: "VM entry with invalid control field(s)".
 * Reserved and unknown numbers get a sentence saying so; never NULL.
 */
const char *vmx_instruction_error_name(uint32_t err);

/*
 * The name of a basic exit reason ("EPT_VIOLATION"), for logging an exit
 * the kernel does not handle. Takes the raw VM_EXIT_REASON value and
 * ignores the flag bits above bit 15. Unused numbers give "UNKNOWN";
 * never NULL.
 */
const char *vmx_exit_reason_name(uint32_t exit_reason);

#endif
