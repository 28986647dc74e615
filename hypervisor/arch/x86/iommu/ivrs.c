/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * IVRS parser (contract in ivrs.h). Layout from the AMD IOMMU
 * specification §5.2.1 (the table), §5.2.2 (IVHD blocks) and §5.2.2.2
 * (device entries). Values are read byte by byte, so the table needs no
 * alignment.
 */
#include <stddef.h>

#include <bulkhead/errno.h>

#include "arch/x86/iommu/ivrs.h"
#include "lib/string.h"

#define IVRS_HEADER_LEN   48u   /* ACPI header (36), IVinfo (4), reserved (8) */
#define IVRS_IVINFO       36u
#define BLOCK_HEADER_LEN   4u   /* type, flags, length (2) */
#define IVHD_DEVID         4u
#define IVHD_CAP_OFFSET    6u
#define IVHD_BASE          8u
#define IVHD_SEGMENT      16u
#define IVHD_EFR          24u
#define IVHD_10_LEN       24u   /* fixed fields before the device entries */
#define IVHD_11_LEN       40u   /* 11h and 40h add the EFR image and a reserved quadword */
#define BASE_ALIGN_MASK 0x3fffull

/* Device entry types (§5.2.2.2, Table 94 onwards). */
#define DEV_PAD            0x00
#define DEV_ALL            0x01
#define DEV_SELECT         0x02
#define DEV_START          0x03
#define DEV_END            0x04
#define DEV_ALIAS_SELECT   0x42
#define DEV_ALIAS_START    0x43
#define DEV_EXT_SELECT     0x46
#define DEV_EXT_START      0x47
#define DEV_SPECIAL        0x48
#define DEV_ACPI_HID       0xf0
#define ACPI_HID_UID_LEN   21u  /* byte holding the UID's length */
#define ACPI_HID_LEN       22u  /* fixed bytes before the UID */

static uint64_t rd_le(const uint8_t *p, unsigned bytes)
{
	uint64_t v = 0;
	for (unsigned i = 0; i < bytes; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

static bool is_ivhd(uint8_t type)
{
	return type == IVHD_TYPE_10 || type == IVHD_TYPE_11 || type == IVHD_TYPE_40;
}

static int add_range(struct ivrs_unit *u, uint16_t first, uint16_t last, const char **why)
{
	if (u->nranges == IVRS_MAX_RANGES) {
		*why = "an IVHD has more device ranges than the kernel keeps";
		return -BH_E2BIG;
	}
	u->ranges[u->nranges++] = (struct ivrs_range){ first, last };
	return 0;
}

/* Bytes of the device entry at e (avail bytes left), or 0 if its type has no known length. */
static uint32_t entry_len(const uint8_t *e, uint32_t avail)
{
	if (e[0] < 0x40)
		return 4;
	if (e[0] < 0x80)
		return 8;
	if (e[0] == DEV_ACPI_HID && avail > ACPI_HID_UID_LEN)
		return ACPI_HID_LEN + e[ACPI_HID_UID_LEN];
	return e[0] == DEV_ACPI_HID ? ACPI_HID_LEN : 0;
}

/* The device entries of one IVHD, in p[0..len). */
static int parse_entries(const uint8_t *p, uint32_t len, struct ivrs_unit *u,
                         const char **why)
{
	bool open = false;        /* a range start waits for its end */
	uint16_t start = 0;
	for (uint32_t off = 0; off < len;) {
		const uint8_t *e = p + off;
		uint32_t elen = entry_len(e, len - off);
		if (!elen) {
			*why = "an IVHD has a device entry of a type whose length is unknown";
			return -BH_EINVAL;
		}
		if (elen > len - off) {
			*why = "a device entry runs past its IVHD";
			return -BH_EINVAL;
		}
		uint16_t devid = (uint16_t)rd_le(e + 1, 2);
		if (open && e[0] != DEV_END) {
			*why = "a device range start is not followed by its end";
			return -BH_EINVAL;
		}
		int err = 0;
		switch (e[0]) {
		case DEV_ALL:
			err = add_range(u, 0, 0xffff, why);
			break;
		case DEV_SELECT:
		case DEV_EXT_SELECT:
			err = add_range(u, devid, devid, why);
			break;
		case DEV_ALIAS_SELECT:
			/* The unit sees the function's requests under the alias. */
			err = add_range(u, devid, devid, why);
			if (!err)
				err = add_range(u, (uint16_t)rd_le(e + 5, 2), (uint16_t)rd_le(e + 5, 2), why);
			break;
		case DEV_ALIAS_START:
			err = add_range(u, (uint16_t)rd_le(e + 5, 2), (uint16_t)rd_le(e + 5, 2), why);
			open = true;   /* and the range itself, closed by the next entry */
			start = devid;
			break;
		case DEV_START:
		case DEV_EXT_START:
			open = true;
			start = devid;
			break;
		case DEV_END:
			if (!open) {
				*why = "a device range end has no start";
				return -BH_EINVAL;
			}
			if (devid < start) {
				*why = "a device range ends before it starts";
				return -BH_EINVAL;
			}
			open = false;
			err = add_range(u, start, devid, why);
			break;
		case DEV_SPECIAL:
			/* An IOAPIC or HPET, by the device ID its messages carry. */
			err = add_range(u, (uint16_t)rd_le(e + 5, 2), (uint16_t)rd_le(e + 5, 2), why);
			break;
		default:
			break;   /* padding, reserved, ACPI HID: nothing the kernel uses */
		}
		if (err)
			return err;
		off += elen;
	}
	if (open) {
		*why = "a device range start is not followed by its end";
		return -BH_EINVAL;
	}
	return 0;
}

static int parse_ivhd(const uint8_t *b, uint16_t blen, struct ivrs_info *out,
                      const char **why)
{
	uint32_t fixed = b[0] == IVHD_TYPE_10 ? IVHD_10_LEN : IVHD_11_LEN;
	if (blen < fixed) {
		*why = "an IVHD is shorter than its fixed fields";
		return -BH_EINVAL;
	}
	if (out->nunits == IVRS_MAX_UNITS) {
		*why = "the IVRS has more IOMMUs than the kernel keeps";
		return -BH_E2BIG;
	}
	struct ivrs_unit *u = &out->units[out->nunits];
	u->type = b[0];
	u->iommu_devid = (uint16_t)rd_le(b + IVHD_DEVID, 2);
	u->cap_offset = (uint16_t)rd_le(b + IVHD_CAP_OFFSET, 2);
	u->base = rd_le(b + IVHD_BASE, 8);
	u->segment = (uint16_t)rd_le(b + IVHD_SEGMENT, 2);
	u->efr = fixed == IVHD_11_LEN ? rd_le(b + IVHD_EFR, 8) : 0;
	if (!u->base || (u->base & BASE_ALIGN_MASK)) {
		*why = "an IVHD's register base is 0 or not 16 KiB aligned";
		return -BH_EINVAL;
	}
	int err = parse_entries(b + fixed, blen - fixed, u, why);
	if (err)
		return err;
	out->nunits++;
	return 0;
}

/* Checks every block's length; *best is the highest IVHD type present, 0 if none. */
static int check_blocks(const uint8_t *t, uint32_t len, uint8_t *best, const char **why)
{
	*best = 0;
	for (uint32_t off = IVRS_HEADER_LEN; off < len;) {
		const uint8_t *b = t + off;
		if (len - off < BLOCK_HEADER_LEN) {
			*why = "a definition block is truncated";
			return -BH_EINVAL;
		}
		uint16_t blen = (uint16_t)rd_le(b + 2, 2);
		if (blen < BLOCK_HEADER_LEN || blen > len - off) {
			*why = "a definition block's length is too small or runs past the table";
			return -BH_EINVAL;
		}
		if (is_ivhd(b[0]) && b[0] > *best)
			*best = b[0];
		off += blen;
	}
	if (!*best) {
		*why = "it describes no IOMMU (no IVHD block)";
		return -BH_EINVAL;
	}
	return 0;
}

/* Contract in ivrs.h. */
int ivrs_parse(const uint8_t *t, uint32_t len, struct ivrs_info *out, const char **why)
{
	memset(out, 0, sizeof(*out));
	if (len < IVRS_HEADER_LEN) {
		*why = "it is shorter than its header";
		return -BH_EINVAL;
	}
	if (memcmp(t, "IVRS", 4) != 0) {
		*why = "its signature is not IVRS";
		return -BH_EINVAL;
	}
	if (rd_le(t + 4, 4) > len) {
		*why = "its length runs past the table";
		return -BH_EINVAL;
	}
	len = (uint32_t)rd_le(t + 4, 4);
	if (len < IVRS_HEADER_LEN) {
		*why = "it is shorter than its header";
		return -BH_EINVAL;
	}
	out->ivinfo = (uint32_t)rd_le(t + IVRS_IVINFO, 4);
	uint8_t best;
	int err = check_blocks(t, len, &best, why);
	for (uint32_t off = IVRS_HEADER_LEN; !err && off < len;) {
		const uint8_t *b = t + off;
		uint16_t blen = (uint16_t)rd_le(b + 2, 2);
		if (b[0] == best)
			err = parse_ivhd(b, blen, out, why);
		off += blen;
	}
	return err;
}

/* Contract in ivrs.h. */
const struct ivrs_unit *ivrs_unit_for(const struct ivrs_info *info, uint16_t devid)
{
	for (unsigned i = 0; i < info->nunits; i++) {
		const struct ivrs_unit *u = &info->units[i];
		if (u->segment != 0)
			continue;
		for (unsigned r = 0; r < u->nranges; r++)
			if (devid >= u->ranges[r].first && devid <= u->ranges[r].last)
				return u;
	}
	return NULL;
}
