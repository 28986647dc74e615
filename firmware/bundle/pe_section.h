/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Finds a named section of a PE/COFF image as the UEFI loader laid it out in
 * memory (headers at the image base, each section at base + VirtualAddress).
 * The UEFI stage uses it to find the boot bundle that travels inside its own
 * signed image (section ".bundle", docs/boot.md).
 */
#ifndef FIRMWARE_BUNDLE_PE_SECTION_H
#define FIRMWARE_BUNDLE_PE_SECTION_H

#include <stddef.h>
#include <stdint.h>

struct pe_section {
	uint32_t rva;   /* offset of the section's first byte from the image base */
	uint32_t size;  /* its VirtualSize: the bytes that belong to it */
};

/*
 * Looks up the section called name (at most 8 bytes, as the section table
 * holds it) in the image of image_size bytes at image. Every header and the
 * section itself are checked to lie inside the image. Returns 0 and fills
 * *out; -BH_ENOENT if the image has no such section; -BH_EINVAL if the
 * headers are not a PE image's or point outside it.
 */
int pe_find_section(const uint8_t *image, size_t image_size, const char *name,
                    struct pe_section *out);

#endif
