/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Loader for native guest images: statically linked x86-64 ELF executables
 * (ET_EXEC, not PIE) that run identity-mapped, virtual address = guest-
 * physical address (docs/guest-abi.md). Pure: the image is a byte buffer
 * from the boot bundle, every field of it is untrusted, and nothing outside
 * the buffer is ever read, so host tests can feed it any bytes.
 *
 * Use elf64_check first; elf64_load then copies what the check accepted.
 * Reference: System V ABI, "ELF-64 Object File Format" 1.5, and the x86-64
 * psABI (EM_X86_64 = 62).
 */
#ifndef BOOT_ELF64_H
#define BOOT_ELF64_H

#include <stddef.h>
#include <stdint.h>

/* p_flags of a segment. */
#define ELF64_PF_X 0x1u
#define ELF64_PF_W 0x2u
#define ELF64_PF_R 0x4u

/* More PT_LOAD segments than a linker makes for text, rodata, data, bss. */
#define ELF64_MAX_SEGMENTS 16

/* Where the image may put segments: guest-physical [min_addr, max_addr). */
struct elf64_limits {
	uint64_t min_addr;
	uint64_t max_addr;
};

/* One non-empty PT_LOAD segment, as checked. */
struct elf64_segment {
	uint64_t addr;     /* guest-physical = virtual address, 4 KiB aligned */
	uint64_t memsz;    /* > 0; the bytes past filesz are zero */
	uint64_t offset;   /* of the file bytes in the image */
	uint64_t filesz;   /* <= memsz */
	uint32_t flags;    /* ELF64_PF_*; never both W and X */
	uint16_t phdr;     /* its program header's index, for messages */
};

struct elf64_info {
	uint64_t entry;        /* inside an executable segment */
	uint64_t image_start;  /* lowest segment address */
	uint64_t image_end;    /* one past the highest segment byte */
	unsigned nsegments;    /* 1 to ELF64_MAX_SEGMENTS */
	struct elf64_segment segments[ELF64_MAX_SEGMENTS];  /* program-header order */
	char why[160];         /* the rejection sentence; *why points here */
};

/*
 * Checks that image[0, size) is a native guest image whose segments fit
 * in lim, and describes it in *info. Checked, in this order (the rules of
 * docs/guest-abi.md): ELF magic, ELFCLASS64, ELFDATA2LSB, EV_CURRENT (in
 * e_ident and e_version), EM_X86_64, ET_EXEC, e_phentsize, the program
 * header table inside the file; then for every program header: no
 * PT_INTERP or PT_DYNAMIC (the image must be static) and no PT_TLS, and
 * for PT_LOAD: p_filesz <= p_memsz, the file bytes inside the file,
 * p_vaddr == p_paddr, p_paddr 4 KiB aligned, [p_paddr, p_paddr+p_memsz)
 * inside lim, not writable and executable at once (W^X holds in guests
 * too), at most ELF64_MAX_SEGMENTS, no 4 KiB page shared with another
 * PT_LOAD (so each page gets one segment's rights; this also rules out
 * overlap); finally at least one PT_LOAD and the entry point inside an
 * executable one. Arithmetic on file values never wraps. PT_LOADs with
 * p_memsz 0, other program header types and all section headers are
 * ignored.
 *
 * Returns 0, or -BH_EINVAL with *why pointing at a sentence in info->why
 * naming the first problem ("program header 2 extends past the end of the
 * file"); why may be NULL. On failure the rest of *info means nothing.
 */
int elf64_check(const void *image, size_t size, const struct elf64_limits *lim,
                struct elf64_info *info, const char **why);

/*
 * Copies each segment's file bytes of image to dst_base + (addr - dst_addr)
 * and zeroes the rest of its memsz: dst_base is where guest-physical
 * address dst_addr is mapped in the kernel, and must give write access to
 * [info->image_start, info->image_end) of guest-physical memory (which the
 * limits given to elf64_check guarantee when they lie inside it). Bytes
 * between segments are not touched: scrub the guest's memory first.
 * info must come from elf64_check of the same image and size.
 *
 * Returns 0, or -BH_EINVAL (nothing copied) if info does not fit image
 * and size or a segment lies below dst_addr.
 */
int elf64_load(const void *image, size_t size, const struct elf64_info *info,
               void *dst_base, uint64_t dst_addr);

#endif
