/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Reads a Linux kernel's vmlinux (an ELF64 executable) for direct boot
 * through PVH: where its segments go in guest-physical memory and the
 * 32-bit entry point its Xen ELF note XEN_ELFNOTE_PHYS32_ENTRY names.
 * The monitor's Linux loader will use it before copying anything; the
 * build already checks the extracted kernel with it (build/host/pvh-info,
 * mk/linux.mk), so a kernel without PVH support stops the build.
 *
 * Pure and freestanding: the image is an untrusted byte buffer, nothing
 * outside it is read, and no arithmetic on its values wraps, so host tests
 * can feed it any bytes. What a PVH entry expects (32-bit protected mode,
 * paging off, %ebx = the struct hvm_start_info) is in hvm_start_info.h and
 * docs/linux-guest.md.
 */
#ifndef VMM_LOADER_PVH_H
#define VMM_LOADER_PVH_H

#include <stddef.h>
#include <stdint.h>

/* Debian's 6.1 vmlinux has 4 PT_LOAD segments; room for more. */
#define PVH_MAX_SEGMENTS 16

/* Xen's ELF note owner, and the note type of the 32-bit physical entry
 * point (Xen public/elfnote.h, XEN_ELFNOTE_PHYS32_ENTRY). */
#define PVH_NOTE_NAME             "Xen"
#define PVH_NOTE_PHYS32_ENTRY     18

/* PVH starts the guest with paging off: everything it needs lies below
 * 4 GiB. */
#define PVH_ADDR_LIMIT            0x100000000ull

/* One non-empty PT_LOAD segment: copy filesz bytes from offset in the
 * image to guest-physical paddr, and zero the rest of memsz. */
struct pvh_segment {
	uint64_t paddr;    /* p_paddr: where it goes; p_vaddr is the kernel's
	                      virtual address and means nothing to a loader */
	uint64_t memsz;    /* > 0 */
	uint64_t offset;   /* of its file bytes in the image */
	uint64_t filesz;   /* <= memsz */
	uint32_t flags;    /* p_flags (PF_X 1, PF_W 2, PF_R 4) */
};

struct pvh_image {
	uint32_t entry;        /* guest-physical, inside an executable segment */
	uint64_t load_start;   /* lowest segment paddr */
	uint64_t load_end;     /* one past the highest segment byte, <= 4 GiB */
	unsigned nsegments;    /* 1 to PVH_MAX_SEGMENTS, program-header order */
	struct pvh_segment segments[PVH_MAX_SEGMENTS];
};

/* Why pvh_parse refused an image: one value per rule, so a caller and a
 * test can tell exactly what was wrong. pvh_error_name describes each. */
enum pvh_error {
	PVH_OK = 0,
	PVH_E_TRUNCATED,            /* shorter than an ELF header */
	PVH_E_NOT_ELF,              /* bad magic number */
	PVH_E_NOT_ELF64_LE,         /* not ELFCLASS64 / ELFDATA2LSB */
	PVH_E_BAD_VERSION,          /* EI_VERSION or e_version not EV_CURRENT */
	PVH_E_NOT_X86_64,           /* e_machine not EM_X86_64 */
	PVH_E_NOT_EXEC,             /* e_type not ET_EXEC */
	PVH_E_BAD_PHENTSIZE,        /* e_phentsize not 56 */
	PVH_E_NO_PHDRS,             /* e_phnum 0 or PN_XNUM */
	PVH_E_PHDRS_OUTSIDE,        /* program header table past the end */
	PVH_E_SEGMENT_OUTSIDE,      /* a segment's file bytes past the end */
	PVH_E_FILESZ_OVER_MEMSZ,    /* PT_LOAD with p_filesz > p_memsz */
	PVH_E_SEGMENT_ABOVE_4G,     /* PT_LOAD reaching past 4 GiB (or wrapping) */
	PVH_E_SEGMENTS_OVERLAP,     /* two PT_LOADs share guest-physical bytes */
	PVH_E_TOO_MANY_SEGMENTS,    /* more than PVH_MAX_SEGMENTS PT_LOADs */
	PVH_E_NO_SEGMENTS,          /* no non-empty PT_LOAD */
	PVH_E_NOTE_MALFORMED,       /* a note's sizes run past its PT_NOTE */
	PVH_E_NO_ENTRY_NOTE,        /* no Xen PHYS32_ENTRY note: no PVH support */
	PVH_E_ENTRY_NOTE_SIZE,      /* its descriptor is not 4 or 8 bytes */
	PVH_E_ENTRY_DUPLICATE,      /* more than one such note */
	PVH_E_ENTRY_ABOVE_4G,       /* an 8-byte entry that is not a 32-bit value */
	PVH_E_ENTRY_OUTSIDE,        /* entry not inside an executable segment */
	PVH_E_COUNT
};

/*
 * Checks that image[0, size) is an x86-64 ELF executable that can be
 * booted through PVH and describes it in *out. Checked, in this order:
 * the ELF header (magic, class, data, version, machine, ET_EXEC,
 * e_phentsize, e_phnum, the table inside the file); every program header
 * (any type: its file bytes inside the file; PT_LOAD with p_memsz > 0:
 * filesz <= memsz, below 4 GiB, no overlap with another, at most
 * PVH_MAX_SEGMENTS; PT_LOADs with p_memsz 0 and other types are not
 * loaded); then the notes of every PT_NOTE segment, each of whose headers,
 * names and descriptors must lie inside it; exactly one note named "Xen"
 * of type 18, whose 4- or 8-byte little-endian descriptor is the entry
 * point, which must be below 4 GiB and inside an executable PT_LOAD.
 * Section headers are never read (a stripped kernel has none worth
 * trusting).
 *
 * Returns PVH_OK, or the first rule broken; on failure *out means
 * nothing.
 */
enum pvh_error pvh_parse(const void *image, size_t size, struct pvh_image *out);

/* A short sentence naming err ("no Xen PHYS32_ENTRY note: ..."); never
 * NULL, also for values outside the enum. */
const char *pvh_error_name(int err);

#endif
