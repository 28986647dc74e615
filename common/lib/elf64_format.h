/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The ELF-64 on-disk structures and the constants Bulkhead's loaders read:
 * the kernel's native-image loader (hypervisor/boot/elf64.c) and the Linux
 * PVH loader (vmm/loader/pvh.c). One definition, so the two cannot drift.
 * Facts only, from the System V ABI "ELF-64 Object File Format" 1.5 and the
 * x86-64 psABI; no behaviour. Images are untrusted byte buffers with no
 * alignment promise: copy a structure out with memcpy before reading it.
 */
#ifndef LIB_ELF64_FORMAT_H
#define LIB_ELF64_FORMAT_H

#include <stdint.h>

/* Elf64_Ehdr. */
struct elf64_ehdr {
	uint8_t  ident[16];
	uint16_t type, machine;
	uint32_t version;
	uint64_t entry, phoff, shoff;
	uint32_t flags;
	uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};

/* Elf64_Phdr. */
struct elf64_phdr {
	uint32_t type, flags;
	uint64_t offset, vaddr, paddr, filesz, memsz, align;
};

/* Elf64_Nhdr: followed by the name and then the descriptor, each padded
 * to a multiple of 4 bytes (the x86-64 and Linux convention for notes). */
struct elf64_nhdr {
	uint32_t namesz, descsz, type;
};

_Static_assert(sizeof(struct elf64_ehdr) == 64, "Elf64_Ehdr is 64 bytes");
_Static_assert(sizeof(struct elf64_phdr) == 56, "Elf64_Phdr is 56 bytes");
_Static_assert(sizeof(struct elf64_nhdr) == 12, "Elf64_Nhdr is 12 bytes");

/* e_ident. */
#define ELF64_MAGIC        "\x7f" "ELF"
#define ELF64_MAGIC_LEN    4
#define EI_CLASS           4
#define EI_DATA            5
#define EI_VERSION         6
#define ELFCLASS64         2
#define ELFDATA2LSB        1
#define EV_CURRENT         1

/* e_type, e_machine, e_phnum. */
#define ET_EXEC            2
#define ET_DYN             3
#define EM_X86_64          62
#define PN_XNUM            0xffff

/* p_type. */
#define PT_LOAD            1
#define PT_DYNAMIC         2
#define PT_INTERP          3
#define PT_NOTE            4
#define PT_TLS             7

#endif
