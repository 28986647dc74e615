/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The PVH reader of vmlinux images. Images are written here byte by byte
 * at the ELF-64 offsets (System V ABI), not through the loader's own
 * structures, so a wrong field in elf64_format.h would show. Every image
 * handed to pvh_parse sits in a heap block of exactly its size, so ASan
 * catches any read past its end. The last case reads the real kernel the
 * build extracts (make linux-guest), when it is there.
 */
#include "check.h"

#include <stdbool.h>
#include <stdlib.h>

#include "loader/hvm_start_info.h"
#include "loader/pvh.h"

#define PT_LOAD 1
#define PT_NOTE 4
#define RX 0x5u
#define RW 0x6u

/* The reference image: header, program headers, notes, then the text
 * segment's file bytes last, so every truncation cuts something. */
#define PHDRS_AT   64
#define NOTES_AT   0x300
#define TEXT_AT    0x400
#define TEXT_SIZE  0x100
#define IMAGE_SIZE (TEXT_AT + TEXT_SIZE)
#define TEXT_ADDR  0x1000000ull
#define ENTRY      0x1000850ull
#define MAX_IMAGE  0x2000

struct image {
	uint8_t b[MAX_IMAGE];
	size_t size;
	unsigned phnum;
	size_t notes_end;   /* where the next note goes */
};

static void put(uint8_t *p, uint64_t v, unsigned bytes)
{
	for (unsigned i = 0; i < bytes; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void set_phnum(struct image *im, unsigned phnum)
{
	im->phnum = phnum;
	put(im->b + 56, phnum, 2);   /* e_phnum */
}

/* Appends program header im->phnum. */
static void add_phdr(struct image *im, uint32_t type, uint32_t flags, uint64_t offset,
                     uint64_t paddr, uint64_t filesz, uint64_t memsz)
{
	uint8_t *p = im->b + PHDRS_AT + 56 * im->phnum;
	put(p + 0, type, 4);
	put(p + 4, flags, 4);
	put(p + 8, offset, 8);
	put(p + 16, 0xffffffff80000000ull + paddr, 8);   /* p_vaddr: unused */
	put(p + 24, paddr, 8);
	put(p + 32, filesz, 8);
	put(p + 40, memsz, 8);
	put(p + 48, 0x200000, 8);
	set_phnum(im, im->phnum + 1);
}

/* Appends a note at im->notes_end: namesz includes the NUL. */
static void add_note(struct image *im, const char *name, uint32_t type,
                     uint64_t desc, uint32_t descsz)
{
	uint8_t *p = im->b + im->notes_end;
	uint32_t namesz = (uint32_t)strlen(name) + 1;
	put(p, namesz, 4);
	put(p + 4, descsz, 4);
	put(p + 8, type, 4);
	memcpy(p + 12, name, namesz);
	size_t desc_at = 12 + ((namesz + 3) & ~3u);
	put(p + desc_at, desc, descsz < 8 ? descsz : 8);
	im->notes_end += desc_at + ((descsz + 3) & ~3u);
}

/* Header and two PT_LOADs (text, bss-like data); notes are added by
 * each case, then finish() adds the PT_NOTE covering them. */
static void start(struct image *im)
{
	memset(im, 0, sizeof(*im));
	memcpy(im->b, "\x7f" "ELF", 4);
	im->b[4] = 2;                 /* ELFCLASS64 */
	im->b[5] = 1;                 /* ELFDATA2LSB */
	im->b[6] = 1;                 /* EV_CURRENT */
	put(im->b + 16, 2, 2);        /* ET_EXEC */
	put(im->b + 18, 62, 2);       /* EM_X86_64 */
	put(im->b + 20, 1, 4);        /* e_version */
	put(im->b + 24, TEXT_ADDR, 8);
	put(im->b + 32, PHDRS_AT, 8);
	put(im->b + 52, 64, 2);       /* e_ehsize */
	put(im->b + 54, 56, 2);       /* e_phentsize */
	im->size = IMAGE_SIZE;
	im->notes_end = NOTES_AT;
	add_phdr(im, PT_LOAD, RX, TEXT_AT, TEXT_ADDR, TEXT_SIZE, 0x2000);
	add_phdr(im, PT_LOAD, RW, 0, TEXT_ADDR + 0x2000, 0, 0x1000);
	memset(im->b + TEXT_AT, 0x90, TEXT_SIZE);
}

static void finish(struct image *im)
{
	add_phdr(im, PT_NOTE, 0x4, NOTES_AT, 0, im->notes_end - NOTES_AT, 0);
}

/* The image as the reference kernel has it: another owner's note first,
 * then the 8-byte entry. */
static void reference(struct image *im)
{
	start(im);
	add_note(im, "Linux", 1, 0x0031, 4);
	add_note(im, "Xen", PVH_NOTE_PHYS32_ENTRY, ENTRY, 8);
	finish(im);
}

/* pvh_parse on an exact-size heap copy of im->b[0, size). */
static enum pvh_error parse_n(const struct image *im, size_t size, struct pvh_image *out)
{
	uint8_t *copy = malloc(size ? size : 1);
	memcpy(copy, im->b, size);
	enum pvh_error rc = pvh_parse(copy, size, out);
	free(copy);
	return rc;
}

static enum pvh_error parse(const struct image *im)
{
	struct pvh_image out;
	return parse_n(im, im->size, &out);
}

TEST(reference_image_gives_entry_and_segments)
{
	struct image im;
	struct pvh_image out;
	reference(&im);
	CHECK_EQ(parse_n(&im, im.size, &out), PVH_OK);
	CHECK_EQ(out.entry, ENTRY);
	CHECK_EQ(out.nsegments, 2);
	CHECK_EQ(out.segments[0].paddr, TEXT_ADDR);
	CHECK_EQ(out.segments[0].offset, TEXT_AT);
	CHECK_EQ(out.segments[0].filesz, TEXT_SIZE);
	CHECK_EQ(out.segments[0].memsz, 0x2000);
	CHECK_EQ(out.segments[0].flags, RX);
	CHECK_EQ(out.segments[1].filesz, 0);
	CHECK_EQ(out.load_start, TEXT_ADDR);
	CHECK_EQ(out.load_end, TEXT_ADDR + 0x3000);
}

TEST(four_byte_entry_note_is_accepted)
{
	struct image im;
	struct pvh_image out;
	start(&im);
	add_note(&im, "Xen", PVH_NOTE_PHYS32_ENTRY, ENTRY + 4, 4);
	finish(&im);
	CHECK_EQ(parse_n(&im, im.size, &out), PVH_OK);
	CHECK_EQ(out.entry, ENTRY + 4);
}

TEST(every_truncation_is_refused)
{
	struct image im;
	struct pvh_image out;
	reference(&im);
	for (size_t n = 0; n < 64; n++)
		CHECK_EQ(parse_n(&im, n, &out), PVH_E_TRUNCATED);
	for (size_t n = 64; n < im.size; n++)
		CHECK(parse_n(&im, n, &out) != PVH_OK);
}

TEST(elf_header_rules)
{
	static const struct { size_t at; uint64_t value; unsigned bytes; enum pvh_error want; } cases[] = {
		{ 0, 0x7e, 1, PVH_E_NOT_ELF },
		{ 4, 1, 1, PVH_E_NOT_ELF64_LE },       /* ELFCLASS32 */
		{ 5, 2, 1, PVH_E_NOT_ELF64_LE },       /* big-endian */
		{ 6, 0, 1, PVH_E_BAD_VERSION },
		{ 20, 2, 4, PVH_E_BAD_VERSION },
		{ 18, 3, 2, PVH_E_NOT_X86_64 },        /* EM_386 */
		{ 16, 3, 2, PVH_E_NOT_EXEC },          /* ET_DYN */
		{ 54, 64, 2, PVH_E_BAD_PHENTSIZE },
		{ 56, 0, 2, PVH_E_NO_PHDRS },
		{ 56, 0xffff, 2, PVH_E_NO_PHDRS },     /* PN_XNUM */
		{ 32, IMAGE_SIZE - 100, 8, PVH_E_PHDRS_OUTSIDE },
		{ 32, UINT64_MAX - 8, 8, PVH_E_PHDRS_OUTSIDE },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct image im;
		reference(&im);
		put(im.b + cases[i].at, cases[i].value, cases[i].bytes);
		if (parse(&im) != cases[i].want)
			check_fail(__FILE__, __LINE__, "case %zu: got %d (%s), want %d", i,
			           parse(&im), pvh_error_name(parse(&im)), cases[i].want);
	}
}

TEST(segment_rules)
{
	struct image im;

	/* Any program header's bytes must be in the file, even a note's. */
	start(&im);
	add_phdr(&im, PT_NOTE, 4, UINT64_MAX - 1, 0, 4, 0);
	CHECK_EQ(parse(&im), PVH_E_SEGMENT_OUTSIDE);
	start(&im);
	add_phdr(&im, PT_LOAD, RW, TEXT_AT, 0x5000000, IMAGE_SIZE, IMAGE_SIZE);
	CHECK_EQ(parse(&im), PVH_E_SEGMENT_OUTSIDE);

	start(&im);
	add_phdr(&im, PT_LOAD, RW, TEXT_AT, 0x5000000, 0x20, 0x10);
	CHECK_EQ(parse(&im), PVH_E_FILESZ_OVER_MEMSZ);

	start(&im);
	add_phdr(&im, PT_LOAD, RW, 0, 0xfffff000, 0, 0x2000);
	CHECK_EQ(parse(&im), PVH_E_SEGMENT_ABOVE_4G);
	start(&im);
	add_phdr(&im, PT_LOAD, RW, 0, UINT64_MAX - 0xfff, 0, 0x2000);   /* wraps */
	CHECK_EQ(parse(&im), PVH_E_SEGMENT_ABOVE_4G);
	start(&im);
	add_phdr(&im, PT_LOAD, RW, 0, 0xfffff000, 0, 0x1000);   /* ends at 4 GiB: fine */
	add_note(&im, "Xen", PVH_NOTE_PHYS32_ENTRY, ENTRY, 8);
	finish(&im);
	CHECK_EQ(parse(&im), PVH_OK);

	start(&im);
	add_phdr(&im, PT_LOAD, RW, 0, TEXT_ADDR + 0x2fff, 0, 0x10);   /* last byte shared */
	CHECK_EQ(parse(&im), PVH_E_SEGMENTS_OVERLAP);
	start(&im);
	add_phdr(&im, PT_LOAD, RW, 0, TEXT_ADDR - 0x1000, 0, 0x10000);   /* covers both */
	CHECK_EQ(parse(&im), PVH_E_SEGMENTS_OVERLAP);

	start(&im);
	for (unsigned i = 2; i <= PVH_MAX_SEGMENTS; i++)
		add_phdr(&im, PT_LOAD, RW, 0, 0x8000000 + 0x1000ull * i, 0, 0x1000);
	CHECK_EQ(parse(&im), PVH_E_TOO_MANY_SEGMENTS);

	/* Empty PT_LOADs are not segments. */
	start(&im);
	set_phnum(&im, 0);
	add_phdr(&im, PT_LOAD, RX, 0, TEXT_ADDR, 0, 0);
	add_note(&im, "Xen", PVH_NOTE_PHYS32_ENTRY, ENTRY, 8);
	finish(&im);
	CHECK_EQ(parse(&im), PVH_E_NO_SEGMENTS);
}

TEST(note_rules)
{
	struct image im;

	/* A PT_NOTE shorter than a note header. */
	start(&im);
	add_phdr(&im, PT_NOTE, 4, NOTES_AT, 0, 8, 0);
	CHECK_EQ(parse(&im), PVH_E_NOTE_MALFORMED);

	/* namesz, then descsz, running past the segment (and past 2^32). */
	reference(&im);
	put(im.b + NOTES_AT, 0xffffffff, 4);
	CHECK_EQ(parse(&im), PVH_E_NOTE_MALFORMED);
	reference(&im);
	put(im.b + NOTES_AT + 4, 0xfffffff0, 4);
	CHECK_EQ(parse(&im), PVH_E_NOTE_MALFORMED);

	/* The right type under another owner, or the owner with another
	 * type, or a name without its NUL counted: not the PVH note. */
	start(&im);
	add_note(&im, "Xem", PVH_NOTE_PHYS32_ENTRY, ENTRY, 8);
	add_note(&im, "Xen", PVH_NOTE_PHYS32_ENTRY - 1, ENTRY, 8);
	add_note(&im, "Xe", PVH_NOTE_PHYS32_ENTRY, ENTRY, 8);
	finish(&im);
	CHECK_EQ(parse(&im), PVH_E_NO_ENTRY_NOTE);

	/* No PT_NOTE at all. */
	start(&im);
	CHECK_EQ(parse(&im), PVH_E_NO_ENTRY_NOTE);

	start(&im);
	add_note(&im, "Xen", PVH_NOTE_PHYS32_ENTRY, ENTRY, 2);
	finish(&im);
	CHECK_EQ(parse(&im), PVH_E_ENTRY_NOTE_SIZE);

	start(&im);
	add_note(&im, "Xen", PVH_NOTE_PHYS32_ENTRY, ENTRY, 8);
	add_note(&im, "Xen", PVH_NOTE_PHYS32_ENTRY, ENTRY, 4);
	finish(&im);
	CHECK_EQ(parse(&im), PVH_E_ENTRY_DUPLICATE);

	start(&im);
	add_note(&im, "Xen", PVH_NOTE_PHYS32_ENTRY, 0x100000000ull + ENTRY, 8);
	finish(&im);
	CHECK_EQ(parse(&im), PVH_E_ENTRY_ABOVE_4G);
}

TEST(entry_must_be_in_executable_segment)
{
	static const uint64_t bad[] = { TEXT_ADDR - 1, TEXT_ADDR + 0x2000, TEXT_ADDR + 0x3000, 0 };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct image im;
		start(&im);
		add_note(&im, "Xen", PVH_NOTE_PHYS32_ENTRY, bad[i], 8);
		finish(&im);
		CHECK_EQ(parse(&im), PVH_E_ENTRY_OUTSIDE);
	}
	struct image im;
	start(&im);
	add_note(&im, "Xen", PVH_NOTE_PHYS32_ENTRY, TEXT_ADDR + 0x1fff, 8);   /* bss of text */
	finish(&im);
	CHECK_EQ(parse(&im), PVH_OK);
}

/* Whatever a corrupted byte does, an accepted image keeps the promises of
 * pvh.h; ASan checks that nothing outside the buffer is read. */
TEST(every_single_byte_corruption_is_refused_or_consistent)
{
	static const uint8_t values[] = { 0x00, 0x01, 0x7f, 0x80, 0xff };
	struct image im;
	reference(&im);
	for (size_t at = 0; at < im.size; at++) {
		for (size_t v = 0; v < sizeof(values); v++) {
			struct image bad = im;
			struct pvh_image out;
			bad.b[at] = values[v];
			if (parse_n(&bad, bad.size, &out) != PVH_OK)
				continue;
			CHECK(out.nsegments >= 1 && out.nsegments <= PVH_MAX_SEGMENTS);
			CHECK(out.load_end <= PVH_ADDR_LIMIT);
			bool in_text = false;
			for (unsigned j = 0; j < out.nsegments; j++) {
				const struct pvh_segment *s = &out.segments[j];
				CHECK(s->filesz <= s->memsz);
				CHECK(s->offset <= bad.size && s->filesz <= bad.size - s->offset);
				if ((s->flags & 1) && out.entry >= s->paddr && out.entry - s->paddr < s->memsz)
					in_text = true;
			}
			CHECK(in_text);
		}
	}
}

TEST(every_error_has_a_distinct_name)
{
	for (int i = 0; i < PVH_E_COUNT; i++) {
		CHECK(pvh_error_name(i) != NULL && pvh_error_name(i)[0] != '\0');
		for (int j = 0; j < i; j++)
			CHECK(strcmp(pvh_error_name(i), pvh_error_name(j)) != 0);
	}
	CHECK_STR_EQ(pvh_error_name(-1), "unknown PVH loader error");
	CHECK_STR_EQ(pvh_error_name(PVH_E_COUNT), "unknown PVH loader error");
}

/* The layout itself is checked by hvm_start_info.h's static assertions,
 * compiled here; the magic must read "xEn3" with the E's 0x80 bit set. */
TEST(start_info_magic_is_xen3)
{
	uint8_t bytes[4];
	uint32_t magic = XEN_HVM_START_MAGIC_VALUE;
	memcpy(bytes, &magic, sizeof(bytes));   /* x86 is little-endian */
	CHECK_EQ(bytes[0], 'x');
	CHECK_EQ(bytes[1], 'E' | 0x80);
	CHECK_EQ(bytes[2], 'n');
	CHECK_EQ(bytes[3], '3');
}

/* The kernel `make linux-guest` extracts from Debian's package, whatever
 * its version: it must boot through PVH. */
TEST(real_debian_vmlinux_when_built)
{
	FILE *f = fopen(LINUX_VMLINUX, "rb");
	if (!f) {
		printf("# skipped: %s is not built (make linux-guest fetches and builds it)\n",
		       LINUX_VMLINUX);
		return;
	}
	CHECK(fseek(f, 0, SEEK_END) == 0);
	long size = ftell(f);
	CHECK(size > 0);
	rewind(f);
	uint8_t *image = malloc((size_t)size);
	CHECK(image != NULL);
	CHECK_EQ(fread(image, 1, (size_t)size, f), (size_t)size);
	fclose(f);

	struct pvh_image out;
	enum pvh_error rc = pvh_parse(image, (size_t)size, &out);
	free(image);
	if (rc != PVH_OK)
		check_fail(__FILE__, __LINE__, "%s: %s", LINUX_VMLINUX, pvh_error_name(rc));
	/* A kernel is linked at 16 MiB or at least above the first 1 MiB. */
	CHECK(out.load_start >= 0x100000);
	printf("# %s: PVH entry 0x%x, %u segments at [0x%llx, 0x%llx)\n", LINUX_VMLINUX,
	       out.entry, out.nsegments, (unsigned long long)out.load_start,
	       (unsigned long long)out.load_end);
}
