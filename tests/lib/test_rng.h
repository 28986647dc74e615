/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A reproducible pseudo-random stream for randomized host tests
 * (xorshift64): the same seed gives the same cases on every run and
 * machine, so a failure can be replayed. Not for anything but tests.
 */
#ifndef TESTS_TEST_RNG_H
#define TESTS_TEST_RNG_H

#include <stdint.h>

/* Advances *state (never 0) and returns 32 well-mixed bits. */
static inline uint32_t test_rng_next(uint64_t *state)
{
	uint64_t x = *state;
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	*state = x;
	return (uint32_t)(x >> 16);
}

#endif
