/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The kernel's own function names, for symbolized backtraces. The build
 * links a table of them into the image (tools/mksyms.py, mk/image.mk).
 */
#ifndef KERNEL_KSYM_H
#define KERNEL_KSYM_H

#include <stdint.h>

/*
 * A sorted table of count entries: function i starts at link address
 * addrs[i] (an offset from the image base) and is named by the string at
 * strings + names[i]. The last entry is named "" and marks the end of the
 * text. No pointers inside, so the table needs no relocation.
 */
struct ksym_table {
	uint32_t count;
	const uint32_t *addrs;
	const uint32_t *names;
	const char *strings;
};

/*
 * The function of t containing link address addr, with *offset set to addr
 * minus its start; NULL (and *offset 0) if addr is before the first or at
 * or past the end of the text. Pure: host-tested.
 */
const char *ksym_find(const struct ksym_table *t, uint64_t addr, uint64_t *offset);

/* Where the image runs: the load address the firmware chose. */
uint64_t ksym_image_base(void);

/* ksym_find in the kernel's own table, for a run-time address. */
const char *ksym_lookup(uint64_t addr, uint64_t *offset);

#endif
