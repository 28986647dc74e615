/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Reads the boot bundle archive: the "newc" cpio format (the one
 * `cpio -o -H newc` writes and Linux reads its initramfs in), chosen because
 * every Linux machine can pack and unpack it and its headers are plain text.
 * Only regular files are looked at; directories and the like are skipped.
 */
#ifndef FIRMWARE_BUNDLE_CPIO_H
#define FIRMWARE_BUNDLE_CPIO_H

#include <stddef.h>
#include <stdint.h>

/*
 * Finds the regular file called name in the size bytes of archive at
 * archive (reading stops at the "TRAILER!!!" entry). Returns 0 with *data
 * pointing into the archive and *len its size; -BH_ENOENT if no file of
 * that name comes before the trailer; -BH_EINVAL if a header is malformed
 * or an entry runs past the end of the archive.
 */
int cpio_find(const uint8_t *archive, size_t size, const char *name,
              const uint8_t **data, size_t *len);

#endif
