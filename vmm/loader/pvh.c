/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * PVH boot facts from a vmlinux (contracts in pvh.h). Every structure is
 * copied out of the image with memcpy before use, since the buffer has no
 * alignment promise, and every offset and size is compared with what is
 * left of the buffer (subtracting, never adding) so no check can wrap.
 */
#include <stdbool.h>
#include <stdint.h>

#include "lib/elf64_format.h"
#include "lib/string.h"
#include "loader/pvh.h"

#define PF_X 0x1u

/* Notes pad their name and descriptor to 4 bytes (see elf64_format.h). */
#define NOTE_ALIGN 4u

static uint64_t note_pad(uint64_t n)
{
	return (n + (NOTE_ALIGN - 1)) & ~(uint64_t)(NOTE_ALIGN - 1);   /* n < 2^33 */
}

static enum pvh_error check_header(const struct elf64_ehdr *eh, size_t size)
{
	if (memcmp(eh->ident, ELF64_MAGIC, ELF64_MAGIC_LEN) != 0)
		return PVH_E_NOT_ELF;
	if (eh->ident[EI_CLASS] != ELFCLASS64 || eh->ident[EI_DATA] != ELFDATA2LSB)
		return PVH_E_NOT_ELF64_LE;
	if (eh->ident[EI_VERSION] != EV_CURRENT || eh->version != EV_CURRENT)
		return PVH_E_BAD_VERSION;
	if (eh->machine != EM_X86_64)
		return PVH_E_NOT_X86_64;
	if (eh->type != ET_EXEC)
		return PVH_E_NOT_EXEC;
	if (eh->phentsize != sizeof(struct elf64_phdr))
		return PVH_E_BAD_PHENTSIZE;
	if (eh->phnum == 0 || eh->phnum == PN_XNUM)
		return PVH_E_NO_PHDRS;
	/* phnum * 56 < 2^22: no overflow; phoff is compared before subtracting. */
	if (eh->phoff > size || (uint64_t)eh->phnum * sizeof(struct elf64_phdr) > size - eh->phoff)
		return PVH_E_PHDRS_OUTSIDE;
	return PVH_OK;
}

/* Records ph if it is a non-empty PT_LOAD; the file bytes of every kind
 * of segment were already checked to lie inside the image. */
static enum pvh_error add_segment(const struct elf64_phdr *ph, struct pvh_image *out)
{
	if (ph->type != PT_LOAD || ph->memsz == 0)
		return PVH_OK;
	if (ph->filesz > ph->memsz)
		return PVH_E_FILESZ_OVER_MEMSZ;
	if (ph->paddr >= PVH_ADDR_LIMIT || ph->memsz > PVH_ADDR_LIMIT - ph->paddr)
		return PVH_E_SEGMENT_ABOVE_4G;
	if (out->nsegments == PVH_MAX_SEGMENTS)
		return PVH_E_TOO_MANY_SEGMENTS;

	uint64_t end = ph->paddr + ph->memsz;   /* <= 4 GiB: no wrap */
	for (unsigned j = 0; j < out->nsegments; j++) {
		const struct pvh_segment *o = &out->segments[j];
		if (ph->paddr < o->paddr + o->memsz && o->paddr < end)
			return PVH_E_SEGMENTS_OVERLAP;
	}
	out->segments[out->nsegments++] = (struct pvh_segment){
		.paddr = ph->paddr, .memsz = ph->memsz, .offset = ph->offset,
		.filesz = ph->filesz, .flags = ph->flags,
	};
	return PVH_OK;
}

/* Reads the Xen PHYS32_ENTRY descriptor desc[0, descsz) into *entry. */
static enum pvh_error read_entry(const uint8_t *desc, uint32_t descsz, bool *found,
                                 uint32_t *entry)
{
	uint64_t value = 0;

	if (*found)
		return PVH_E_ENTRY_DUPLICATE;
	if (descsz != 4 && descsz != 8)
		return PVH_E_ENTRY_NOTE_SIZE;
	for (uint32_t i = descsz; i-- > 0;)   /* little-endian */
		value = (value << 8) | desc[i];
	if (value >= PVH_ADDR_LIMIT)
		return PVH_E_ENTRY_ABOVE_4G;
	*found = true;
	*entry = (uint32_t)value;
	return PVH_OK;
}

/* Walks the notes in notes[0, len), taking the PVH entry from the one
 * Xen PHYS32_ENTRY note. The last note's padding may be missing. */
static enum pvh_error scan_notes(const uint8_t *notes, uint64_t len, bool *found,
                                 uint32_t *entry)
{
	static const char name[] = PVH_NOTE_NAME;   /* namesz counts the NUL */
	uint64_t at = 0;

	while (at < len) {
		struct elf64_nhdr nh;
		if (len - at < sizeof(nh))
			return PVH_E_NOTE_MALFORMED;
		memcpy(&nh, notes + at, sizeof(nh));
		uint64_t name_at = at + sizeof(nh);
		if (nh.namesz > len - name_at)
			return PVH_E_NOTE_MALFORMED;
		uint64_t desc_at = name_at + note_pad(nh.namesz);
		if (desc_at > len || nh.descsz > len - desc_at)
			return PVH_E_NOTE_MALFORMED;

		if (nh.type == PVH_NOTE_PHYS32_ENTRY && nh.namesz == sizeof(name) &&
		    memcmp(notes + name_at, name, sizeof(name)) == 0) {
			enum pvh_error rc = read_entry(notes + desc_at, nh.descsz, found, entry);
			if (rc != PVH_OK)
				return rc;
		}
		at = desc_at + note_pad(nh.descsz);   /* may pass len: the loop ends */
	}
	return PVH_OK;
}

static bool entry_is_executable(const struct pvh_image *out)
{
	for (unsigned j = 0; j < out->nsegments; j++) {
		const struct pvh_segment *s = &out->segments[j];
		if ((s->flags & PF_X) && out->entry >= s->paddr &&
		    out->entry - s->paddr < s->memsz)
			return true;
	}
	return false;
}

/* Contract in pvh.h. */
enum pvh_error pvh_parse(const void *image, size_t size, struct pvh_image *out)
{
	const uint8_t *bytes = image;
	struct elf64_ehdr eh;
	enum pvh_error rc;
	bool found = false;

	memset(out, 0, sizeof(*out));
	if (size < sizeof(eh))
		return PVH_E_TRUNCATED;
	memcpy(&eh, bytes, sizeof(eh));
	if ((rc = check_header(&eh, size)) != PVH_OK)
		return rc;

	/* Segments first, so the entry can be checked against all of them. */
	for (unsigned i = 0; i < eh.phnum; i++) {
		struct elf64_phdr ph;
		memcpy(&ph, bytes + eh.phoff + i * sizeof(ph), sizeof(ph));
		if (ph.offset > size || ph.filesz > size - ph.offset)
			return PVH_E_SEGMENT_OUTSIDE;
		if ((rc = add_segment(&ph, out)) != PVH_OK)
			return rc;
	}
	if (out->nsegments == 0)
		return PVH_E_NO_SEGMENTS;

	for (unsigned i = 0; i < eh.phnum; i++) {
		struct elf64_phdr ph;
		memcpy(&ph, bytes + eh.phoff + i * sizeof(ph), sizeof(ph));
		if (ph.type == PT_NOTE &&
		    (rc = scan_notes(bytes + ph.offset, ph.filesz, &found, &out->entry)) != PVH_OK)
			return rc;
	}
	if (!found)
		return PVH_E_NO_ENTRY_NOTE;
	if (!entry_is_executable(out))
		return PVH_E_ENTRY_OUTSIDE;

	out->load_start = UINT64_MAX;
	for (unsigned j = 0; j < out->nsegments; j++) {
		const struct pvh_segment *s = &out->segments[j];
		if (s->paddr < out->load_start)
			out->load_start = s->paddr;
		if (s->paddr + s->memsz > out->load_end)
			out->load_end = s->paddr + s->memsz;
	}
	return PVH_OK;
}

static const char *const error_names[PVH_E_COUNT] = {
	[PVH_OK]                  = "a PVH-bootable kernel",
	[PVH_E_TRUNCATED]         = "shorter than an ELF header",
	[PVH_E_NOT_ELF]           = "not an ELF file (bad magic number)",
	[PVH_E_NOT_ELF64_LE]      = "not a 64-bit little-endian ELF file",
	[PVH_E_BAD_VERSION]       = "unknown ELF version",
	[PVH_E_NOT_X86_64]        = "not an x86-64 program",
	[PVH_E_NOT_EXEC]          = "not an executable (e_type is not ET_EXEC)",
	[PVH_E_BAD_PHENTSIZE]     = "e_phentsize is not 56",
	[PVH_E_NO_PHDRS]          = "no program headers (e_phnum 0 or PN_XNUM)",
	[PVH_E_PHDRS_OUTSIDE]     = "the program header table extends past the end of the file",
	[PVH_E_SEGMENT_OUTSIDE]   = "a segment extends past the end of the file",
	[PVH_E_FILESZ_OVER_MEMSZ] = "a PT_LOAD segment has p_filesz larger than p_memsz",
	[PVH_E_SEGMENT_ABOVE_4G]  = "a PT_LOAD segment reaches past 4 GiB",
	[PVH_E_SEGMENTS_OVERLAP]  = "two PT_LOAD segments overlap",
	[PVH_E_TOO_MANY_SEGMENTS] = "too many PT_LOAD segments",
	[PVH_E_NO_SEGMENTS]       = "no PT_LOAD segment with contents",
	[PVH_E_NOTE_MALFORMED]    = "a note runs past the end of its PT_NOTE segment",
	[PVH_E_NO_ENTRY_NOTE]     = "no Xen PHYS32_ENTRY note: the kernel cannot boot through PVH",
	[PVH_E_ENTRY_NOTE_SIZE]   = "the Xen PHYS32_ENTRY note is not 4 or 8 bytes",
	[PVH_E_ENTRY_DUPLICATE]   = "more than one Xen PHYS32_ENTRY note",
	[PVH_E_ENTRY_ABOVE_4G]    = "the PVH entry point is not a 32-bit address",
	[PVH_E_ENTRY_OUTSIDE]     = "the PVH entry point is not inside an executable segment",
};

/* Contract in pvh.h. */
const char *pvh_error_name(int err)
{
	if (err < 0 || err >= PVH_E_COUNT)
		return "unknown PVH loader error";
	return error_names[err];
}
