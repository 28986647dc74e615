/* SPDX-License-Identifier: GPL-2.0-only */
#include "tpm/tpm2_pcr_read.h"

#include <bulkhead/errno.h>

#include "lib/byteorder.h"
#include "lib/string.h"

#define TPM_ST_NO_SESSIONS  0x8001
#define TPM_CC_PCR_READ     0x0000017e
#define TPM_ALG_SHA256      0x000b
#define TPM_RC_SUCCESS      0
#define HEADER_SIZE         10   /* tag, size, command or response code */
#define PCR_SELECT_BYTES    3    /* a PC Client TPM's 24 PCRs */

static void put16(uint8_t *p, uint32_t v) { p[0] = v >> 8; p[1] = v; }
static void put32(uint8_t *p, uint32_t v) { put16(p, v >> 16); put16(p + 2, v); }

void tpm2_pcr_read_command(uint8_t cmd[TPM2_PCR_READ_CMD_SIZE], unsigned pcr)
{
	put16(cmd, TPM_ST_NO_SESSIONS);
	put32(cmd + 2, TPM2_PCR_READ_CMD_SIZE);
	put32(cmd + 6, TPM_CC_PCR_READ);
	/* pcrSelectionIn: TPML_PCR_SELECTION with one TPMS_PCR_SELECTION */
	put32(cmd + 10, 1);
	put16(cmd + 14, TPM_ALG_SHA256);
	cmd[16] = PCR_SELECT_BYTES;
	memset(cmd + 17, 0, PCR_SELECT_BYTES);
	cmd[17 + pcr / 8] = (uint8_t)(1u << (pcr % 8));
}

int tpm2_pcr_read_response(const uint8_t *resp, size_t len, unsigned pcr,
                           uint8_t digest[TPM2_SHA256_SIZE], uint32_t *rc)
{
	if (len < HEADER_SIZE || load_be32(resp + 2) > len || load_be32(resp + 2) < HEADER_SIZE)
		return -BH_EINVAL;
	len = load_be32(resp + 2);   /* the reply's own size: the rest is not of it */
	*rc = load_be32(resp + 6);
	if (*rc != TPM_RC_SUCCESS)
		return -BH_EIO;

	/* pcrUpdateCounter, then pcrSelectionOut: what the values are of. */
	size_t off = HEADER_SIZE + 4;
	if (len - HEADER_SIZE < 4 + 4)
		return -BH_EINVAL;
	uint32_t nsel = load_be32(resp + off);
	off += 4;
	int selected = 0;
	for (uint32_t i = 0; i < nsel; i++) {
		if (len - off < 3)
			return -BH_EINVAL;
		uint32_t alg = load_be16(resp + off);
		size_t nbytes = resp[off + 2];
		off += 3;
		if (len - off < nbytes)
			return -BH_EINVAL;
		if (alg == TPM_ALG_SHA256 && pcr / 8 < nbytes &&
		    (resp[off + pcr / 8] & (1u << (pcr % 8))))
			selected = 1;
		off += nbytes;
	}
	/* pcrValues: TPML_DIGEST, one TPM2B_DIGEST per selected PCR. */
	if (len - off < 4)
		return -BH_EINVAL;
	uint32_t ndigests = load_be32(resp + off);
	off += 4;
	if (!selected || nsel != 1 || ndigests != 1)
		return selected ? -BH_EINVAL : -BH_ENOENT;
	if (len - off < 2 || load_be16(resp + off) != TPM2_SHA256_SIZE ||
	    len - off - 2 < TPM2_SHA256_SIZE)
		return -BH_EINVAL;
	memcpy(digest, resp + off + 2, TPM2_SHA256_SIZE);
	return 0;
}
