/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The fixed ACPI tables around the DSDT (contracts in tables.h). Field
 * offsets are those of ACPI 6.x §5.2.5.3 (RSDP), §5.2.6 (header), §5.2.8
 * (XSDT), §5.2.9 (FADT, revision 6: 276 bytes) and §5.2.12 (MADT), and
 * the PCI Firmware Specification 3.2 §4.1.2 (MCFG).
 */
#include <stdbool.h>

#include "acpi/dsdt.h"
#include "acpi/tables.h"
#include "bulkhead/errno.h"

#define OEM_ID        "BLKHD "     /* 6 bytes */
#define OEM_TABLE_ID  "BULKHEAD"   /* 8 bytes */
#define CREATOR_ID    "BLKH"
#define OEM_REVISION  1
#define CREATOR_REVISION 1

#define FADT_REVISION       6
#define FADT_MINOR_REVISION 3       /* ACPI 6.3 */
#define FADT_LEN            276
#define FADT_DSDT           40
#define FADT_IAPC_BOOT_ARCH 109
#define FADT_FLAGS          112
#define FADT_RESET_REG      116     /* a 12-byte Generic Address Structure */
#define FADT_RESET_VALUE    128
#define FADT_SLEEP_CONTROL  244     /* GAS */
#define FADT_SLEEP_STATUS   256     /* GAS */
#define FADT_RESET_REG_SUP  (1u << 10)
#define GAS_SYSTEM_IO       1
#define GAS_ACCESS_BYTE     1
#define FADT_MINOR_VERSION  131
#define FADT_X_DSDT         140
#define FADT_HYPERVISOR_ID  268

#define MADT_REVISION       5
#define MADT_LOCAL_APIC     0
#define MADT_IO_APIC        1
#define MADT_INT_OVERRIDE   2
#define MADT_ENABLED        1u      /* Local APIC flags: usable now */
/* MPS INTI flags of an override (§5.2.12.5): polarity bits 1:0, trigger
 * bits 3:2, each 1 = high/edge and 3 = low/level. */
#define MPS_ACTIVE_HIGH     0x1u
#define MPS_LEVEL           0xcu

#define XSDT_REVISION       1
#define MCFG_REVISION       1
#define DSDT_REVISION       2       /* 64-bit integers in AML */

uint8_t acpi_sum(const uint8_t *bytes, size_t n)
{
	uint8_t s = 0;
	for (size_t i = 0; i < n; i++)
		s = (uint8_t)(s + bytes[i]);
	return s;
}

/* Writes a header with length and checksum 0; returns where it starts. */
static size_t header_begin(struct byte_writer *w, const char sig[4], uint8_t revision)
{
	bw_align(w, 8);
	size_t at = w->len;
	bw_bytes(w, sig, 4);
	bw_u32(w, 0);            /* length, set by header_end */
	bw_u8(w, revision);
	bw_u8(w, 0);             /* checksum, set by header_end */
	bw_bytes(w, OEM_ID, 6);
	bw_bytes(w, OEM_TABLE_ID, 8);
	bw_u32(w, OEM_REVISION);
	bw_bytes(w, CREATOR_ID, 4);
	bw_u32(w, CREATOR_REVISION);
	return at;
}

/* Sets the table's length and makes its bytes sum to zero. */
static size_t header_end(struct byte_writer *w, size_t at)
{
	if (w->overflow)
		return 0;
	size_t len = w->len - at;
	bw_patch_le(w, at + 4, len, 4);
	w->buf[at + 9] = (uint8_t)(0 - acpi_sum(w->buf + at, len));
	return len;
}

static void write_zeros(struct byte_writer *w, size_t n)
{
	for (size_t i = 0; i < n; i++)
		bw_u8(w, 0);
}

/* A Generic Address Structure (§5.2.3.2) for one 8-bit I/O port. */
static void patch_gas_port8(struct byte_writer *w, size_t at, uint16_t port)
{
	bw_patch_le(w, at, GAS_SYSTEM_IO, 1);
	bw_patch_le(w, at + 1, 8, 1);                 /* register bit width */
	bw_patch_le(w, at + 2, 0, 1);                 /* bit offset */
	bw_patch_le(w, at + 3, GAS_ACCESS_BYTE, 1);
	bw_patch_le(w, at + 4, port, 8);
}

static size_t write_fadt(struct byte_writer *w, uint64_t dsdt_gpa, const struct acpi_platform *p)
{
	size_t at = header_begin(w, "FACP", FADT_REVISION);
	write_zeros(w, FADT_LEN - ACPI_HEADER_LEN);
	if (w->overflow)
		return 0;
	/* HW-reduced: no PM blocks, no SCI, no FACS. Linux then installs no
	 * legacy PIC and no PIT clockevent and calibrates its LAPIC timer
	 * against the TSC (docs/monitor.md). */
	if (dsdt_gpa < 0x100000000ull)
		bw_patch_le(w, at + FADT_DSDT, dsdt_gpa, 4);
	bw_patch_le(w, at + FADT_X_DSDT, dsdt_gpa, 8);
	uint16_t boot_arch = ACPI_IAPC_VGA_NOT_PRESENT;   /* no legacy devices, no 8042 */
	if (!p->has_rtc)
		boot_arch |= ACPI_IAPC_CMOS_RTC_NOT_PRESENT;
	bw_patch_le(w, at + FADT_IAPC_BOOT_ARCH, boot_arch, 2);
	uint32_t flags = ACPI_FADT_HW_REDUCED_ACPI;
	if (p->has_power) {
		/* HW-reduced sleep and reset (§4.8.3.7, §4.8.3.6): Linux's
		 * poweroff writes SLP_TYP of _S5_ with SLP_EN to the control
		 * register, and offers S5 only when both registers exist. */
		patch_gas_port8(w, at + FADT_SLEEP_CONTROL, p->sleep_control_port);
		patch_gas_port8(w, at + FADT_SLEEP_STATUS, p->sleep_status_port);
		patch_gas_port8(w, at + FADT_RESET_REG, p->reset_port);
		bw_patch_le(w, at + FADT_RESET_VALUE, p->reset_value, 1);
		flags |= FADT_RESET_REG_SUP;
	}
	bw_patch_le(w, at + FADT_FLAGS, flags, 4);
	bw_patch_le(w, at + FADT_MINOR_VERSION, FADT_MINOR_REVISION, 1);
	bw_patch_le(w, at + FADT_HYPERVISOR_ID, 0x444145484b4c5542ull, 8);   /* "BULKHEAD" */
	return header_end(w, at);
}

static void madt_override(struct byte_writer *w, uint32_t gsi, enum acpi_trigger trigger)
{
	bw_u8(w, MADT_INT_OVERRIDE);
	bw_u8(w, 10);
	bw_u8(w, 0);                 /* bus: ISA */
	bw_u8(w, (uint8_t)gsi);      /* source: the ISA IRQ of the same number */
	bw_u32(w, gsi);
	bw_u16(w, (uint16_t)(MPS_ACTIVE_HIGH | (trigger == ACPI_LEVEL_HIGH ? MPS_LEVEL : 0x4u)));
}

static size_t write_madt(struct byte_writer *w, const struct acpi_platform *p)
{
	size_t at = header_begin(w, "APIC", MADT_REVISION);
	bw_u32(w, p->lapic_base);
	bw_u32(w, 0);   /* flags: no PCAT_COMPAT, there are no 8259 PICs */
	for (unsigned cpu = 0; cpu < p->nvcpus; cpu++) {
		bw_u8(w, MADT_LOCAL_APIC);
		bw_u8(w, 8);
		bw_u8(w, (uint8_t)cpu);   /* ACPI processor UID */
		bw_u8(w, (uint8_t)cpu);   /* APIC ID */
		bw_u32(w, MADT_ENABLED);
	}
	bw_u8(w, MADT_IO_APIC);
	bw_u8(w, 12);
	bw_u8(w, p->ioapic_id);
	bw_u8(w, 0);
	bw_u32(w, p->ioapic_base);
	bw_u32(w, p->ioapic_gsi_base);
	/* Linux treats GSIs 0-15 as ISA lines, edge-triggered active-high,
	 * unless an override says otherwise; a level-triggered virtio line
	 * among them needs one. */
	for (unsigned i = 0; i < p->nvirtio; i++)
		if (p->virtio[i].gsi < 16 && p->virtio[i].trigger != ACPI_EDGE_HIGH)
			madt_override(w, p->virtio[i].gsi, p->virtio[i].trigger);
	return header_end(w, at);
}

/* One ECAM allocation: segment 0, buses 0-0, at ecam_base. */
static size_t write_mcfg(struct byte_writer *w, const struct acpi_platform *p)
{
	size_t at = header_begin(w, "MCFG", MCFG_REVISION);
	bw_u64(w, 0);               /* reserved */
	bw_u64(w, p->ecam_base);
	bw_u16(w, 0);               /* PCI segment group */
	bw_u8(w, 0);                /* start bus */
	bw_u8(w, 0);                /* end bus */
	bw_u32(w, 0);               /* reserved */
	return header_end(w, at);
}

static size_t write_dsdt(struct byte_writer *w, const struct acpi_platform *p)
{
	size_t at = header_begin(w, "DSDT", DSDT_REVISION);
	acpi_write_dsdt_body(w, p);
	return header_end(w, at);
}

static void write_rsdp(struct byte_writer *w, uint64_t xsdt_gpa)
{
	size_t at = w->len;
	bw_bytes(w, "RSD PTR ", 8);
	bw_u8(w, 0);              /* checksum of the first 20 bytes */
	bw_bytes(w, OEM_ID, 6);
	bw_u8(w, 2);              /* revision: ACPI 2.0+, has an XSDT */
	bw_u32(w, 0);             /* no RSDT */
	bw_u32(w, ACPI_RSDP_LEN);
	bw_u64(w, xsdt_gpa);
	bw_u8(w, 0);              /* extended checksum, of all 36 bytes */
	write_zeros(w, 3);
	if (w->overflow)
		return;
	w->buf[at + 8] = (uint8_t)(0 - acpi_sum(w->buf + at, 20));
	w->buf[at + 32] = (uint8_t)(0 - acpi_sum(w->buf + at, ACPI_RSDP_LEN));
}

int acpi_build(const struct acpi_platform *p, uint8_t *buf, size_t cap,
               uint64_t buf_gpa, struct acpi_layout *out)
{
	if (buf_gpa % 16 != 0 || buf_gpa > UINT64_MAX - cap || acpi_platform_check(p) != 0)
		return -BH_EINVAL;
	struct byte_writer w;
	bw_init(&w, buf, cap);
	struct acpi_layout l = { 0 };

	/* RSDP first, then the tables it leads to; the RSDP and XSDT are
	 * written last, once the addresses they hold are known. */
	l.rsdp = 0;
	write_zeros(&w, ACPI_RSDP_LEN);
	l.dsdt = (w.len + 7) & ~(size_t)7;
	l.dsdt_len = write_dsdt(&w, p);
	l.fadt = (w.len + 7) & ~(size_t)7;
	l.fadt_len = write_fadt(&w, buf_gpa + l.dsdt, p);
	l.madt = (w.len + 7) & ~(size_t)7;
	l.madt_len = write_madt(&w, p);
	if (p->has_pci) {
		l.mcfg = (w.len + 7) & ~(size_t)7;
		l.mcfg_len = write_mcfg(&w, p);
	}
	l.xsdt = (w.len + 7) & ~(size_t)7;
	size_t xsdt = header_begin(&w, "XSDT", XSDT_REVISION);
	bw_u64(&w, buf_gpa + l.fadt);
	bw_u64(&w, buf_gpa + l.madt);
	if (p->has_pci)
		bw_u64(&w, buf_gpa + l.mcfg);
	l.xsdt_len = header_end(&w, xsdt);
	l.total = w.len;
	if (w.overflow)
		return -BH_ENOSPC;

	struct byte_writer rsdp;
	bw_init(&rsdp, buf + l.rsdp, ACPI_RSDP_LEN);
	write_rsdp(&rsdp, buf_gpa + l.xsdt);
	l.rsdp_gpa = buf_gpa + l.rsdp;
	*out = l;
	return 0;
}
