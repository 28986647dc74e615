/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The build-time list of boot VMs: bundle file "vms", one VM per line,
 *     NAME IMAGE MEMORY
 * NAME: 1..31 of [a-z0-9_-]; IMAGE: the bundle file holding its ELF image;
 * MEMORY: a multiple of 2 MiB written as "<n>M" (MiB) or "<n>G" (GiB).
 * '#' starts a comment line. This interim format goes away when the
 * compiled policy (docs/policy.md, a later issue) names the boot VMs.
 */
#ifndef BOOT_VM_MANIFEST_H
#define BOOT_VM_MANIFEST_H

#include <stddef.h>
#include <stdint.h>

#define VM_NAME_MAX     32    /* bytes including the NUL */
#define VM_IMAGE_MAX    48
#define VM_MANIFEST_MAX 16    /* boot VMs at most */
#define VM_MEMORY_MAX   (1ull << 30)

struct vm_manifest_entry {
	char     name[VM_NAME_MAX];
	char     image[VM_IMAGE_MAX];
	uint64_t memory;   /* bytes, multiple of 2 MiB, 2 MiB .. VM_MEMORY_MAX */
};

/*
 * Parses len bytes of text. Stores at most max entries and their number in
 * *count. Returns 0, or -BH_EINVAL (bad line, duplicate name) / -BH_ENOSPC
 * (more than max) with *line and *why (a static sentence) describing the
 * first problem; *count is then 0.
 */
int vm_manifest_parse(const char *text, size_t len, struct vm_manifest_entry *out,
                      size_t max, size_t *count, unsigned *line, const char **why);

#endif
