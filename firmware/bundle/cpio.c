/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * newc layout: a 110-byte header ("070701" and thirteen 8-digit hex fields),
 * the name with its NUL (namesize counts it), padding to a multiple of 4
 * from the header's start, the file data, padding to a multiple of 4.
 */
#include "bundle/cpio.h"

#include <bulkhead/errno.h>

#include "lib/hex.h"
#include "lib/string.h"

#define NEWC_MAGIC        "070701"
#define NEWC_HEADER_SIZE  110
#define FIELD_MODE        1
#define FIELD_FILESIZE    6
#define FIELD_NAMESIZE    11
#define MODE_TYPE_MASK    0170000
#define MODE_REGULAR      0100000
#define TRAILER_NAME      "TRAILER!!!"

/* Field i (0 = c_ino) of the header at h, or -1 if it is not 8 hex digits. */
static int64_t field(const uint8_t *h, unsigned i)
{
	const uint8_t *p = h + 6 + 8 * i;
	int64_t v = 0;
	for (unsigned k = 0; k < 8; k++) {
		int d = hex_digit_value((char)p[k]);
		if (d < 0)
			return -1;
		v = v << 4 | d;
	}
	return v;
}

static size_t pad4(size_t n) { return (n + 3) & ~(size_t)3; }

int cpio_find(const uint8_t *archive, size_t size, const char *name,
              const uint8_t **data, size_t *len)
{
	size_t want = strlen(name) + 1;
	size_t off = 0;
	for (;;) {
		if (size - off < NEWC_HEADER_SIZE || memcmp(archive + off, NEWC_MAGIC, 6))
			return -BH_EINVAL;
		const uint8_t *h = archive + off;
		int64_t mode = field(h, FIELD_MODE);
		int64_t filesize = field(h, FIELD_FILESIZE);
		int64_t namesize = field(h, FIELD_NAMESIZE);
		if (mode < 0 || filesize < 0 || namesize < 1)
			return -BH_EINVAL;
		/* All sizes are below 2^32, so these sums cannot wrap. */
		size_t name_off = off + NEWC_HEADER_SIZE;
		size_t data_off = off + pad4(NEWC_HEADER_SIZE + (size_t)namesize);
		if ((size_t)namesize > size - name_off || data_off > size ||
		    (size_t)filesize > size - data_off)
			return -BH_EINVAL;
		const char *ename = (const char *)archive + name_off;
		if (ename[namesize - 1] != '\0')
			return -BH_EINVAL;
		if (!strcmp(ename, TRAILER_NAME))
			return -BH_ENOENT;
		if ((mode & MODE_TYPE_MASK) == MODE_REGULAR && (size_t)namesize == want &&
		    !memcmp(ename, name, want)) {
			*data = archive + data_off;
			*len = (size_t)filesize;
			return 0;
		}
		off = data_off + pad4((size_t)filesize);
		if (off > size)
			return -BH_EINVAL;
	}
}
