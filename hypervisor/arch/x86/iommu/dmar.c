/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * DMAR parser (contract in dmar.h). Layout from the VT-d specification
 * §8.1 (the table), §8.2 (remapping structure header), §8.3 (DRHD) and
 * §8.3.1 (device scope). Values are read byte by byte, so the table needs
 * no alignment.
 */
#include <stddef.h>

#include <bulkhead/errno.h>

#include "arch/x86/iommu/dmar.h"
#include "lib/string.h"

#define DMAR_HEADER_LEN   48u   /* ACPI header (36), width, flags, 10 reserved */
#define DMAR_WIDTH         36u
#define DMAR_FLAGS         37u
#define STRUCT_HEADER_LEN   4u  /* type (2), length (2) */
#define STRUCT_DRHD         0u
#define DRHD_LEN           16u  /* header, flags, size, segment, register base */
#define DRHD_FLAGS          4u
#define DRHD_SEGMENT        6u
#define DRHD_BASE           8u
#define DRHD_INCLUDE_PCI_ALL (1u << 0)
#define SCOPE_LEN           6u  /* type, length, flags, reserved, enumeration id, start bus */
#define SCOPE_PATH_ENTRY    2u  /* device, function */
#define PAGE_MASK       0xfffull

static uint64_t rd_le(const uint8_t *p, unsigned bytes)
{
	uint64_t v = 0;
	for (unsigned i = 0; i < bytes; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

/* The device scopes of one DRHD, in p[0..len). */
static int parse_scopes(const uint8_t *p, uint32_t len, struct dmar_unit *u,
                        const char **why)
{
	for (uint32_t off = 0; off < len;) {
		const uint8_t *s = p + off;
		if (len - off < SCOPE_LEN) {
			*why = "a device scope is truncated";
			return -BH_EINVAL;
		}
		uint8_t slen = s[1];
		if (slen < SCOPE_LEN + SCOPE_PATH_ENTRY || (slen - SCOPE_LEN) % SCOPE_PATH_ENTRY) {
			*why = "a device scope has a bad length";
			return -BH_EINVAL;
		}
		if (slen > len - off) {
			*why = "a device scope runs past its DRHD";
			return -BH_EINVAL;
		}
		if (u->nscopes == DMAR_MAX_SCOPES) {
			*why = "a DRHD has more device scopes than the kernel keeps";
			return -BH_E2BIG;
		}
		const uint8_t *path = s + SCOPE_LEN;
		u->scopes[u->nscopes++] = (struct dmar_scope){
			.type = s[0], .enumeration_id = s[4], .bus = s[5],
			.devfn = (uint8_t)((path[0] & 0x1f) << 3 | (path[1] & 7)),
			.hops = (uint8_t)((slen - SCOPE_LEN) / SCOPE_PATH_ENTRY),
		};
		off += slen;
	}
	return 0;
}

static int parse_drhd(const uint8_t *s, uint16_t slen, struct dmar_info *out,
                      const char **why)
{
	if (slen < DRHD_LEN) {
		*why = "a DRHD is shorter than its fixed fields";
		return -BH_EINVAL;
	}
	if (out->nunits == DMAR_MAX_UNITS) {
		*why = "the DMAR has more remapping units than the kernel keeps";
		return -BH_E2BIG;
	}
	struct dmar_unit *u = &out->units[out->nunits];
	memset(u, 0, sizeof(*u));
	u->base = rd_le(s + DRHD_BASE, 8);
	u->segment = (uint16_t)rd_le(s + DRHD_SEGMENT, 2);
	u->include_all = s[DRHD_FLAGS] & DRHD_INCLUDE_PCI_ALL;
	if (u->base == 0 || (u->base & PAGE_MASK)) {
		*why = "a DRHD's register base is 0 or not 4 KiB aligned";
		return -BH_EINVAL;
	}
	int err = parse_scopes(s + DRHD_LEN, slen - DRHD_LEN, u, why);
	if (!err)
		out->nunits++;
	return err;
}

/* Contract in dmar.h. */
int dmar_parse(const uint8_t *t, uint32_t len, struct dmar_info *out, const char **why)
{
	memset(out, 0, sizeof(*out));
	if (!t || len < DMAR_HEADER_LEN) {
		*why = "the DMAR is shorter than its header";
		return -BH_EINVAL;
	}
	if (memcmp(t, "DMAR", 4) != 0) {
		*why = "the table is not a DMAR";
		return -BH_EINVAL;
	}
	if (rd_le(t + 4, 4) != len) {
		*why = "the DMAR's length field disagrees with the table";
		return -BH_EINVAL;
	}
	out->host_address_width = (uint8_t)(t[DMAR_WIDTH] + 1);
	out->flags = t[DMAR_FLAGS];

	for (uint32_t off = DMAR_HEADER_LEN; off < len;) {
		const uint8_t *s = t + off;
		if (len - off < STRUCT_HEADER_LEN) {
			*why = "a remapping structure header is truncated";
			return -BH_EINVAL;
		}
		uint16_t type = (uint16_t)rd_le(s, 2), slen = (uint16_t)rd_le(s + 2, 2);
		if (slen < STRUCT_HEADER_LEN) {
			*why = "a remapping structure has a length below its header";
			return -BH_EINVAL;
		}
		if (slen > len - off) {
			*why = "a remapping structure runs past the end of the DMAR";
			return -BH_EINVAL;
		}
		if (type == STRUCT_DRHD) {
			int err = parse_drhd(s, slen, out, why);
			if (err)
				return err;
		}
		off += slen;
	}
	if (out->nunits == 0) {
		*why = "the DMAR lists no remapping unit";
		return -BH_EINVAL;
	}
	return 0;
}

/* Contract in dmar.h. */
const struct dmar_unit *dmar_unit_for(const struct dmar_info *info, uint8_t bus,
                                      uint8_t devfn)
{
	const struct dmar_unit *all = NULL;
	for (unsigned i = 0; i < info->nunits; i++) {
		const struct dmar_unit *u = &info->units[i];
		if (u->segment != 0)
			continue;
		for (unsigned j = 0; j < u->nscopes; j++) {
			const struct dmar_scope *s = &u->scopes[j];
			if (s->type == DMAR_SCOPE_PCI_ENDPOINT && s->hops == 1 &&
			    s->bus == bus && s->devfn == devfn)
				return u;
		}
		if (u->include_all && !all)
			all = u;
	}
	return all;
}
