/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Guest memory that is one contiguous run of guest-physical addresses
 * [base, base + size), mapped at one host address: how a monitor sees
 * its guest's RAM when the kernel maps all of it into the monitor at
 * once, and what host tests use as a fake guest.
 */
#ifndef VMM_MEM_FLAT_MEMORY_H
#define VMM_MEM_FLAT_MEMORY_H

#include "mem/guest_memory.h"

struct flat_memory {
	uint64_t base;      /* guest-physical */
	uint64_t size;      /* bytes; base + size must not wrap */
	uint8_t *host;      /* where byte base is mapped */
	struct guest_memory ops;
};

/* Sets fm up and returns &fm->ops, or NULL if base + size wraps. */
const struct guest_memory *flat_memory_init(struct flat_memory *fm, uint64_t base,
                                            uint64_t size, uint8_t *host);

#endif
