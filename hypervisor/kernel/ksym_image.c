/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The kernel's own symbol table (contract in kernel/ksym.h): the arrays
 * tools/mksyms.py generates and the build links in, read relative to where
 * the firmware loaded the image. Apart from ksym.c so that the lookup is
 * host-tested without them.
 */
#include "kernel/ksym.h"

#define HIDDEN __attribute__((visibility("hidden")))
/* The image's link address is 0 (firmware/efi/bulkhead.lds), so the address
 * of ImageBase is the load offset. */
extern char ImageBase[] HIDDEN;
extern const uint32_t ksym_count HIDDEN;
extern const uint32_t ksym_addrs[] HIDDEN, ksym_names[] HIDDEN;
extern const char ksym_strings[] HIDDEN;

uint64_t ksym_image_base(void)
{
	return (uint64_t)(uintptr_t)ImageBase;
}

const char *ksym_lookup(uint64_t addr, uint64_t *offset)
{
	const struct ksym_table t = { ksym_count, ksym_addrs, ksym_names, ksym_strings };
	return ksym_find(&t, addr - ksym_image_base(), offset);
}
