/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * ELF64 guest image checks and loading (contracts in elf64.h, rules in
 * docs/guest-abi.md). Headers are copied out of the image with memcpy
 * before use: the image is a byte buffer with no alignment promise, and
 * every offset, size and address in it is checked against the buffer and
 * the limits before anything else relies on it.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>

#include <bulkhead/errno.h>

#include "boot/elf64.h"
#include "lib/elf64_format.h"
#include "lib/format.h"
#include "lib/string.h"

#define PAGE_SHIFT    12
#define PAGE_MASK     ((1ull << PAGE_SHIFT) - 1)

__attribute__((format(printf, 2, 3)))
static int reject(struct elf64_info *info, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	bh_vsnprintf(info->why, sizeof(info->why), fmt, ap);
	va_end(ap);
	return -BH_EINVAL;
}

static int check_header(const struct elf64_ehdr *eh, size_t size, struct elf64_info *info)
{
	if (memcmp(eh->ident, ELF64_MAGIC, ELF64_MAGIC_LEN) != 0)
		return reject(info, "not an ELF file (bad magic number)");
	if (eh->ident[EI_CLASS] != ELFCLASS64)
		return reject(info, "not a 64-bit ELF file (EI_CLASS is %u)", eh->ident[EI_CLASS]);
	if (eh->ident[EI_DATA] != ELFDATA2LSB)
		return reject(info, "not a little-endian ELF file (EI_DATA is %u)",
		              eh->ident[EI_DATA]);
	if (eh->ident[EI_VERSION] != EV_CURRENT || eh->version != EV_CURRENT)
		return reject(info, "unknown ELF version (EI_VERSION %u, e_version %u)",
		              eh->ident[EI_VERSION], eh->version);
	if (eh->machine != EM_X86_64)
		return reject(info, "not an x86-64 program (e_machine is %u)", eh->machine);
	if (eh->type == ET_DYN)
		return reject(info, "a position-independent or shared object (ET_DYN): "
		              "link the app static and not PIE");
	if (eh->type != ET_EXEC)
		return reject(info, "not an executable (e_type is %u)", eh->type);
	if (eh->phentsize != sizeof(struct elf64_phdr))
		return reject(info, "e_phentsize is %u, not %zu", eh->phentsize,
		              sizeof(struct elf64_phdr));
	if (eh->phnum == 0)
		return reject(info, "no program headers");
	if (eh->phnum == PN_XNUM)
		return reject(info, "too many program headers (e_phnum is PN_XNUM)");
	/* phnum * 56 < 2^22: no overflow; phoff is checked before subtracting. */
	if (eh->phoff > size || eh->phnum * sizeof(struct elf64_phdr) > size - eh->phoff)
		return reject(info, "the program header table extends past the end of the file");
	return 0;
}

static uint64_t first_page(const struct elf64_segment *s)
{
	return s->addr >> PAGE_SHIFT;
}

static uint64_t last_page(const struct elf64_segment *s)
{
	return (s->addr + (s->memsz - 1)) >> PAGE_SHIFT;   /* memsz > 0, no wrap */
}

/* Checks program header i (ph) and, if it is a non-empty PT_LOAD, records it. */
static int check_phdr(const struct elf64_phdr *ph, unsigned i, size_t size,
                      const struct elf64_limits *lim, struct elf64_info *info)
{
	if (ph->type == PT_INTERP || ph->type == PT_DYNAMIC)
		return reject(info, "program header %u is %s: the image is dynamically "
		              "linked; link it static", i,
		              ph->type == PT_INTERP ? "PT_INTERP" : "PT_DYNAMIC");
	if (ph->type == PT_TLS)
		return reject(info, "program header %u is PT_TLS: thread-local storage "
		              "is not supported", i);
	/* Nothing is loaded for an empty PT_LOAD, so nothing in it matters. */
	if (ph->type != PT_LOAD || ph->memsz == 0)
		return 0;

	if (ph->filesz > ph->memsz)
		return reject(info, "program header %u has p_filesz 0x%llx larger than "
		              "p_memsz 0x%llx", i, (unsigned long long)ph->filesz,
		              (unsigned long long)ph->memsz);
	if (ph->offset > size || ph->filesz > size - ph->offset)
		return reject(info, "program header %u extends past the end of the file", i);
	if (ph->vaddr != ph->paddr)
		return reject(info, "program header %u has p_vaddr 0x%llx but p_paddr 0x%llx "
		              "(guests run identity-mapped)", i,
		              (unsigned long long)ph->vaddr, (unsigned long long)ph->paddr);
	if (ph->paddr & PAGE_MASK)
		return reject(info, "program header %u starts at 0x%llx, which is not 4 KiB "
		              "aligned", i, (unsigned long long)ph->paddr);
	if (ph->paddr < lim->min_addr || ph->paddr >= lim->max_addr ||
	    ph->memsz > lim->max_addr - ph->paddr)
		return reject(info, "program header %u (0x%llx bytes at 0x%llx) lies outside "
		              "guest memory [0x%llx, 0x%llx)", i,
		              (unsigned long long)ph->memsz, (unsigned long long)ph->paddr,
		              (unsigned long long)lim->min_addr,
		              (unsigned long long)lim->max_addr);
	if ((ph->flags & ELF64_PF_W) && (ph->flags & ELF64_PF_X))
		return reject(info, "program header %u is both writable and executable "
		              "(W^X: put code and data in separate segments)", i);
	if (info->nsegments == ELF64_MAX_SEGMENTS)
		return reject(info, "more than %u PT_LOAD program headers", ELF64_MAX_SEGMENTS);

	struct elf64_segment s = {
		.addr = ph->paddr, .memsz = ph->memsz, .offset = ph->offset,
		.filesz = ph->filesz, .flags = ph->flags, .phdr = (uint16_t)i,
	};
	/* Page granularity: each page gets exactly one segment's rights. */
	for (unsigned j = 0; j < info->nsegments; j++) {
		const struct elf64_segment *o = &info->segments[j];
		if (first_page(&s) <= last_page(o) && first_page(o) <= last_page(&s))
			return reject(info, "program headers %u and %u share a 4 KiB page",
			              o->phdr, i);
	}
	info->segments[info->nsegments++] = s;
	return 0;
}

/* Contract in elf64.h. */
int elf64_check(const void *image, size_t size, const struct elf64_limits *lim,
                struct elf64_info *info, const char **why)
{
	const uint8_t *bytes = image;
	struct elf64_ehdr eh;
	int rc;

	memset(info, 0, sizeof(*info));
	if (why)
		*why = info->why;
	if (lim->min_addr >= lim->max_addr)
		return reject(info, "no guest memory to load into (empty limits)");
	if (size < sizeof(eh))
		return reject(info, "the file is %zu bytes, shorter than an ELF header", size);
	memcpy(&eh, bytes, sizeof(eh));
	if ((rc = check_header(&eh, size, info)) != 0)
		return rc;

	for (unsigned i = 0; i < eh.phnum; i++) {
		struct elf64_phdr ph;
		memcpy(&ph, bytes + eh.phoff + i * sizeof(ph), sizeof(ph));
		if ((rc = check_phdr(&ph, i, size, lim, info)) != 0)
			return rc;
	}
	if (info->nsegments == 0)
		return reject(info, "no PT_LOAD program header with contents");

	bool entry_ok = false;
	info->image_start = UINT64_MAX;
	for (unsigned j = 0; j < info->nsegments; j++) {
		const struct elf64_segment *s = &info->segments[j];
		if ((s->flags & ELF64_PF_X) && eh.entry >= s->addr &&
		    eh.entry - s->addr < s->memsz)
			entry_ok = true;
		if (s->addr < info->image_start)
			info->image_start = s->addr;
		if (s->addr + s->memsz > info->image_end)
			info->image_end = s->addr + s->memsz;
	}
	if (!entry_ok)
		return reject(info, "the entry point 0x%llx is not inside an executable "
		              "segment", (unsigned long long)eh.entry);
	info->entry = eh.entry;
	info->why[0] = '\0';
	return 0;
}

/* Contract in elf64.h. */
int elf64_load(const void *image, size_t size, const struct elf64_info *info,
               void *dst_base, uint64_t dst_addr)
{
	if (info->nsegments > ELF64_MAX_SEGMENTS)
		return -BH_EINVAL;
	for (unsigned j = 0; j < info->nsegments; j++) {
		const struct elf64_segment *s = &info->segments[j];
		if (s->offset > size || s->filesz > size - s->offset ||
		    s->filesz > s->memsz || s->addr < dst_addr)
			return -BH_EINVAL;
	}
	for (unsigned j = 0; j < info->nsegments; j++) {
		const struct elf64_segment *s = &info->segments[j];
		uint8_t *dst = (uint8_t *)dst_base + (s->addr - dst_addr);
		memcpy(dst, (const uint8_t *)image + s->offset, s->filesz);
		memset(dst + s->filesz, 0, s->memsz - s->filesz);
	}
	return 0;
}
