/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The VMCB (AMD APM Vol. 2, Appendix B, "Layout of VMCB"): the control
 * area (intercepts, exit information, event injection, nested paging) at
 * offset 0 and the guest's state save area at 0x400, in one 4 KiB page
 * per vCPU. Field names follow the APM and Linux's svm.h, so the code reads
 * side by side with both; every offset is checked against the APM's table
 * at compile time. Exit codes: APM Vol. 2, Appendix C.
 */
#ifndef ARCH_X86_SVM_VMCB_H
#define ARCH_X86_SVM_VMCB_H

#include <stddef.h>
#include <stdint.h>

/* Intercept vector 3, VMCB offset 0x00c (Table B-1). */
#define INTERCEPT3_INTR        (1u << 0)
#define INTERCEPT3_NMI         (1u << 1)
#define INTERCEPT3_VINTR       (1u << 4)   /* the guest can take the virtual interrupt */
#define INTERCEPT3_INIT        (1u << 3)
#define INTERCEPT3_RDPMC       (1u << 15)
#define INTERCEPT3_CPUID       (1u << 18)
#define INTERCEPT3_INVD        (1u << 22)
#define INTERCEPT3_HLT         (1u << 24)
#define INTERCEPT3_INVLPGA     (1u << 26)
#define INTERCEPT3_IOIO_PROT   (1u << 27)
#define INTERCEPT3_MSR_PROT    (1u << 28)
#define INTERCEPT3_SHUTDOWN    (1u << 31)
/* Intercept vector 4, VMCB offset 0x010. */
#define INTERCEPT4_VMRUN       (1u << 0)    /* VMRUN refuses a VMCB without it */
#define INTERCEPT4_VMMCALL     (1u << 1)
#define INTERCEPT4_VMLOAD      (1u << 2)
#define INTERCEPT4_VMSAVE      (1u << 3)
#define INTERCEPT4_STGI        (1u << 4)
#define INTERCEPT4_CLGI        (1u << 5)
#define INTERCEPT4_SKINIT      (1u << 6)
#define INTERCEPT4_WBINVD      (1u << 9)
#define INTERCEPT4_MONITOR     (1u << 10)
#define INTERCEPT4_MWAIT       (1u << 11)
#define INTERCEPT4_MWAIT_COND  (1u << 12)
#define INTERCEPT4_XSETBV      (1u << 13)

/* TLB_CONTROL, offset 0x05c. */
#define TLB_CONTROL_DO_NOTHING      0u
#define TLB_CONTROL_FLUSH_ALL_ASID  1u   /* every ASID: what a CPU without flushbyasid offers */
#define TLB_CONTROL_FLUSH_ASID      3u   /* this guest's ASID only (needs flushbyasid) */

/* int_ctl, offset 0x060: with V_INTR_MASKING the guest's RFLAGS.IF masks
 * only virtual interrupts, and physical ones follow the host's RFLAGS.IF
 * (APM Vol. 2 §15.21.1), so a guest with IF = 0 cannot hold off the
 * kernel's timer. */
#define V_INTR_MASKING_MASK    (1u << 24)
/* A virtual interrupt request (V_IRQ) of the highest priority that ignores
 * the guest's TPR: with the VINTR intercept, an exit as soon as the guest
 * can take an interrupt (§15.21.4), where the kernel injects it. */
#define V_IRQ_MASK             (1u << 8)
#define V_INTR_PRIO_MAX        (0xfu << 16)
#define V_IGN_TPR_MASK         (1u << 20)

/* int_state, offset 0x068: the guest is in an interrupt shadow (after STI
 * or MOV SS) and takes no interrupt before its next instruction. */
#define SVM_INTERRUPT_SHADOW   (1u << 0)

/* nested_ctl, offset 0x090. */
#define SVM_NESTED_CTL_NP_ENABLE  1ull

/* EVENTINJ, offset 0x0a8 (APM Vol. 2 §15.20). */
#define SVM_EVTINJ_VEC_MASK    0xffu
#define SVM_EVTINJ_TYPE_INTR   (0u << 8)
#define SVM_EVTINJ_TYPE_EXEPT  (3u << 8)
#define SVM_EVTINJ_VALID_ERR   (1u << 11)
#define SVM_EVTINJ_VALID       (1u << 31)

/* EXITINFO1 of an IOIO intercept (APM Vol. 2 §15.10.2). */
#define SVM_IOIO_TYPE_IN       (1ull << 0)
#define SVM_IOIO_STR           (1ull << 2)
#define SVM_IOIO_REP           (1ull << 3)
#define SVM_IOIO_SIZE_SHIFT    4             /* bits 6:4: one-hot 1, 2, 4 bytes */
#define SVM_IOIO_SIZE_MASK     (7ull << SVM_IOIO_SIZE_SHIFT)
#define SVM_IOIO_PORT_SHIFT    16

/* EXITINFO1 of a nested page fault: a #PF error code (APM Vol. 2 §15.25.6). */
#define SVM_NPF_WRITE          (1ull << 1)
#define SVM_NPF_FETCH          (1ull << 4)

/* Exit codes (APM Vol. 2, Appendix C, "SVM Intercept Exit Codes"). */
#define SVM_EXIT_READ_CR0      0x000
#define SVM_EXIT_WRITE_CR0     0x010
#define SVM_EXIT_WRITE_CR4     0x014
#define SVM_EXIT_READ_DR0      0x020
#define SVM_EXIT_WRITE_DR7     0x03f
#define SVM_EXIT_EXCP_BASE     0x040     /* + vector: an intercepted exception */
#define SVM_EXIT_EXCP_UD       (SVM_EXIT_EXCP_BASE + 6)
#define SVM_EXIT_INTR          0x060
#define SVM_EXIT_NMI           0x061
#define SVM_EXIT_INIT          0x063
#define SVM_EXIT_VINTR         0x064
#define SVM_EXIT_RDPMC         0x06f
#define SVM_EXIT_CPUID         0x072
#define SVM_EXIT_INVD          0x076
#define SVM_EXIT_HLT           0x078
#define SVM_EXIT_INVLPGA       0x07a
#define SVM_EXIT_IOIO          0x07b
#define SVM_EXIT_MSR           0x07c
#define SVM_EXIT_SHUTDOWN      0x07f
#define SVM_EXIT_VMRUN         0x080
#define SVM_EXIT_VMMCALL       0x081
#define SVM_EXIT_VMLOAD        0x082
#define SVM_EXIT_VMSAVE        0x083
#define SVM_EXIT_STGI          0x084
#define SVM_EXIT_CLGI          0x085
#define SVM_EXIT_SKINIT        0x086
#define SVM_EXIT_WBINVD        0x089
#define SVM_EXIT_MONITOR       0x08a
#define SVM_EXIT_MWAIT         0x08b
#define SVM_EXIT_MWAIT_COND    0x08c
#define SVM_EXIT_XSETBV        0x08d
#define SVM_EXIT_COUNT         0x08e     /* the table in exits.c covers 0..this-1 */
#define SVM_EXIT_NPF           0x400
#define SVM_EXIT_INVALID       (~0ull)   /* VMRUN refused the VMCB's guest state */

/* Instruction lengths where the CPU does not save the next RIP (no
 * nrip_save): these have one encoding each without prefixes (APM Vol. 3). */
#define SVM_INSN_LEN_VMMCALL   3         /* 0f 01 d9 */
#define SVM_INSN_LEN_CPUID     2         /* 0f a2 */
#define SVM_INSN_LEN_MSR       2         /* 0f 32 (RDMSR), 0f 30 (WRMSR) */
#define SVM_INSN_LEN_HLT       1         /* f4 */
#define SVM_INSN_LEN_INVD      2         /* 0f 08, and WBINVD 0f 09 */

/* A segment in the save area: attrib packs the descriptor's type, S, DPL
 * and P in bits 7:0 and AVL, L, D/B and G in bits 11:8. */
struct vmcb_seg {
	uint16_t selector;
	uint16_t attrib;
	uint32_t limit;
	uint64_t base;
};

struct vmcb_control {
	uint32_t intercept_cr;          /* 0x000: bits 15:0 reads, 31:16 writes */
	uint32_t intercept_dr;          /* 0x004: bits 15:0 reads, 31:16 writes */
	uint32_t intercept_exceptions;  /* 0x008 */
	uint32_t intercept3;            /* 0x00c */
	uint32_t intercept4;            /* 0x010 */
	uint32_t intercept5;            /* 0x014 */
	uint8_t reserved1[0x03c - 0x018];
	uint16_t pause_filter_thresh;   /* 0x03c */
	uint16_t pause_filter_count;    /* 0x03e */
	uint64_t iopm_base_pa;          /* 0x040 */
	uint64_t msrpm_base_pa;         /* 0x048 */
	uint64_t tsc_offset;            /* 0x050 */
	uint32_t asid;                  /* 0x058 */
	uint8_t tlb_ctl;                /* 0x05c */
	uint8_t reserved2[3];
	uint32_t int_ctl;               /* 0x060 */
	uint32_t int_vector;            /* 0x064 */
	uint32_t int_state;             /* 0x068 */
	uint8_t reserved3[4];
	uint64_t exit_code;             /* 0x070 */
	uint64_t exit_info_1;           /* 0x078 */
	uint64_t exit_info_2;           /* 0x080 */
	uint32_t exit_int_info;         /* 0x088 */
	uint32_t exit_int_info_err;     /* 0x08c */
	uint64_t nested_ctl;            /* 0x090 */
	uint64_t avic_vapic_bar;        /* 0x098 */
	uint64_t ghcb_gpa;              /* 0x0a0 */
	uint32_t event_inj;             /* 0x0a8 */
	uint32_t event_inj_err;         /* 0x0ac */
	uint64_t nested_cr3;            /* 0x0b0 */
	uint64_t virt_ext;              /* 0x0b8 */
	uint32_t clean;                 /* 0x0c0 */
	uint32_t reserved4;
	uint64_t next_rip;              /* 0x0c8: with nrip_save */
	uint8_t insn_len;               /* 0x0d0: with decodeassists */
	uint8_t insn_bytes[15];
	uint8_t reserved5[0x400 - 0x0e0];
};

struct vmcb_save {
	struct vmcb_seg es, cs, ss, ds, fs, gs, gdtr, ldtr, idtr, tr;  /* 0x400.. */
	uint8_t reserved1[0x4cb - 0x4a0];
	uint8_t cpl;                    /* 0x4cb */
	uint8_t reserved2[4];
	uint64_t efer;                  /* 0x4d0 */
	uint8_t reserved3[0x548 - 0x4d8];
	uint64_t cr4;                   /* 0x548 */
	uint64_t cr3;                   /* 0x550 */
	uint64_t cr0;                   /* 0x558 */
	uint64_t dr7;                   /* 0x560 */
	uint64_t dr6;                   /* 0x568 */
	uint64_t rflags;                /* 0x570 */
	uint64_t rip;                   /* 0x578 */
	uint8_t reserved4[0x5d8 - 0x580];
	uint64_t rsp;                   /* 0x5d8 */
	uint64_t s_cet, ssp, isst_addr; /* 0x5e0 */
	uint64_t rax;                   /* 0x5f8 */
	uint64_t star;                  /* 0x600 */
	uint64_t lstar;                 /* 0x608 */
	uint64_t cstar;                 /* 0x610 */
	uint64_t sfmask;                /* 0x618 */
	uint64_t kernel_gs_base;        /* 0x620 */
	uint64_t sysenter_cs;           /* 0x628 */
	uint64_t sysenter_esp;          /* 0x630 */
	uint64_t sysenter_eip;          /* 0x638 */
	uint64_t cr2;                   /* 0x640 */
	uint8_t reserved5[0x668 - 0x648];
	uint64_t g_pat;                 /* 0x668 */
	uint64_t dbgctl;                /* 0x670 */
};

struct vmcb {
	struct vmcb_control control;
	struct vmcb_save save;
} __attribute__((aligned(4096)));

#define VMCB_OFFSET(field) offsetof(struct vmcb, field)
_Static_assert(VMCB_OFFSET(control.iopm_base_pa) == 0x040, "APM Table B-1");
_Static_assert(VMCB_OFFSET(control.asid) == 0x058, "APM Table B-1");
_Static_assert(VMCB_OFFSET(control.int_ctl) == 0x060, "APM Table B-1");
_Static_assert(VMCB_OFFSET(control.exit_code) == 0x070, "APM Table B-1");
_Static_assert(VMCB_OFFSET(control.nested_ctl) == 0x090, "APM Table B-1");
_Static_assert(VMCB_OFFSET(control.event_inj) == 0x0a8, "APM Table B-1");
_Static_assert(VMCB_OFFSET(control.nested_cr3) == 0x0b0, "APM Table B-1");
_Static_assert(VMCB_OFFSET(control.next_rip) == 0x0c8, "APM Table B-1");
_Static_assert(VMCB_OFFSET(save.es) == 0x400, "APM Table B-2");
_Static_assert(VMCB_OFFSET(save.tr) == 0x490, "APM Table B-2");
_Static_assert(VMCB_OFFSET(save.cpl) == 0x4cb, "APM Table B-2");
_Static_assert(VMCB_OFFSET(save.efer) == 0x4d0, "APM Table B-2");
_Static_assert(VMCB_OFFSET(save.cr4) == 0x548, "APM Table B-2");
_Static_assert(VMCB_OFFSET(save.rip) == 0x578, "APM Table B-2");
_Static_assert(VMCB_OFFSET(save.rsp) == 0x5d8, "APM Table B-2");
_Static_assert(VMCB_OFFSET(save.rax) == 0x5f8, "APM Table B-2");
_Static_assert(VMCB_OFFSET(save.kernel_gs_base) == 0x620, "APM Table B-2");
_Static_assert(VMCB_OFFSET(save.cr2) == 0x640, "APM Table B-2");
_Static_assert(VMCB_OFFSET(save.g_pat) == 0x668, "APM Table B-2");
_Static_assert(sizeof(struct vmcb) == 4096, "one page");

#endif
