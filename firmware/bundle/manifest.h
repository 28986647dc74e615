/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The boot-bundle manifest, MANIFEST (docs/bundle.md): one line per
 * bundle file in sha256sum(1) format, "<64 hex digits><two spaces><name>".
 * Blank lines and lines starting with '#' are ignored. Names are 1..47 bytes
 * of [A-Za-z0-9._-], not starting with '.'; each appears once.
 */
#ifndef FIRMWARE_BUNDLE_MANIFEST_H
#define FIRMWARE_BUNDLE_MANIFEST_H

#include <stddef.h>
#include <stdint.h>

#include <bulkhead/bootinfo.h>

struct manifest_entry {
	char    name[BH_BUNDLE_NAME_MAX];
	uint8_t sha256[32];
};

struct manifest_error {
	unsigned line;        /* 1-based line of the first error */
	char     message[96]; /* what is wrong with it */
};

/*
 * Parses len bytes of text (not NUL-terminated; a final line without '\n' is
 * accepted). Stores at most max entries and their number in *count. Returns
 * 0, or -BH_EINVAL with *err describing the first bad line (bad hash, bad
 * separator, bad or duplicate name, NUL byte), or -BH_ENOSPC with *err set
 * if there are more than max entries. A manifest without entries is valid.
 */
int manifest_parse(const char *text, size_t len, struct manifest_entry *out,
                   size_t max, size_t *count, struct manifest_error *err);

#endif
