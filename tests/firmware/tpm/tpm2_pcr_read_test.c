/* SPDX-License-Identifier: GPL-2.0-only */
/* TPM2_PCR_Read encoding and reply decoding, against hand-assembled bytes. */
#include <stdlib.h>
#include <string.h>

#include <bulkhead/errno.h>

#include "check.h"
#include "tpm/tpm2_pcr_read.h"

/* A successful reply for PCR 12 of the SHA-256 bank, digest 0x00..0x1f. */
static uint8_t reply[] = {
	0x80, 0x01, 0x00, 0x00, 0x00, 0x3e, 0x00, 0x00, 0x00, 0x00, /* header, 62 bytes */
	0x00, 0x00, 0x00, 0x07,                                     /* pcrUpdateCounter */
	0x00, 0x00, 0x00, 0x01, 0x00, 0x0b, 0x03, 0x00, 0x10, 0x00, /* SHA-256, PCR 12 */
	0x00, 0x00, 0x00, 0x01, 0x00, 0x20,                         /* one 32-byte digest */
	0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
	16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31,
};

static uint8_t digest[TPM2_SHA256_SIZE];
static uint32_t rc;

/* Decodes a heap copy of exactly len bytes, so ASan sees any overread. */
static int decode(const uint8_t *bytes, size_t len, unsigned pcr)
{
	uint8_t *copy = malloc(len);
	memcpy(copy, bytes, len);
	rc = 0x5555;
	int r = tpm2_pcr_read_response(copy, len, pcr, digest, &rc);
	free(copy);
	return r;
}

TEST(command_bytes)
{
	static const uint8_t want[TPM2_PCR_READ_CMD_SIZE] = {
		0x80, 0x01, 0x00, 0x00, 0x00, 0x14, 0x00, 0x00, 0x01, 0x7e,
		0x00, 0x00, 0x00, 0x01, 0x00, 0x0b, 0x03, 0x00, 0x10, 0x00,
	};
	uint8_t cmd[TPM2_PCR_READ_CMD_SIZE];
	tpm2_pcr_read_command(cmd, 12);
	CHECK_EQ(memcmp(cmd, want, sizeof(want)), 0);
	tpm2_pcr_read_command(cmd, 0);
	CHECK_EQ(cmd[17], 0x01);
	CHECK_EQ(cmd[18], 0);
	tpm2_pcr_read_command(cmd, 23);
	CHECK_EQ(cmd[19], 0x80);
}

TEST(good_reply)
{
	CHECK_EQ(decode(reply, sizeof(reply), 12), 0);
	CHECK_EQ(rc, 0);
	for (unsigned i = 0; i < TPM2_SHA256_SIZE; i++)
		CHECK_EQ(digest[i], i);
	/* A larger buffer than the reply is fine: its size field rules. */
	uint8_t big[100] = { 0 };
	memcpy(big, reply, sizeof(reply));
	CHECK_EQ(decode(big, sizeof(big), 12), 0);
}

TEST(tpm_error)
{
	uint8_t r[10] = { 0x80, 0x01, 0x00, 0x00, 0x00, 0x0a, 0x00, 0x00, 0x01, 0x84 };
	CHECK_EQ(decode(r, sizeof(r), 12), -BH_EIO);
	CHECK_EQ(rc, 0x184);
}

TEST(pcr_not_in_the_reply)
{
	/* Another PCR asked for than the reply selects. */
	CHECK_EQ(decode(reply, sizeof(reply), 11), -BH_ENOENT);
	/* An inactive bank: an empty selection and no digests. */
	uint8_t r[] = { 0x80, 0x01, 0x00, 0x00, 0x00, 0x16, 0, 0, 0, 0,
	                0, 0, 0, 7, 0, 0, 0, 0, 0, 0, 0, 0 };
	CHECK_EQ(decode(r, sizeof(r), 12), -BH_ENOENT);
}

TEST(malformed_replies)
{
	uint8_t r[sizeof(reply)];
	/* Shorter than its size field says, and every truncation of it. */
	for (size_t n = 0; n < sizeof(reply); n++) {
		memcpy(r, reply, sizeof(reply));
		r[5] = (uint8_t)n;
		CHECK_EQ(decode(r, n, 12), -BH_EINVAL);
	}
	/* A digest of the wrong size. */
	memcpy(r, reply, sizeof(reply));
	r[29] = 0x14;
	CHECK_EQ(decode(r, sizeof(r), 12), -BH_EINVAL);
	/* A selection claiming more bytes than there are. */
	memcpy(r, reply, sizeof(reply));
	r[20] = 0xff;
	CHECK_EQ(decode(r, sizeof(r), 12), -BH_EINVAL);
}
