/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * ELF64 guest image loader. Images are built here, byte by byte, with this
 * file's own definition of the ELF structures, so the tests need no
 * toolchain and do not share the loader's view of the format. Every image
 * handed to the loader sits in a heap block of exactly its size, so ASan
 * catches any read past its end.
 */
#include "check.h"

#include <stdbool.h>
#include <stdlib.h>

#include <bulkhead/errno.h>

#include "boot/elf64.h"

/* Elf64_Ehdr and Elf64_Phdr with their standard member names. */
struct t_ehdr {
	uint8_t e_ident[16];
	uint16_t e_type;
	uint16_t e_machine;
	uint32_t e_version;
	uint64_t e_entry;
	uint64_t e_phoff;
	uint64_t e_shoff;
	uint32_t e_flags;
	uint16_t e_ehsize;
	uint16_t e_phentsize;
	uint16_t e_phnum;
	uint16_t e_shentsize;
	uint16_t e_shnum;
	uint16_t e_shstrndx;
};

struct t_phdr {
	uint32_t p_type;
	uint32_t p_flags;
	uint64_t p_offset;
	uint64_t p_vaddr;
	uint64_t p_paddr;
	uint64_t p_filesz;
	uint64_t p_memsz;
	uint64_t p_align;
};

#define PT_LOAD 1
#define PT_DYNAMIC 2
#define PT_INTERP 3
#define PT_NOTE 4
#define PT_TLS 7
#define PT_GNU_STACK 0x6474e551u
#define R ELF64_PF_R
#define W ELF64_PF_W
#define X ELF64_PF_X

#define MAXPH 20
#define DATA_AT 0x600   /* segment bytes start after room for MAXPH headers */

static const struct elf64_limits lim = { 0x100000, 0x200000 };

/* An image under construction: headers plus the segment bytes they name. */
struct img {
	struct t_ehdr eh;
	struct t_phdr ph[MAXPH];
	uint8_t data[0x200];   /* file bytes at DATA_AT */
	size_t size;           /* file size */
};

static struct t_phdr load(uint32_t flags, uint64_t addr, uint64_t off, uint64_t filesz,
                          uint64_t memsz)
{
	return (struct t_phdr){ .p_type = PT_LOAD, .p_flags = flags, .p_offset = off,
	                        .p_vaddr = addr, .p_paddr = addr, .p_filesz = filesz,
	                        .p_memsz = memsz, .p_align = 0x1000 };
}

/*
 * The layout guests/runtime/guest.lds makes: text (R+X), rodata (R),
 * data+bss (R+W) on their own pages, and a PT_GNU_STACK header (index 3).
 */
static struct img good(void)
{
	struct img m = { 0 };
	memcpy(m.eh.e_ident, "\177ELF\2\1\1", 7);
	m.eh.e_type = 2;
	m.eh.e_machine = 62;
	m.eh.e_version = 1;
	m.eh.e_entry = 0x100010;
	m.eh.e_phoff = sizeof(m.eh);
	m.eh.e_ehsize = sizeof(m.eh);
	m.eh.e_phentsize = sizeof(struct t_phdr);
	m.eh.e_phnum = 4;
	m.ph[0] = load(R | X, 0x100000, DATA_AT, 0x40, 0x1000);
	m.ph[1] = load(R, 0x101000, DATA_AT + 0x40, 0x20, 0x20);
	m.ph[2] = load(R | W, 0x102000, DATA_AT + 0x60, 0x10, 0x2000);
	m.ph[3] = (struct t_phdr){ .p_type = PT_GNU_STACK, .p_flags = R | W };
	for (unsigned i = 0; i < 0x70; i++)
		m.data[i] = (uint8_t)(i + 1);
	m.size = DATA_AT + 0x70;
	return m;
}

/* The image's bytes, in a heap block of exactly size bytes (at least 1). */
static uint8_t *bytes(const struct img *m, size_t size)
{
	uint8_t full[DATA_AT + sizeof(m->data)];
	memset(full, 0, sizeof(full));
	memcpy(full, &m->eh, sizeof(m->eh));
	memcpy(full + sizeof(m->eh), m->ph, sizeof(m->ph));
	memcpy(full + DATA_AT, m->data, sizeof(m->data));
	uint8_t *b = malloc(size ? size : 1);
	memcpy(b, full, size < sizeof(full) ? size : sizeof(full));
	if (size > sizeof(full))
		memset(b + sizeof(full), 0, size - sizeof(full));
	return b;
}

/* Runs elf64_check on m; returns its result, the sentence in why_out. */
static int check_img(const struct img *m, struct elf64_info *info, char *why_out)
{
	uint8_t *b = bytes(m, m->size);
	const char *why = NULL;
	int rc = elf64_check(b, m->size, &lim, info, &why);
	CHECK(why == info->why);
	strcpy(why_out, why);
	free(b);
	return rc;
}

#define REJECTS(m, text)                                                    \
	do {                                                                \
		struct elf64_info i_;                                       \
		char w_[160];                                               \
		CHECK_EQ(check_img(&(m), &i_, w_), -BH_EINVAL);             \
		if (!strstr(w_, (text)))                                    \
			check_fail(__FILE__, __LINE__, "why \"%s\" lacks \"%s\"", w_, (text)); \
	} while (0)

#define ACCEPTS(m)                                                          \
	do {                                                                \
		struct elf64_info i_;                                       \
		char w_[160];                                               \
		int r_ = check_img(&(m), &i_, w_);                          \
		if (r_ != 0)                                                \
			check_fail(__FILE__, __LINE__, "rejected: %s", w_); \
	} while (0)

TEST(good_image_is_described)
{
	struct img m = good();
	struct elf64_info info;
	char why[160];
	CHECK_EQ(check_img(&m, &info, why), 0);
	CHECK_STR_EQ(why, "");
	CHECK_EQ(info.entry, 0x100010);
	CHECK_EQ(info.nsegments, 3);
	CHECK_EQ(info.image_start, 0x100000);
	CHECK_EQ(info.image_end, 0x104000);
	CHECK_EQ(info.segments[0].addr, 0x100000);
	CHECK_EQ(info.segments[0].flags, R | X);
	CHECK_EQ(info.segments[0].offset, DATA_AT);
	CHECK_EQ(info.segments[0].filesz, 0x40);
	CHECK_EQ(info.segments[0].memsz, 0x1000);
	CHECK_EQ(info.segments[1].flags, R);
	CHECK_EQ(info.segments[2].addr, 0x102000);
	CHECK_EQ(info.segments[2].flags, R | W);
	CHECK_EQ(info.segments[2].phdr, 2);

	/* why may be NULL; the image may sit at any alignment. */
	uint8_t *b = bytes(&m, m.size);
	uint8_t *odd = malloc(m.size + 1);
	memcpy(odd + 1, b, m.size);
	CHECK_EQ(elf64_check(odd + 1, m.size, &lim, &info, NULL), 0);
	free(odd);
	free(b);
}

TEST(load_copies_file_bytes_and_zeroes_the_rest)
{
	struct img m = good();
	uint8_t *b = bytes(&m, m.size);
	struct elf64_info info;
	CHECK_EQ(elf64_check(b, m.size, &lim, &info, NULL), 0);

	size_t span = lim.max_addr - lim.min_addr;
	uint8_t *mem = malloc(span);
	memset(mem, 0xcc, span);
	CHECK_EQ(elf64_load(b, m.size, &info, mem, lim.min_addr), 0);
	for (unsigned i = 0; i < 0x40; i++)
		CHECK_EQ(mem[i], i + 1);                       /* text */
	for (unsigned i = 0x40; i < 0x1000; i++)
		CHECK_EQ(mem[i], 0);
	for (unsigned i = 0; i < 0x20; i++)
		CHECK_EQ(mem[0x1000 + i], 0x41 + i);           /* rodata */
	CHECK_EQ(mem[0x1020], 0xcc);                           /* past its memsz */
	for (unsigned i = 0; i < 0x10; i++)
		CHECK_EQ(mem[0x2000 + i], 0x61 + i);           /* data */
	for (unsigned i = 0x10; i < 0x2000; i++)
		CHECK_EQ(mem[0x2000 + i], 0);                  /* bss */
	CHECK_EQ(mem[0x4000], 0xcc);

	/* A destination that starts above a segment, or a shorter image: refused, nothing copied. */
	memset(mem, 0xcc, span);
	CHECK_EQ(elf64_load(b, m.size, &info, mem, 0x101000), -BH_EINVAL);
	CHECK_EQ(elf64_load(b, m.size - 1, &info, mem, lim.min_addr), -BH_EINVAL);
	for (size_t i = 0; i < span; i++)
		CHECK_EQ(mem[i], 0xcc);
	free(mem);
	free(b);
}

TEST(header_rejections)
{
	struct img m;
	m = good(); m.size = 63;                REJECTS(m, "shorter than an ELF header");
	m = good(); m.size = 0;                 REJECTS(m, "shorter than an ELF header");
	m = good(); m.eh.e_ident[1] = 'e';        REJECTS(m, "not an ELF file");
	m = good(); m.eh.e_ident[4] = 1;          REJECTS(m, "not a 64-bit ELF file (EI_CLASS is 1)");
	m = good(); m.eh.e_ident[5] = 2;          REJECTS(m, "not a little-endian");
	m = good(); m.eh.e_ident[6] = 0;          REJECTS(m, "unknown ELF version");
	m = good(); m.eh.e_version = 2;           REJECTS(m, "unknown ELF version");
	m = good(); m.eh.e_machine = 3;           REJECTS(m, "not an x86-64 program (e_machine is 3)");
	m = good(); m.eh.e_type = 3;              REJECTS(m, "ET_DYN");
	m = good(); m.eh.e_type = 1;              REJECTS(m, "not an executable (e_type is 1)");
	m = good(); m.eh.e_phentsize = 64;        REJECTS(m, "e_phentsize is 64, not 56");
	m = good(); m.eh.e_phnum = 0;             REJECTS(m, "no program headers");
	m = good(); m.eh.e_phnum = 0xffff;        REJECTS(m, "PN_XNUM");
	m = good(); m.eh.e_phoff = m.size;        REJECTS(m, "program header table extends past");
	m = good(); m.eh.e_phoff = ~0ull;         REJECTS(m, "program header table extends past");
	m = good(); m.eh.e_phoff = ~0ull - 100;   REJECTS(m, "program header table extends past");
	m = good(); m.eh.e_phoff = m.size - 56 * 4 + 1;
	REJECTS(m, "program header table extends past");
	m = good(); m.eh.e_phnum = 40;            REJECTS(m, "program header table extends past");

	struct elf64_limits empty = { 0x200000, 0x200000 };
	m = good();
	uint8_t *b = bytes(&m, m.size);
	struct elf64_info info;
	const char *why;
	CHECK_EQ(elf64_check(b, m.size, &empty, &info, &why), -BH_EINVAL);
	CHECK(strstr(why, "empty limits"));
	free(b);
}

TEST(program_header_rejections)
{
	struct img m;
	m = good(); m.ph[3].p_type = PT_INTERP;   REJECTS(m, "program header 3 is PT_INTERP");
	m = good(); m.ph[3].p_type = PT_DYNAMIC;  REJECTS(m, "program header 3 is PT_DYNAMIC");
	m = good(); m.ph[3].p_type = PT_TLS;      REJECTS(m, "program header 3 is PT_TLS");
	m = good(); m.ph[1].p_filesz = 0x21;
	REJECTS(m, "program header 1 has p_filesz 0x21 larger than p_memsz 0x20");
	m = good(); m.ph[2].p_filesz = 0x11;
	REJECTS(m, "program header 2 extends past the end of the file");
	m = good(); m.ph[2].p_offset = ~0ull; m.ph[2].p_filesz = 2;
	REJECTS(m, "program header 2 extends past the end of the file");
	m = good(); m.ph[2].p_offset = m.size + 1; m.ph[2].p_filesz = 0;
	REJECTS(m, "program header 2 extends past the end of the file");
	m = good(); m.ph[1].p_vaddr = 0x401000;
	REJECTS(m, "program header 1 has p_vaddr 0x401000 but p_paddr 0x101000");
	m = good(); m.ph[1].p_vaddr = m.ph[1].p_paddr = 0x101800;
	REJECTS(m, "program header 1 starts at 0x101800, which is not 4 KiB aligned");
	m = good(); m.ph[0].p_vaddr = m.ph[0].p_paddr = 0xff000; m.eh.e_entry = 0xff010;
	REJECTS(m, "program header 0 (0x1000 bytes at 0xff000) lies outside guest memory "
	           "[0x100000, 0x200000)");
	m = good(); m.ph[2].p_vaddr = m.ph[2].p_paddr = 0x1ff000;
	REJECTS(m, "program header 2 (0x2000 bytes at 0x1ff000) lies outside");
	m = good(); m.ph[2].p_vaddr = m.ph[2].p_paddr = 0x200000;
	REJECTS(m, "program header 2 (0x2000 bytes at 0x200000) lies outside");
	m = good(); m.ph[2].p_memsz = ~0ull;      REJECTS(m, "program header 2 (0xffffffffffffffff");
	/* The longest sentences fit info->why whole. */
	REJECTS(m, "bytes at 0x102000) lies outside guest memory [0x100000, 0x200000)");
	m = good(); m.ph[2].p_vaddr = m.ph[2].p_paddr = 0xfffffffffffff000ull;
	REJECTS(m, "lies outside");
	m = good(); m.ph[2].p_flags = R | W | X;
	REJECTS(m, "program header 2 is both writable and executable");
	m = good(); m.ph[0].p_flags = W | X;      REJECTS(m, "both writable and executable");
	m = good(); m.ph[2].p_vaddr = m.ph[2].p_paddr = 0x101000;
	REJECTS(m, "program headers 1 and 2 share a 4 KiB page");
	m = good(); m.ph[1].p_vaddr = m.ph[1].p_paddr = 0x100000;
	REJECTS(m, "program headers 0 and 1 share a 4 KiB page");
	/* Overlapping in bytes, not only in pages. */
	m = good(); m.ph[2].p_vaddr = m.ph[2].p_paddr = 0x100000; m.ph[2].p_memsz = 0x4000;
	REJECTS(m, "program headers 0 and 2 share");
	/* Disjoint bytes, but the text's last page is data's first. */
	m = good(); m.ph[0].p_memsz = 0x1001; m.ph[1].p_vaddr = m.ph[1].p_paddr = 0x103000;
	m.ph[2].p_vaddr = m.ph[2].p_paddr = 0x101000; m.ph[2].p_memsz = 0x1000;
	REJECTS(m, "program headers 0 and 2 share a 4 KiB page");
}

TEST(entry_point_must_be_in_executable_segment)
{
	struct img m;
	m = good(); m.eh.e_entry = 0x101000;
	REJECTS(m, "the entry point 0x101000 is not inside an executable segment");
	m = good(); m.eh.e_entry = 0x102000;      REJECTS(m, "entry point 0x102000");
	m = good(); m.eh.e_entry = 0x101000 - 1;  ACCEPTS(m);   /* last text byte */
	m = good(); m.eh.e_entry = 0xfffff;       REJECTS(m, "entry point");
	m = good(); m.eh.e_entry = 0;             REJECTS(m, "entry point");
	m = good(); m.eh.e_entry = ~0ull;         REJECTS(m, "entry point");
	m = good(); m.ph[0].p_flags = R;          REJECTS(m, "entry point 0x100010");
}

TEST(load_count_and_empty_segments)
{
	struct img m = good();
	/* Only a non-load header: no PT_LOAD. */
	m.ph[0] = m.ph[3];
	m.eh.e_phnum = 1;
	REJECTS(m, "no PT_LOAD program header");

	/* Empty PT_LOADs are ignored entirely, even with nonsense in them. */
	m = good();
	m.ph[3] = load(R | W | X, 0x1234, ~0ull, 5, 0);
	ACCEPTS(m);
	m.ph[0].p_memsz = 0;
	m.ph[0].p_filesz = 0;
	m.ph[1].p_memsz = m.ph[1].p_filesz = 0;
	m.ph[2].p_memsz = m.ph[2].p_filesz = 0;
	REJECTS(m, "no PT_LOAD program header");

	/* 16 segments are fine, 17 are not. */
	m = good();
	m.eh.e_phnum = 17;
	for (unsigned i = 0; i < 16; i++)
		m.ph[i] = load(i ? R : R | X, 0x100000 + i * 0x1000, DATA_AT, 0x10, 0x1000);
	m.ph[16] = m.ph[3];
	m.ph[16].p_type = PT_NOTE;
	ACCEPTS(m);
	m.ph[16] = load(R, 0x110000, DATA_AT, 0x10, 0x10);
	REJECTS(m, "more than 16 PT_LOAD program headers");

	/* A segment may end exactly at the limit. */
	m = good();
	m.ph[2].p_vaddr = m.ph[2].p_paddr = 0x1fe000;
	ACCEPTS(m);
}

TEST(every_truncation_is_rejected_without_reading_past_the_end)
{
	struct img m = good();
	uint8_t *full = bytes(&m, m.size);
	unsigned accepted = 0;
	for (size_t len = 0; len <= m.size; len++) {
		uint8_t *b = malloc(len ? len : 1);
		memcpy(b, full, len);
		struct elf64_info info;
		const char *why;
		int rc = elf64_check(b, len, &lim, &info, &why);
		if (rc == 0)
			accepted++;
		else
			CHECK(why && why[0]);
		/* Every byte up to the end of the last segment is needed. */
		CHECK_EQ(rc == 0, len == m.size);
		free(b);
	}
	CHECK_EQ(accepted, 1);
	free(full);

	/* Trailing bytes the headers do not use (section headers, say) are fine. */
	m.size += 100;
	ACCEPTS(m);
}

/* xorshift64*, for a reproducible stream of mutations. */
static uint64_t rng(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545f4914f6cdd1dull;
}

TEST(random_corruption_is_caught_or_harmless)
{
	struct img m = good();
	uint8_t *orig = bytes(&m, m.size);
	size_t span = lim.max_addr - lim.min_addr;
	uint8_t *mem = malloc(span);
	uint64_t s = 0x9e3779b97f4a7c15ull;
	unsigned accepted = 0;
	for (int iter = 0; iter < 20000; iter++) {
		uint8_t *b = malloc(m.size);
		memcpy(b, orig, m.size);
		/* Flip 1-4 bytes of the headers, sometimes to an extreme value. */
		for (int k = 1 + rng(&s) % 4; k > 0; k--) {
			size_t at = rng(&s) % (sizeof(struct t_ehdr) + 4 * sizeof(struct t_phdr));
			uint64_t r = rng(&s);
			b[at] = (r & 0x300) == 0 ? 0xff : (r & 0x300) == 0x100 ? 0 : (uint8_t)r;
		}
		struct elf64_info info;
		const char *why;
		if (elf64_check(b, m.size, &lim, &info, &why) == 0) {
			accepted++;
			CHECK(info.nsegments >= 1 && info.nsegments <= ELF64_MAX_SEGMENTS);
			bool entry_ok = false;
			for (unsigned j = 0; j < info.nsegments; j++) {
				const struct elf64_segment *g = &info.segments[j];
				CHECK(g->addr >= lim.min_addr && g->addr < lim.max_addr);
				CHECK(g->memsz <= lim.max_addr - g->addr);
				CHECK(g->offset <= m.size && g->filesz <= m.size - g->offset);
				CHECK(g->filesz <= g->memsz);
				CHECK((g->flags & (W | X)) != (W | X));
				entry_ok |= (g->flags & X) && info.entry >= g->addr &&
				            info.entry - g->addr < g->memsz;
			}
			CHECK(entry_ok);
			CHECK_EQ(elf64_load(b, m.size, &info, mem, lim.min_addr), 0);
		} else {
			CHECK(why && why[0]);
		}
		free(b);
	}
	/* Some mutations hit fields nobody checks (e_shoff, p_align, ...). */
	CHECK(accepted > 0);
	free(mem);
	free(orig);
}
