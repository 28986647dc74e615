/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * PE/COFF layout (Microsoft PE Format specification): the MS-DOS stub holds
 * at 0x3c the file offset of the "PE\0\0" signature; the 20-byte COFF file
 * header follows it, then the optional header (whose size the COFF header
 * gives), then the section table of 40-byte entries. A loaded image keeps
 * the headers at its base, so file offsets of headers are also offsets from
 * the image base.
 */
#include "bundle/pe_section.h"

#include <bulkhead/errno.h>

#include "lib/byteorder.h"
#include "lib/string.h"

#define DOS_LFANEW_OFFSET      0x3c
#define COFF_HEADER_SIZE       20
#define COFF_NSECTIONS_OFFSET  2
#define COFF_OPTSIZE_OFFSET    16
#define SECTION_HEADER_SIZE    40
#define SECTION_NAME_SIZE      8
#define SECTION_VSIZE_OFFSET   8
#define SECTION_VADDR_OFFSET   12

/* True if [off, off + len) lies inside a buffer of size bytes. */
static int inside(uint64_t off, uint64_t len, size_t size)
{
	return off <= size && len <= size - off;
}

int pe_find_section(const uint8_t *image, size_t image_size, const char *name,
                    struct pe_section *out)
{
	size_t name_len = strlen(name);
	if (name_len > SECTION_NAME_SIZE)
		return -BH_EINVAL;
	if (!inside(0, DOS_LFANEW_OFFSET + 4, image_size) || image[0] != 'M' || image[1] != 'Z')
		return -BH_EINVAL;
	uint64_t pe = load_le32(image + DOS_LFANEW_OFFSET);
	if (!inside(pe, 4 + COFF_HEADER_SIZE, image_size) || memcmp(image + pe, "PE\0\0", 4))
		return -BH_EINVAL;
	const uint8_t *coff = image + pe + 4;
	uint64_t nsections = load_le16(coff + COFF_NSECTIONS_OFFSET);
	uint64_t table = pe + 4 + COFF_HEADER_SIZE + load_le16(coff + COFF_OPTSIZE_OFFSET);
	if (!inside(table, nsections * SECTION_HEADER_SIZE, image_size))
		return -BH_EINVAL;

	for (uint64_t i = 0; i < nsections; i++) {
		const uint8_t *sh = image + table + i * SECTION_HEADER_SIZE;
		/* The name is NUL-padded to 8 bytes, not NUL-terminated when full. */
		if (memcmp(sh, name, name_len) ||
		    (name_len < SECTION_NAME_SIZE && sh[name_len] != 0))
			continue;
		uint32_t rva = load_le32(sh + SECTION_VADDR_OFFSET);
		uint32_t size = load_le32(sh + SECTION_VSIZE_OFFSET);
		if (!inside(rva, size, image_size))
			return -BH_EINVAL;
		out->rva = rva;
		out->size = size;
		return 0;
	}
	return -BH_ENOENT;
}
