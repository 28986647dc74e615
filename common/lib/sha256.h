/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * SHA-256 (FIPS 180-4). Used to verify boot-bundle files and to name images
 * by hash. Streaming interface plus a one-shot helper.
 */
#ifndef LIB_SHA256_H
#define LIB_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define SHA256_DIGEST_SIZE 32

struct sha256_ctx {
	uint32_t state[8];
	uint64_t length;          /* bytes hashed so far */
	uint8_t  block[64];       /* pending partial block */
	uint32_t block_used;
};

void sha256_init(struct sha256_ctx *ctx);
void sha256_update(struct sha256_ctx *ctx, const void *data, size_t len);
void sha256_final(struct sha256_ctx *ctx, uint8_t digest[SHA256_DIGEST_SIZE]);
void sha256(const void *data, size_t len, uint8_t digest[SHA256_DIGEST_SIZE]);

/* Writes 64 lowercase hex digits and a NUL into out (65 bytes). */
void sha256_to_hex(const uint8_t digest[SHA256_DIGEST_SIZE], char out[65]);

/*
 * Parses exactly 64 hex digits (either case) at hex into digest.
 * Returns 0, or -BH_EINVAL if any of the 64 characters is not a hex digit.
 */
int sha256_from_hex(const char *hex, uint8_t digest[SHA256_DIGEST_SIZE]);

#endif
