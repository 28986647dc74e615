/* SPDX-License-Identifier: GPL-2.0-only */
#include "tpm/tcg2_event_log.h"

#include <bulkhead/errno.h>

#include "lib/byteorder.h"

#define TPM_ALG_SHA1     0x0004
#define TPM_ALG_SHA256   0x000b
#define TPM_ALG_SHA384   0x000c
#define TPM_ALG_SHA512   0x000d
#define TPM_ALG_SM3_256  0x0012
#define SHA1_SIZE        20

/* Digest size of a TPM algorithm (TPM 2.0 Part 2, TPM_ALG_ID), 0 if unknown. */
static size_t digest_size(uint32_t alg)
{
	switch (alg) {
	case TPM_ALG_SHA1:    return 20;
	case TPM_ALG_SHA256:  return 32;
	case TPM_ALG_SHA384:  return 48;
	case TPM_ALG_SHA512:  return 64;
	case TPM_ALG_SM3_256: return 32;
	default:              return 0;
	}
}

long tcg2_log_header_size(const uint8_t *p, size_t avail)
{
	/* PCRIndex, EventType, a SHA-1 digest, EventSize, the event. */
	size_t fixed = 4 + 4 + SHA1_SIZE + 4;
	if (avail < fixed || load_le32(p + fixed - 4) > avail - fixed)
		return -BH_EINVAL;
	return (long)(fixed + load_le32(p + fixed - 4));
}

long tcg2_event2_parse(const uint8_t *p, size_t avail, struct tcg2_event *ev)
{
	/* PCRIndex, EventType, then TPML_DIGEST_VALUES: a count and that many
	 * (algorithm, digest) pairs; then EventSize and the event. */
	if (avail < 12)
		return -BH_EINVAL;
	ev->pcr = load_le32(p);
	ev->type = load_le32(p + 4);
	ev->sha256 = NULL;
	uint32_t count = load_le32(p + 8);
	size_t off = 12;
	for (uint32_t i = 0; i < count; i++) {
		if (avail - off < 2)
			return -BH_EINVAL;
		uint32_t alg = load_le16(p + off);
		size_t size = digest_size(alg);
		if (!size || avail - off - 2 < size)
			return -BH_EINVAL;
		if (alg == TPM_ALG_SHA256)
			ev->sha256 = p + off + 2;
		off += 2 + size;
	}
	if (avail - off < 4)
		return -BH_EINVAL;
	ev->data_size = load_le32(p + off);
	off += 4;
	if (ev->data_size > avail - off)
		return -BH_EINVAL;
	ev->data = p + off;
	return (long)(off + ev->data_size);
}
