/* SPDX-License-Identifier: GPL-2.0-only */
/* VT-d entry formats and register decoding (contracts in vtd_entries.h). */
#include <stddef.h>

#include <bulkhead/errno.h>

#include "arch/x86/iommu/vtd_entries.h"

#define ADDR_4K_MASK 0x000ffffffffff000ull   /* bits 51:12 */

static uint64_t bits(uint64_t v, unsigned hi, unsigned lo)
{
	return (v >> lo) & ((1ull << (hi - lo + 1)) - 1);
}

/* CAP (§11.4.2) and ECAP (§11.4.3) fields. */
#define CAP_ND(c)      bits(c, 2, 0)
#define CAP_RWBF(c)    bits(c, 4, 4)
#define CAP_CM(c)      bits(c, 7, 7)
#define CAP_SAGAW(c)   bits(c, 12, 8)
#define CAP_FRO(c)     bits(c, 33, 24)
#define CAP_SLLPS(c)   bits(c, 37, 34)
#define CAP_NFR(c)     bits(c, 47, 40)
#define SAGAW_39_3LVL  (1u << 1)
#define SAGAW_48_4LVL  (1u << 2)
#define ECAP_C(e)      bits(e, 0, 0)
#define ECAP_QI(e)     bits(e, 1, 1)
#define ECAP_IR(e)     bits(e, 3, 3)

/* Contract in vtd_entries.h. */
int vtd_caps_decode(uint64_t cap, uint64_t ecap, struct vtd_caps *out, const char **why)
{
	*out = (struct vtd_caps){
		.large_2m = CAP_SLLPS(cap) & 1,
		.caching_mode = CAP_CM(cap),
		.write_buffer_flush = CAP_RWBF(cap),
		.coherent = ECAP_C(ecap),
		.domains = 1u << (4 + 2 * CAP_ND(cap)),
		.fault_offset = (uint32_t)CAP_FRO(cap) * 16,
		.fault_count = (uint32_t)CAP_NFR(cap) + 1,
	};
	if (CAP_SAGAW(cap) & SAGAW_48_4LVL)
		out->levels = 4;
	else if (CAP_SAGAW(cap) & SAGAW_39_3LVL)
		out->levels = 3;
	if (!ECAP_QI(ecap)) {
		*why = "the unit has no queued invalidation";
		return -BH_ENOSYS;
	}
	if (!ECAP_IR(ecap)) {
		*why = "the unit has no interrupt remapping";
		return -BH_ENOSYS;
	}
	if (!out->levels) {
		*why = "the unit walks neither 3- nor 4-level second-level tables";
		return -BH_ENOSYS;
	}
	return 0;
}

/* Root entry (§9.1): P in bit 0, the context table in 63:12. */
struct vtd_entry vtd_root_entry(uint64_t context_table)
{
	return (struct vtd_entry){ .lo = (context_table & ADDR_4K_MASK) | 1, .hi = 0 };
}

/*
 * Context entry (§9.3): P bit 0, FPD bit 1 clear (faults are recorded),
 * TT bits 3:2 = 00, SLPTPTR 63:12; AW in bits 66:64 (1: 39-bit 3-level,
 * 2: 48-bit 4-level), DID in bits 87:72.
 */
struct vtd_entry vtd_context_entry(uint64_t sl_root, unsigned levels, uint16_t did)
{
	return (struct vtd_entry){
		.lo = (sl_root & ADDR_4K_MASK) | 1,
		.hi = (uint64_t)(levels - 2) | (uint64_t)did << 8,
	};
}

/*
 * IRTE (§9.10): P bit 0, FPD 1, DM 2 (0: physical), RH 3, TM 4 (0: edge),
 * DLM 7:5 (000: fixed), IM 15 (0: remapped), V 23:16, DST 63:32 with an
 * xAPIC id in 47:40; SID 79:64, SQ 81:80 (00: all 16 bits compared),
 * SVT 83:82 (01: verify the requester id against SID and SQ).
 */
struct vtd_entry vtd_irte(uint8_t vector, uint8_t dest, uint16_t sid)
{
	return (struct vtd_entry){
		.lo = 1 | (uint64_t)vector << 16 | (uint64_t)dest << 40,
		.hi = (uint64_t)sid | 1ull << 18,
	};
}

/* Contract in vtd_entries.h. */
uint64_t vtd_msi_address(uint16_t handle)
{
	return 0xfee00000ull | (uint64_t)(handle & 0x7fff) << 5 | 1u << 4 | 1u << 3 |
	       (uint64_t)(handle >> 15) << 2;
}

/* Descriptor types (§6.5.2) and granularities in bits 5:4. */
#define QI_CC_TYPE      0x1
#define QI_IOTLB_TYPE   0x2
#define QI_IEC_TYPE     0x4
#define QI_IWD_TYPE     0x5
#define QI_GRAN_GLOBAL  (1ull << 4)
#define QI_GRAN_DOMAIN  (2ull << 4)
#define QI_GRAN_DEVICE  (3ull << 4)
#define QI_IOTLB_DW     (1ull << 6)
#define QI_IOTLB_DR     (1ull << 7)
#define QI_IEC_INDEX    (1ull << 4)
#define QI_IWD_SW       (1ull << 5)

struct vtd_entry vtd_qi_context_global(void)
{
	return (struct vtd_entry){ .lo = QI_CC_TYPE | QI_GRAN_GLOBAL };
}

/* Device-selective: DID 31:16, SID 47:32, function mask 49:48 = 0. */
struct vtd_entry vtd_qi_context_device(uint16_t did, uint16_t sid)
{
	return (struct vtd_entry){
		.lo = QI_CC_TYPE | QI_GRAN_DEVICE | (uint64_t)did << 16 | (uint64_t)sid << 32,
	};
}

struct vtd_entry vtd_qi_iotlb_global(void)
{
	return (struct vtd_entry){
		.lo = QI_IOTLB_TYPE | QI_GRAN_GLOBAL | QI_IOTLB_DW | QI_IOTLB_DR,
	};
}

struct vtd_entry vtd_qi_iotlb_domain(uint16_t did)
{
	return (struct vtd_entry){
		.lo = QI_IOTLB_TYPE | QI_GRAN_DOMAIN | QI_IOTLB_DW | QI_IOTLB_DR |
		      (uint64_t)did << 16,
	};
}

struct vtd_entry vtd_qi_iec_global(void)
{
	return (struct vtd_entry){ .lo = QI_IEC_TYPE };
}

/* Index-selective: IIDX 47:32, index mask 31:27 = 0 (one entry). */
struct vtd_entry vtd_qi_iec_index(uint16_t index)
{
	return (struct vtd_entry){ .lo = QI_IEC_TYPE | QI_IEC_INDEX | (uint64_t)index << 32 };
}

/* Status write (SW) of status data 63:32 to the address in 127:66. */
struct vtd_entry vtd_qi_wait(uint64_t status_addr, uint32_t status)
{
	return (struct vtd_entry){
		.lo = QI_IWD_TYPE | QI_IWD_SW | (uint64_t)status << 32,
		.hi = status_addr & ~3ull,
	};
}

/*
 * Fault recording register: FI in 63:12 of the low quadword; in the high
 * one SID 15:0, FR 39:32, T 62 (0: write), F 63.
 */
struct vtd_fault vtd_fault_decode(uint64_t lo, uint64_t hi)
{
	return (struct vtd_fault){
		.pending = hi >> 63,
		.write = !((hi >> 62) & 1),
		.sid = (uint16_t)hi,
		.reason = (uint8_t)(hi >> 32),
		.address = lo & ~0xfffull,
	};
}

/* Contract in vtd_entries.h. */
const char *vtd_fault_reason(uint8_t reason)
{
	switch (reason) {
	case 0x01: return "root entry not present";
	case 0x02: return "context entry not present";
	case 0x03: return "context entry invalid";
	case 0x04: return "address beyond the domain's width";
	case 0x05: return "write not allowed";
	case 0x06: return "read not allowed";
	case 0x07: return "page table not accessible";
	case 0x0c: return "page table entry reserved bits set";
	case 0x20: return "interrupt request reserved bits set";
	case 0x21: return "interrupt index beyond the table";
	case 0x22: return "interrupt entry not present";
	case 0x23: return "interrupt table not accessible";
	case 0x24: return "interrupt entry reserved bits set";
	case 0x25: return "compatibility-format interrupt blocked";
	case 0x26: return "interrupt source id verification failed";
	default:   return NULL;
	}
}
