/* SPDX-License-Identifier: GPL-2.0-only */
/* Section lookup in a loaded PE image: found, absent, and headers that lie. */
#include <stdlib.h>
#include <string.h>

#include <bulkhead/errno.h>

#include "bundle/pe_section.h"
#include "check.h"

#define IMAGE_SIZE 0x3000
#define PE_OFFSET  0x80
#define OPT_SIZE   0xf0
#define TABLE      (PE_OFFSET + 4 + 20 + OPT_SIZE)

static uint8_t *image;

static void put16(uint8_t *p, uint32_t v) { p[0] = v; p[1] = v >> 8; }
static void put32(uint8_t *p, uint32_t v) { put16(p, v); put16(p + 2, v >> 16); }

static void add_section(unsigned i, const char *name, uint32_t rva, uint32_t size)
{
	uint8_t *sh = image + TABLE + 40 * i;
	memcpy(sh, name, strnlen(name, 8));
	put32(sh + 8, size);
	put32(sh + 12, rva);
	put16(image + PE_OFFSET + 4 + 2, i + 1);
}

/* A minimal image: MZ, PE signature, COFF header, sections .text and .bundle. */
static void make_image(void)
{
	free(image);
	image = calloc(1, IMAGE_SIZE);
	image[0] = 'M';
	image[1] = 'Z';
	put32(image + 0x3c, PE_OFFSET);
	memcpy(image + PE_OFFSET, "PE\0\0", 4);
	put16(image + PE_OFFSET + 4 + 16, OPT_SIZE);
	add_section(0, ".text", 0x1000, 0x800);
	add_section(1, ".bundle", 0x2000, 0x1000);
}

TEST(finds_each_section)
{
	struct pe_section s;
	make_image();
	CHECK_EQ(pe_find_section(image, IMAGE_SIZE, ".bundle", &s), 0);
	CHECK_EQ(s.rva, 0x2000);
	CHECK_EQ(s.size, 0x1000);
	CHECK_EQ(pe_find_section(image, IMAGE_SIZE, ".text", &s), 0);
	CHECK_EQ(s.rva, 0x1000);
	CHECK_EQ(s.size, 0x800);
}

TEST(names_match_exactly)
{
	struct pe_section s;
	make_image();
	CHECK_EQ(pe_find_section(image, IMAGE_SIZE, ".bund", &s), -BH_ENOENT);
	CHECK_EQ(pe_find_section(image, IMAGE_SIZE, ".data", &s), -BH_ENOENT);
	CHECK_EQ(pe_find_section(image, IMAGE_SIZE, ".bundlexyz", &s), -BH_EINVAL);
	/* A full 8-byte name has no NUL after it. */
	add_section(2, ".bundle2", 0x2800, 0x10);
	CHECK_EQ(pe_find_section(image, IMAGE_SIZE, ".bundle2", &s), 0);
	CHECK_EQ(s.rva, 0x2800);
}

TEST(section_outside_the_image)
{
	struct pe_section s;
	make_image();
	add_section(1, ".bundle", 0x2000, 0x1001);
	CHECK_EQ(pe_find_section(image, IMAGE_SIZE, ".bundle", &s), -BH_EINVAL);
	add_section(1, ".bundle", 0xfffff000, 0x2000);
	CHECK_EQ(pe_find_section(image, IMAGE_SIZE, ".bundle", &s), -BH_EINVAL);
}

TEST(bad_headers)
{
	struct pe_section s;
	make_image();
	CHECK_EQ(pe_find_section(image, 0x20, ".text", &s), -BH_EINVAL);
	image[1] = 'X';
	CHECK_EQ(pe_find_section(image, IMAGE_SIZE, ".text", &s), -BH_EINVAL);
	make_image();
	image[PE_OFFSET + 2] = 'X';
	CHECK_EQ(pe_find_section(image, IMAGE_SIZE, ".text", &s), -BH_EINVAL);
	make_image();
	put32(image + 0x3c, IMAGE_SIZE - 8);
	CHECK_EQ(pe_find_section(image, IMAGE_SIZE, ".text", &s), -BH_EINVAL);
	make_image();
	put16(image + PE_OFFSET + 4 + 2, 0xffff);   /* table runs off the end */
	CHECK_EQ(pe_find_section(image, IMAGE_SIZE, ".text", &s), -BH_EINVAL);
	free(image);
	image = NULL;
}
