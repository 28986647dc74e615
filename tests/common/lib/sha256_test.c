/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * SHA-256 against the FIPS 180-4 example vectors (NIST CSRC "SHA256.pdf"
 * and the long-message test), plus padding-boundary lengths whose digests
 * were computed with Python's hashlib.
 */
#include <bulkhead/errno.h>

#include "check.h"
#include "lib/sha256.h"

static const char MSG_448[] =
	"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
static const char MSG_896[] =
	"abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmn"
	"hijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";

static const char *hex_of(const uint8_t d[SHA256_DIGEST_SIZE])
{
	static char hex[65];
	sha256_to_hex(d, hex);
	return hex;
}

static const char *one_shot(const void *data, size_t len)
{
	uint8_t d[SHA256_DIGEST_SIZE];
	sha256(data, len, d);
	return hex_of(d);
}

TEST(empty_message)
{
	CHECK_STR_EQ(one_shot("", 0),
	    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(abc)
{
	CHECK_STR_EQ(one_shot("abc", 3),
	    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(message_448_bits)
{
	CHECK_EQ(strlen(MSG_448) * 8, 448);
	CHECK_STR_EQ(one_shot(MSG_448, strlen(MSG_448)),
	    "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST(message_896_bits)
{
	CHECK_EQ(strlen(MSG_896) * 8, 896);
	CHECK_STR_EQ(one_shot(MSG_896, strlen(MSG_896)),
	    "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
}

/* One million 'a', fed in chunks of odd sizes that straddle block edges. */
TEST(million_a_streamed)
{
	static const size_t chunks[] = { 1, 63, 64, 65, 127, 3, 1000, 7, 129 };
	char a[1000];
	struct sha256_ctx ctx;
	uint8_t d[SHA256_DIGEST_SIZE];
	size_t left = 1000000;

	memset(a, 'a', sizeof(a));
	sha256_init(&ctx);
	for (size_t i = 0; left; i++) {
		size_t n = chunks[i % (sizeof(chunks) / sizeof(chunks[0]))];
		if (n > left)
			n = left;
		sha256_update(&ctx, a, n);
		left -= n;
	}
	CHECK_EQ(ctx.length, 1000000);
	sha256_final(&ctx, d);
	CHECK_STR_EQ(hex_of(d),
	    "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

/* Lengths around the 55/56-byte point where the length field no longer
 * fits in the last block. */
TEST(padding_boundaries)
{
	static const struct { size_t len; const char *hex; } v[] = {
		{ 55,  "e7313d333c272e639f790978283f9eb392e843d0f29b7016828bb1daa4aac70b" },
		{ 56,  "4324d65f3c103567f5589c710bc08f8523f929a9272e3af36fc968e52abc6c27" },
		{ 63,  "81c80242132f230c3bd41b3e63bbcff16107339549214a99614ff26664625055" },
		{ 64,  "39e3d7b6b5d075d37d053ad89b24b41bef4f3c29760c84447cab3f3be1882241" },
		{ 65,  "aacca6ff74fdbb296d165a45cecfa04e5127bc008770fbbdd48006f2d2fae95e" },
		{ 119, "9ce7368e4daf32341631b492e80359dc9f594b48453cd0dd5bf0b19279cc177e" },
		{ 120, "7836b787757e95e58b3ca5aec90b1b004e8deba1e50e9675af9cabf1a13a04b5" },
		{ 128, "d2742f1f4ac6bb7ca2b239ee18402ba8b3f9f8e652d2a72973c2b9ba11c08cf6" },
	};
	uint8_t msg[128];

	for (size_t i = 0; i < sizeof(msg); i++)
		msg[i] = (uint8_t)(i * 7 + 3);
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		CHECK_STR_EQ(one_shot(msg, v[i].len), v[i].hex);
}

/* Every way of cutting a message in two gives the one-shot digest. */
TEST(any_split_matches_one_shot)
{
	uint8_t msg[200], whole[SHA256_DIGEST_SIZE], split[SHA256_DIGEST_SIZE];
	struct sha256_ctx ctx;

	for (size_t i = 0; i < sizeof(msg); i++)
		msg[i] = (uint8_t)(i * 31 + 1);
	sha256(msg, sizeof(msg), whole);
	for (size_t cut = 0; cut <= sizeof(msg); cut++) {
		sha256_init(&ctx);
		sha256_update(&ctx, msg, cut);
		sha256_update(&ctx, msg + cut, 0);
		sha256_update(&ctx, msg + cut, sizeof(msg) - cut);
		sha256_final(&ctx, split);
		CHECK_EQ(memcmp(whole, split, sizeof(whole)), 0);
	}
}

TEST(hex_round_trip)
{
	uint8_t d[SHA256_DIGEST_SIZE], back[SHA256_DIGEST_SIZE];
	char hex[65];

	for (int i = 0; i < SHA256_DIGEST_SIZE; i++)
		d[i] = (uint8_t)(i * 37 + 0x0f);
	memset(hex, 'x', sizeof(hex));
	sha256_to_hex(d, hex);
	CHECK_EQ(hex[64], '\0');
	CHECK_EQ(strlen(hex), 64);
	CHECK_EQ(sha256_from_hex(hex, back), 0);
	CHECK_EQ(memcmp(d, back, sizeof(d)), 0);
}

TEST(hex_accepts_either_case)
{
	uint8_t lower[SHA256_DIGEST_SIZE], upper[SHA256_DIGEST_SIZE];

	CHECK_EQ(sha256_from_hex(
	    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
	    lower), 0);
	CHECK_EQ(sha256_from_hex(
	    "BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD",
	    upper), 0);
	CHECK_EQ(memcmp(lower, upper, sizeof(lower)), 0);
	CHECK_EQ(lower[0], 0xba);
	CHECK_EQ(lower[31], 0xad);
	/* Only 64 characters are read: what follows does not matter. */
	CHECK_EQ(sha256_from_hex(
	    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad  name",
	    upper), 0);
}

TEST(bad_hex_is_rejected_and_digest_untouched)
{
	static const char good[] =
	    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
	char bad[65];
	uint8_t d[SHA256_DIGEST_SIZE], before[SHA256_DIGEST_SIZE];

	memset(d, 0x5a, sizeof(d));
	memcpy(before, d, sizeof(d));
	/* A non-hex character at every position, in both nibbles. */
	for (int i = 0; i < 64; i++) {
		memcpy(bad, good, sizeof(bad));
		bad[i] = i % 2 ? 'g' : ' ';
		CHECK_EQ(sha256_from_hex(bad, d), -BH_EINVAL);
		CHECK_EQ(memcmp(d, before, sizeof(d)), 0);
	}
	/* Too short: the NUL is not a hex digit, and nothing past it is read
	 * (ASan would catch an over-read of this exact-size array). */
	static const char shorter[] =
	    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015a";
	CHECK_EQ(sha256_from_hex(shorter, d), -BH_EINVAL);
	CHECK_EQ(sha256_from_hex("", d), -BH_EINVAL);
	CHECK_EQ(sha256_from_hex("0x7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", d),
	         -BH_EINVAL);
	CHECK_EQ(memcmp(d, before, sizeof(d)), 0);
}
