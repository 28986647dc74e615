/* SPDX-License-Identifier: GPL-2.0-only */
/* AMD-Vi entry encoders and decoders (contracts in amdvi_entries.h). */
#include <stddef.h>

#include "arch/x86/iommu/amdvi_entries.h"

#define ADDR_MASK_4K   0x000ffffffffff000ull   /* bits 51:12 */
#define DTE_MODE_SHIFT 9                       /* q[0] bits 11:9 */
#define DTE_IRT_MASK   0x000fffffffffffc0ull   /* q[2] bits 51:6 */
#define DTE_INT_TAB_LEN_SHIFT 1                /* q[2] bits 4:1 */
#define DTE_INT_CTL_REMAP (2ull << 60)         /* q[2] bits 61:60 = 10b */
#define PTE_NEXT_LEVEL_SHIFT 9                 /* bits 11:9 */
#define PTE_IR (1ull << 61)
#define PTE_IW (1ull << 62)
#define IRTE_REMAP_EN  (1u << 0)
#define IRTE_DEST_SHIFT 8
#define IRTE_VECTOR_SHIFT 16
#define CMD_OPCODE_SHIFT 60                    /* bits 31:28 of dword 1 */
#define CMD_COMPLETION_WAIT 0x1ull
#define CMD_INV_DEVTAB      0x2ull
#define CMD_INV_PAGES       0x3ull
#define CMD_INV_IRT         0x5ull
#define CMD_INV_ALL         0x8ull
#define CW_STORE            (1ull << 0)
#define CW_ADDR_MASK        0x000ffffffffffff8ull   /* bits 51:3 */
#define INV_PAGES_S         (1ull << 0)
#define INV_PAGES_PDE       (1ull << 1)
#define INV_PAGES_ALL       0x7ffffffffffff000ull   /* with S: every page (§2.4.3) */
#define EVENT_FLAG_I        (1u << 3)              /* flags bit 3: dword 1 bit 19 */
#define EVENT_FLAG_RW       (1u << 5)              /* flags bit 5: dword 1 bit 21 */

/* Contract in amdvi_entries.h. */
struct amdvi_dte amdvi_dte_make(uint64_t root, unsigned mode, uint16_t domain, bool allow,
                                uint64_t irt)
{
	struct amdvi_dte e = { { 0, 0, 0, 0 } };
	e.q[0] = AMDVI_DTE_V | AMDVI_DTE_TV | (uint64_t)(mode & 7) << DTE_MODE_SHIFT |
	         (root & ADDR_MASK_4K) | (allow ? AMDVI_DTE_IR | AMDVI_DTE_IW : 0);
	e.q[1] = domain;
	e.q[2] = AMDVI_DTE_IV | (uint64_t)AMDVI_IRT_LEN_LOG2 << DTE_INT_TAB_LEN_SHIFT |
	         (irt & DTE_IRT_MASK) | DTE_INT_CTL_REMAP;
	return e;
}

/* Contract in amdvi_entries.h. */
uint64_t amdvi_dte_irt(const struct amdvi_dte *e)
{
	return e->q[2] & DTE_IRT_MASK;
}

/* Contract in amdvi_entries.h. */
uint64_t amdvi_pte_table(uint64_t table, unsigned level)
{
	return AMDVI_PTE_PR | (uint64_t)((level - 1) & 7) << PTE_NEXT_LEVEL_SHIFT |
	       (table & ADDR_MASK_4K) | PTE_IR | PTE_IW;
}

/* Contract in amdvi_entries.h. */
uint64_t amdvi_pte_leaf(uint64_t page, bool writable)
{
	return AMDVI_PTE_PR | (page & ADDR_MASK_4K) | PTE_IR | (writable ? PTE_IW : 0);
}

/* Contract in amdvi_entries.h. */
uint32_t amdvi_irte(uint8_t vector, uint8_t dest)
{
	return IRTE_REMAP_EN | (uint32_t)dest << IRTE_DEST_SHIFT |
	       (uint32_t)vector << IRTE_VECTOR_SHIFT;
}

static struct amdvi_cmd cmd(uint64_t opcode, uint64_t lo, uint64_t hi)
{
	return (struct amdvi_cmd){ lo | opcode << CMD_OPCODE_SHIFT, hi };
}

/* Contract in amdvi_entries.h. */
struct amdvi_cmd amdvi_cmd_completion_wait(uint64_t store_addr, uint64_t data)
{
	return cmd(CMD_COMPLETION_WAIT, (store_addr & CW_ADDR_MASK) | CW_STORE, data);
}

/* Contract in amdvi_entries.h. */
struct amdvi_cmd amdvi_cmd_inv_devtab(uint16_t devid)
{
	return cmd(CMD_INV_DEVTAB, devid, 0);
}

/* Contract in amdvi_entries.h. */
struct amdvi_cmd amdvi_cmd_inv_pages(uint16_t domain)
{
	return cmd(CMD_INV_PAGES, (uint64_t)domain << 32,
	           INV_PAGES_ALL | INV_PAGES_S | INV_PAGES_PDE);
}

/* Contract in amdvi_entries.h. */
struct amdvi_cmd amdvi_cmd_inv_irt(uint16_t devid)
{
	return cmd(CMD_INV_IRT, devid, 0);
}

/* Contract in amdvi_entries.h. */
struct amdvi_cmd amdvi_cmd_inv_all(void)
{
	return cmd(CMD_INV_ALL, 0, 0);
}

/* Contract in amdvi_entries.h. */
struct amdvi_event amdvi_event_decode(struct amdvi_cmd e)
{
	uint32_t dw1 = (uint32_t)(e.lo >> 32);
	uint16_t flags = (uint16_t)((dw1 >> 16) & 0xfff);
	return (struct amdvi_event){
		.code = (uint8_t)(dw1 >> 28),
		.devid = (uint16_t)e.lo,
		.domain = (uint16_t)dw1,
		.flags = flags,
		.write = (flags & EVENT_FLAG_RW) != 0,
		.interrupt = (flags & EVENT_FLAG_I) != 0,
		.address = e.hi,
	};
}

/* Contract in amdvi_entries.h. */
const char *amdvi_event_name(uint8_t code)
{
	static const char *const names[] = {
		[1] = "ILLEGAL_DEV_TABLE_ENTRY", [2] = "IO_PAGE_FAULT",
		[3] = "DEV_TAB_HARDWARE_ERROR", [4] = "PAGE_TAB_HARDWARE_ERROR",
		[5] = "ILLEGAL_COMMAND_ERROR", [6] = "COMMAND_HARDWARE_ERROR",
		[7] = "IOTLB_INV_TIMEOUT", [8] = "INVALID_DEVICE_REQUEST",
	};
	return code < sizeof(names) / sizeof(names[0]) ? names[code] : NULL;
}
