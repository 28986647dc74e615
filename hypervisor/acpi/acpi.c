/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * RSDP -> XSDT/RSDT -> FADT -> DSDT, for the power-off and reset registers
 * (ACPI 6.4 §5.2). Firmware tables are input, not trusted: every table we
 * use is checked for signature, length and checksum, and every field read
 * is bounded by the length the checksum covered. Values are read byte by
 * byte, so tables need no alignment.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <bulkhead/errno.h>

#include "acpi/acpi.h"
#include "lib/string.h"

#define SDT_HEADER_LEN  36u   /* §5.2.6 System Description Table Header */
#define RSDP_V1_LEN     20u   /* §5.2.5.3: the part the first checksum covers */
#define RSDP_V2_LEN     36u

/* FADT field offsets (§5.2.9, Table 5.9). */
#define FADT_DSDT          40u
#define FADT_PM1A_CNT_BLK  64u
#define FADT_PM1B_CNT_BLK  68u
#define FADT_FLAGS        112u
#define FADT_RESET_REG    116u
#define FADT_RESET_VALUE  128u
#define FADT_X_DSDT       140u
#define FADT_X_PM1A_CNT   172u
#define FADT_X_PM1B_CNT   184u

#define FADT_RESET_REG_SUP (1u << 10)

/* Generic Address Structure (§5.2.3.2): 12 bytes. */
#define GAS_LEN        12u
#define GAS_SPACE_IO    1u   /* System I/O */
#define GAS_ADDRESS     4u   /* offset of the 64-bit address */

/* AML encodings (§20.2). */
#define AML_ZERO_OP     0x00
#define AML_NAME_OP     0x08
#define AML_BYTE_PREFIX 0x0a
#define AML_WORD_PREFIX 0x0b
#define AML_DWORD_PREFIX 0x0c
#define AML_QWORD_PREFIX 0x0e
#define AML_PACKAGE_OP  0x12
#define AML_ROOT_CHAR   '\\'
#define AML_ONES_OP     0xff

/* SLP_TYPx is a 3-bit field of PM1x_CNT (§4.8, bits 12:10). */
#define SLP_TYP_MAX     7u

struct table {
	const uint8_t *p;
	uint32_t len;
};

struct mapper {
	acpi_map_fn fn;
	void *ctx;
};

static uint64_t rd_le(const uint8_t *p, unsigned bytes)
{
	uint64_t v = 0;
	for (unsigned i = 0; i < bytes; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

/* Field of `bytes` at off, if the table is long enough to hold it. */
static bool field(const struct table *t, uint32_t off, unsigned bytes, uint64_t *v)
{
	if (off > t->len || bytes > t->len - off)
		return false;
	*v = rd_le(t->p + off, bytes);
	return true;
}

static uint8_t sum8(const uint8_t *p, uint32_t len)
{
	uint8_t s = 0;
	for (uint32_t i = 0; i < len; i++)
		s += p[i];
	return s;
}

static const uint8_t *map(const struct mapper *m, uint64_t phys, uint64_t len)
{
	if (len == 0 || phys + (len - 1) < phys)
		return NULL;
	return m->fn(m->ctx, phys, len);
}

/*
 * Maps the whole structure at phys, whose 32-bit length field is at
 * len_off, and checks its signature (unless sig is NULL), that its length
 * is at least min_len, and its checksum (all bytes sum to zero: §5.2.5.3
 * for the RSDP, §5.2.6 for the tables).
 */
static int map_summed(const struct mapper *m, uint64_t phys, const char *sig,
                      uint32_t min_len, unsigned len_off, struct table *t)
{
	const uint8_t *h = map(m, phys, min_len);
	if (!h)
		return -BH_EFAULT;
	if (sig && memcmp(h, sig, 4) != 0)
		return -BH_EINVAL;
	uint32_t len = (uint32_t)rd_le(h + len_off, 4);
	if (len < min_len)
		return -BH_EINVAL;
	const uint8_t *p = map(m, phys, len);
	if (!p)
		return -BH_EFAULT;
	if (sum8(p, len) != 0)
		return -BH_EINVAL;
	*t = (struct table){ .p = p, .len = len };
	return 0;
}

/* A system description table with its header (§5.2.6). */
static int map_table(const struct mapper *m, uint64_t phys, const char *sig,
                     struct table *t)
{
	return map_summed(m, phys, sig, SDT_HEADER_LEN, 4, t);
}

/* The root table (XSDT or RSDT) named by the RSDP (§5.2.5). */
static int read_rsdp(const struct mapper *m, uint64_t rsdp_phys,
                     struct table *root, unsigned *entry_size)
{
	if (rsdp_phys == 0)
		return -BH_ENOENT;
	const uint8_t *p = map(m, rsdp_phys, RSDP_V1_LEN);
	if (!p)
		return -BH_EFAULT;
	if (memcmp(p, "RSD PTR ", 8) != 0 || sum8(p, RSDP_V1_LEN) != 0)
		return -BH_EINVAL;
	uint32_t rsdt = (uint32_t)rd_le(p + 16, 4);

	if (p[15] >= 2) {
		/* ACPI 2.0+: the extended RSDP, its length at offset 20. */
		struct table x;
		int err = map_summed(m, rsdp_phys, NULL, RSDP_V2_LEN, 20, &x);
		if (err)
			return err;
		uint64_t xsdt = rd_le(x.p + 24, 8);
		if (xsdt != 0) {
			*entry_size = 8;
			return map_table(m, xsdt, "XSDT", root);
		}
	}
	if (rsdt == 0)
		return -BH_ENOENT;
	*entry_size = 4;
	return map_table(m, rsdt, "RSDT", root);
}

/* The first table with signature sig in the root table (§5.2.7, §5.2.8). */
static int find_table(const struct mapper *m, const struct table *root,
                      unsigned entry_size, const char *sig, struct table *found)
{
	uint32_t n = (root->len - SDT_HEADER_LEN) / entry_size;
	for (uint32_t i = 0; i < n; i++) {
		uint64_t phys = rd_le(root->p + SDT_HEADER_LEN + i * entry_size, entry_size);
		if (phys == 0)
			continue;
		const uint8_t *h = map(m, phys, SDT_HEADER_LEN);
		if (!h)
			return -BH_EFAULT;
		if (memcmp(h, sig, 4) == 0)
			return map_table(m, phys, sig, found);
	}
	return -BH_ENOENT;
}

/* A port from a GAS at off: only System I/O with a 16-bit address is usable. */
static bool gas_port(const struct table *t, uint32_t off, uint16_t *port)
{
	uint64_t space, addr;
	if (!field(t, off, 1, &space) || !field(t, off + GAS_ADDRESS, 8, &addr) ||
	    off + GAS_LEN > t->len)
		return false;
	if (space != GAS_SPACE_IO || addr == 0 || addr > 0xffff)
		return false;
	*port = (uint16_t)addr;
	return true;
}

/* A legacy 32-bit port block field; 0 if absent or not a 16-bit port. */
static uint16_t blk_port(const struct table *t, uint32_t off)
{
	uint64_t v;
	if (!field(t, off, 4, &v) || v > 0xffff)
		return 0;
	return (uint16_t)v;
}

/* PM1x_CNT and RESET_REG from the FADT; X_ fields win when usable (§5.2.9). */
static void read_fadt(const struct table *fadt, struct acpi_power *out)
{
	uint16_t port;
	out->pm1a_cnt = blk_port(fadt, FADT_PM1A_CNT_BLK);
	if (gas_port(fadt, FADT_X_PM1A_CNT, &port))
		out->pm1a_cnt = port;
	out->pm1b_cnt = blk_port(fadt, FADT_PM1B_CNT_BLK);
	if (gas_port(fadt, FADT_X_PM1B_CNT, &port))
		out->pm1b_cnt = port;

	uint64_t flags, value;
	if (field(fadt, FADT_FLAGS, 4, &flags) && (flags & FADT_RESET_REG_SUP) &&
	    field(fadt, FADT_RESET_VALUE, 1, &value) &&
	    gas_port(fadt, FADT_RESET_REG, &port)) {
		out->reset_valid = true;
		out->reset_port = port;
		out->reset_value = (uint8_t)value;
	}
}

/* X_DSDT if present and nonzero, else DSDT; 0 if neither. */
static uint64_t dsdt_addr(const struct table *fadt)
{
	uint64_t v;
	if (field(fadt, FADT_X_DSDT, 8, &v) && v != 0)
		return v;
	if (field(fadt, FADT_DSDT, 4, &v))
		return v;
	return 0;
}

/*
 * One package element as a SLP_TYP value, advancing *j; reads stay below
 * end. ByteConst/WordConst/DWordConst/QWordConst (§20.2.3), ZeroOp and
 * OneOp, and (as some firmware has it) a bare byte are accepted; the value
 * must fit SLP_TYPx.
 */
static bool s5_element(const uint8_t *aml, size_t end, size_t *j, uint8_t *out)
{
	if (*j >= end)
		return false;
	uint8_t op = aml[*j];
	unsigned width;
	switch (op) {
	case AML_BYTE_PREFIX:  width = 1; break;
	case AML_WORD_PREFIX:  width = 2; break;
	case AML_DWORD_PREFIX: width = 4; break;
	case AML_QWORD_PREFIX: width = 8; break;
	case AML_ONES_OP:      return false;
	default:               width = 0; break;   /* ZeroOp, OneOp, bare byte */
	}
	uint64_t v = op;
	if (width) {
		if (width >= end - *j)
			return false;
		v = rd_le(aml + *j + 1, width);
	}
	*j += 1 + width;
	if (v > SLP_TYP_MAX)
		return false;
	*out = (uint8_t)v;
	return true;
}

/*
 * Decodes "Name(_S5_, Package(n) { a, b, ... })" at aml[i] = '_' of "_S5_":
 *   NameOp ['\'] "_S5_" PackageOp PkgLength NumElements a b ...
 * PkgLength (§20.2.4) counts itself and the package body; a package that
 * claims to run past the table is rejected.
 */
static bool s5_at(const uint8_t *aml, size_t len, size_t i, uint8_t *a, uint8_t *b)
{
	bool named = (i >= 1 && aml[i - 1] == AML_NAME_OP) ||
	             (i >= 2 && aml[i - 1] == AML_ROOT_CHAR && aml[i - 2] == AML_NAME_OP);
	size_t j = i + 4;
	if (!named || j >= len || aml[j] != AML_PACKAGE_OP)
		return false;
	j++;
	if (j >= len)
		return false;

	size_t start = j;
	unsigned follow = aml[j] >> 6;
	if (follow >= len - j)
		return false;
	uint32_t pkglen = follow ? aml[j] & 0x0f : aml[j] & 0x3f;
	for (unsigned k = 1; k <= follow; k++)
		pkglen |= (uint32_t)aml[j + k] << (4 + 8 * (k - 1));
	if (pkglen > len - start)
		return false;
	size_t end = start + pkglen;
	j += 1 + follow;

	if (j >= end || aml[j] < 2)   /* NumElements: SLP_TYPa and SLP_TYPb */
		return false;
	j++;
	return s5_element(aml, end, &j, a) && s5_element(aml, end, &j, b);
}

/*
 * Searches the DSDT's AML for the \_S5 object (§7.4.2). Not an AML
 * interpreter: it finds the usual static definition and nothing else
 * (an _S5 built by a method is not found, and s5_valid stays false).
 */
static bool find_s5(const struct table *dsdt, uint8_t *a, uint8_t *b)
{
	const uint8_t *aml = dsdt->p + SDT_HEADER_LEN;
	size_t len = dsdt->len - SDT_HEADER_LEN;
	for (size_t i = 0; len >= 4 && i <= len - 4; i++)
		if (memcmp(aml + i, "_S5_", 4) == 0 && s5_at(aml, len, i, a, b))
			return true;
	return false;
}

/*
 * Contract in acpi.h. If the FADT is good but the DSDT it names fails its
 * checks, the error is returned and *out still holds what the FADT gave
 * (PM1 ports, reset register), with s5_valid false. A FADT that names no
 * DSDT is not an error: s5_valid just stays false.
 */
int acpi_read_power(uint64_t rsdp_phys, acpi_map_fn map_fn, void *ctx,
                    struct acpi_power *out)
{
	if (!out || !map_fn)
		return -BH_EINVAL;
	memset(out, 0, sizeof(*out));
	struct mapper m = { .fn = map_fn, .ctx = ctx };

	struct table root, fadt, dsdt;
	unsigned entry_size;
	int err = read_rsdp(&m, rsdp_phys, &root, &entry_size);
	if (err)
		return err;
	err = find_table(&m, &root, entry_size, "FACP", &fadt);
	if (err)
		return err;
	read_fadt(&fadt, out);

	uint64_t dsdt_phys = dsdt_addr(&fadt);
	if (dsdt_phys == 0)
		return 0;
	err = map_table(&m, dsdt_phys, "DSDT", &dsdt);
	if (err)
		return err;
	uint8_t a, b;
	if (out->pm1a_cnt != 0 && find_s5(&dsdt, &a, &b)) {
		out->s5_valid = true;
		out->slp_typa = a;
		out->slp_typb = b;
	}
	return 0;
}

/* Contract in acpi.h. */
int acpi_find_table(uint64_t rsdp_phys, const char *sig, acpi_map_fn map_fn, void *ctx,
                    const uint8_t **table, uint32_t *len)
{
	if (!sig || !map_fn || !table || !len)
		return -BH_EINVAL;
	struct mapper m = { .fn = map_fn, .ctx = ctx };
	struct table root, found;
	unsigned entry_size;
	int err = read_rsdp(&m, rsdp_phys, &root, &entry_size);
	if (!err)
		err = find_table(&m, &root, entry_size, sig, &found);
	if (err)
		return err;
	*table = found.p;
	*len = found.len;
	return 0;
}

/* MADT layout (ACPI 6.5 §5.2.12): the header, local APIC address and
 * flags, then entries of type and length. */
#define MADT_ENTRIES       44u
#define MADT_LOCAL_APIC    0u    /* flags at byte 4 */
#define MADT_LOCAL_X2APIC  9u    /* flags at byte 8 */
#define MADT_CPU_ENABLED   0x1u
#define MADT_CPU_ONLINE_CAPABLE 0x2u

int acpi_madt_count_cpus(const uint8_t *madt, uint32_t len, unsigned *cpus)
{
	unsigned n = 0;
	if (!madt || len < MADT_ENTRIES)
		return -BH_EINVAL;
	for (uint32_t at = MADT_ENTRIES; at < len;) {
		if (len - at < 2 || madt[at + 1] < 2 || madt[at + 1] > len - at)
			return -BH_EINVAL;
		uint8_t type = madt[at], elen = madt[at + 1];
		unsigned flags_at = type == MADT_LOCAL_APIC ? 4 : type == MADT_LOCAL_X2APIC ? 8 : 0;
		if (flags_at && elen >= flags_at + 4 &&
		    (madt[at + flags_at] & (MADT_CPU_ENABLED | MADT_CPU_ONLINE_CAPABLE)))
			n++;
		at += elen;
	}
	*cpus = n;
	return 0;
}
