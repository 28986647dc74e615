/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * AMD-Vi MMIO registers (AMD IOMMU specification §3.4): offsets and the
 * bits the kernel uses. The register set is 16 KiB.
 */
#ifndef ARCH_X86_IOMMU_AMDVI_REGS_H
#define ARCH_X86_IOMMU_AMDVI_REGS_H

#define AMDVI_MMIO_SIZE        0x4000ull

#define AMDVI_DEV_TABLE_BASE   0x0000   /* base 51:12, Size 8:0 (4 KiB pages - 1) */
#define AMDVI_CMD_BUF_BASE     0x0008   /* base 51:12, ComLen 59:56 (log2 entries) */
#define AMDVI_EVENT_LOG_BASE   0x0010   /* base 51:12, EventLen 59:56 (log2 entries) */
#define AMDVI_CONTROL          0x0018
#define AMDVI_EXT_FEATURES     0x0030
#define AMDVI_CMD_BUF_HEAD     0x2000   /* byte offsets into the buffer, bits 18:4 */
#define AMDVI_CMD_BUF_TAIL     0x2008
#define AMDVI_EVENT_LOG_HEAD   0x2010
#define AMDVI_EVENT_LOG_TAIL   0x2018
#define AMDVI_STATUS           0x2020

#define AMDVI_LEN_SHIFT        56       /* ComLen and EventLen */
#define AMDVI_RING_PTR_MASK    0x7fff0ull

/* Control register (§3.4.3). */
#define AMDVI_CTRL_IOMMU_EN    (1ull << 0)
#define AMDVI_CTRL_EVENT_LOG_EN (1ull << 2)
#define AMDVI_CTRL_CMD_BUF_EN  (1ull << 12)

/* Extended feature register (§3.4.6). */
#define AMDVI_EFR_IA           (1ull << 6)   /* INVALIDATE_IOMMU_ALL supported */

/* Status register (§3.4.13). */
#define AMDVI_STATUS_EVENT_OVERFLOW (1ull << 0)   /* write 1 to clear */
#define AMDVI_STATUS_EVENT_LOG_INT  (1ull << 1)   /* write 1 to clear */
#define AMDVI_STATUS_COM_WAIT_INT   (1ull << 2)   /* write 1 to clear */
#define AMDVI_STATUS_EVENT_LOG_RUN  (1ull << 3)
#define AMDVI_STATUS_CMD_BUF_RUN    (1ull << 4)

#endif
