/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The native app VM ABI: guest-physical layout, entry state and the
 * start-info page. Specified in docs/guest-abi.md; keep the two in step.
 * The kernel builds VMs to this header and guests/runtime/ relies on it.
 *
 * A native app VM owns guest-physical memory [0, mem_size) and runs in
 * 64-bit mode from its first instruction, identity-mapped (guest-virtual ==
 * guest-physical), in ring 0 of its own VM with interrupts off.
 */
#ifndef BULKHEAD_GUEST_ABI_H
#define BULKHEAD_GUEST_ABI_H

#include <stddef.h>
#include <stdint.h>

/* ---- Memory ------------------------------------------------------------ */

#define BH_GUEST_PAGE_SIZE      0x1000ull

/* mem_size is a multiple of 2 MiB, at least 2 MiB, at most 1 GiB (the
 * kernel-built page tables have one page directory). */
#define BH_GUEST_MEM_ALIGN      0x200000ull
#define BH_GUEST_MEM_DEFAULT    0x200000ull
#define BH_GUEST_MEM_MAX        0x40000000ull

/* Page 0 is never mapped by the guest page tables: a null-pointer guard. */
#define BH_GUEST_NULL_GUARD     0x0000ull
/* struct bh_start_info, one page, written by the kernel before entry. */
#define BH_GUEST_START_INFO     0x1000ull
/* The page tables the kernel builds (CR3 = BH_GUEST_PML4). Text pages
 * are read-only and executable, read-only data and the start-info page
 * read-only, everything else read/write; nothing else is executable. */
#define BH_GUEST_PML4           0x2000ull
#define BH_GUEST_PDPT           0x3000ull
#define BH_GUEST_PD             0x4000ull
#define BH_GUEST_PT             0x5000ull   /* 4 KiB pages of [0, 2 MiB) */
#define BH_GUEST_PT_END         0x6000ull   /* first byte after the tables */
/* The ELF image is loaded in [BH_GUEST_IMAGE_BASE, BH_GUEST_IMAGE_LIMIT):
 * segment rights need 4 KiB pages, and only [0, 2 MiB) has a page table. */
#define BH_GUEST_IMAGE_BASE     0x100000ull
#define BH_GUEST_IMAGE_LIMIT    0x200000ull

/* Channel memory (docs/channels.md): channel h of a VM is mapped by EPT at
 * BH_GUEST_CHANNEL_BASE + h * BH_GUEST_CHANNEL_STRIDE, above any VM's RAM
 * (BH_GUEST_MEM_MAX). A stride holds the largest channel the policy allows. */
#define BH_GUEST_CHANNEL_BASE   0x40000000ull
#define BH_GUEST_CHANNEL_STRIDE 0x1000000ull   /* 16 MiB */
/* The device window: the memory BARs of the PCI functions the policy
 * grants a VM are mapped (uncached) here, each naturally aligned, in BAR
 * order, in native and Linux VMs alike (docs/guest-abi.md). */
#define BH_GUEST_DEVICE_BASE    0xe0000000ull
#define BH_GUEST_DEVICE_LIMIT   0xfe000000ull
/* The stack is the top BH_GUEST_STACK_SIZE bytes of memory; RSP = mem_size. */
#define BH_GUEST_STACK_SIZE     0x10000ull

/* Most PT_LOAD program headers an image may have. */
#define BH_GUEST_MAX_PHDRS      16u

/* ---- Entry state (SDM Vol. 3A 2.5 for the bits) ------------------------ */

/* CR0 = PE | MP | ET | NE | WP | PG, as the guest reads it. */
#define BH_GUEST_ENTRY_CR0      0x80010033ull
/* CR4 = PAE | OSFXSR | OSXMMEXCPT, as the guest reads it (the real CR4 also
 * has VMXE, hidden by the CR4 guest/host mask and read shadow). */
#define BH_GUEST_ENTRY_CR4      0x00000620ull
/* IA32_EFER = LME | LMA | NXE. */
#define BH_GUEST_ENTRY_EFER     0x00000d00ull
/* RFLAGS: only the always-one bit 1; IF = 0. */
#define BH_GUEST_ENTRY_RFLAGS   0x00000002ull
/* Selectors of the flat segments (the guest has no GDT of its own yet:
 * GDTR and IDTR have base 0 and limit 0). */
#define BH_GUEST_ENTRY_CS       0x08u
#define BH_GUEST_ENTRY_DS       0x10u   /* also SS, ES; FS = GS = 0 */
#define BH_GUEST_ENTRY_TR       0x18u   /* busy 64-bit TSS, base 0, limit 0x67 */
/* x87/SSE state at entry: FNINIT state, MXCSR = BH_GUEST_ENTRY_MXCSR,
 * every data register zero. */
#define BH_GUEST_ENTRY_MXCSR    0x1f80u

/* ---- Start-info page ---------------------------------------------------- */

#define BH_START_INFO_MAGIC     0x0054524154534842ull  /* "BHSTART\0" little-endian */
#define BH_START_INFO_VERSION   1u
#define BH_GUEST_NAME_MAX       32u   /* bytes of name[], including the NUL */

/*
 * At BH_GUEST_START_INFO; RDI points here at entry. The kernel writes it
 * before the first instruction and never reads it back, so a guest that
 * scribbles on it harms only itself. Unused bytes of the page are zero.
 */
struct bh_start_info {
	uint64_t magic;        /* BH_START_INFO_MAGIC */
	uint32_t version;      /* BH_START_INFO_VERSION */
	uint32_t vm_id;        /* this VM's id, as BH_HC_SELF returns it */
	char     name[BH_GUEST_NAME_MAX]; /* NUL-terminated, from the policy */
	uint64_t mem_size;     /* guest memory is [0, mem_size) */
	uint64_t image_end;    /* first byte after the loaded image, page-aligned */
	uint64_t stack_top;    /* == mem_size == RSP at entry */
	uint64_t stack_size;   /* == BH_GUEST_STACK_SIZE */
	uint64_t tsc_hz;       /* guest TSC frequency, 0 if unknown */
	uint64_t reserved[8];  /* zero */
};

_Static_assert(offsetof(struct bh_start_info, vm_id) == 12, "start-info layout");
_Static_assert(offsetof(struct bh_start_info, name) == 16, "start-info layout");
_Static_assert(offsetof(struct bh_start_info, mem_size) == 48, "start-info layout");
_Static_assert(offsetof(struct bh_start_info, tsc_hz) == 80, "start-info layout");
_Static_assert(sizeof(struct bh_start_info) == 152, "start-info layout");

#endif
