/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Register offsets and bits of a VT-d remapping unit (Intel VT-d
 * specification §11.4), with Linux's names where it has them. Only what
 * the kernel uses is listed.
 */
#ifndef ARCH_X86_IOMMU_VTD_REGS_H
#define ARCH_X86_IOMMU_VTD_REGS_H

#define DMAR_VER_REG     0x00   /* 32 */
#define DMAR_CAP_REG     0x08   /* 64 */
#define DMAR_ECAP_REG    0x10   /* 64 */
#define DMAR_GCMD_REG    0x18   /* 32 */
#define DMAR_GSTS_REG    0x1c   /* 32 */
#define DMAR_RTADDR_REG  0x20   /* 64 */
#define DMAR_FSTS_REG    0x34   /* 32 */
#define DMAR_FECTL_REG   0x38   /* 32 */
#define DMAR_IQH_REG     0x80   /* 64 */
#define DMAR_IQT_REG     0x88   /* 64 */
#define DMAR_IQA_REG     0x90   /* 64 */
#define DMAR_IRTA_REG    0xb8   /* 64 */

/* Global command and status (§11.4.4, §11.4.5): the same bit positions. */
#define DMA_GCMD_TE      (1u << 31)   /* translation enable */
#define DMA_GCMD_SRTP    (1u << 30)   /* set root table pointer (one-shot) */
#define DMA_GCMD_SFL     (1u << 29)   /* one-shot */
#define DMA_GCMD_WBF     (1u << 27)   /* write buffer flush (one-shot) */
#define DMA_GCMD_QIE     (1u << 26)   /* queued invalidation enable */
#define DMA_GCMD_IRE     (1u << 25)   /* interrupt remapping enable */
#define DMA_GCMD_SIRTP   (1u << 24)   /* set interrupt remap table pointer (one-shot) */
#define DMA_GCMD_CFI     (1u << 23)   /* compatibility format interrupts allowed */
#define DMA_GCMD_ONE_SHOT (DMA_GCMD_SRTP | DMA_GCMD_SFL | DMA_GCMD_WBF | DMA_GCMD_SIRTP)
#define DMA_GSTS_WBFS    DMA_GCMD_WBF /* set while the flush is in progress */

/* Fault status (§11.4.9.1). */
#define DMA_FSTS_PFO     (1u << 0)    /* primary fault overflow, write 1 to clear */
#define DMA_FSTS_PPF     (1u << 1)    /* primary pending fault: some record has F */
#define DMA_FSTS_IQE     (1u << 4)    /* invalidation queue error */
#define DMA_FSTS_ICE     (1u << 5)    /* invalidation completion error */
#define DMA_FSTS_ITE     (1u << 6)    /* invalidation time-out error */
#define DMA_FSTS_FRI(s)  (((s) >> 8) & 0xffu)
#define DMA_FECTL_IM     (1u << 31)   /* fault event interrupt masked */

/* Invalidation queue address (§11.4.10.3): 128-bit descriptors, 2^QS pages. */
#define DMA_IQA_QS_4K    0u
#define DMA_IQ_ENTRIES   256u         /* one 4 KiB page of 16-byte descriptors */
#define DMA_IQT_SHIFT    4            /* IQT/IQH hold the index in bits 18:4 */

/* Interrupt remapping table address (§11.4.10.5). */
#define DMA_IRTA_EIME    (1ull << 11) /* extended (x2APIC) interrupt mode */

#endif
