/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A minimal PVH vmlinux for the monitor's tests: an ELF64 executable
 * with one PT_LOAD of text at FAKE_TEXT_PADDR and a PT_NOTE holding the
 * Xen PHYS32_ENTRY note, which is what vmm/loader/pvh.c needs.
 */
#ifndef TESTS_VMM_FAKE_VMLINUX_H
#define TESTS_VMM_FAKE_VMLINUX_H

#include <stdint.h>
#include <string.h>

#define FAKE_TEXT_PADDR  0x1000000ull
#define FAKE_TEXT_OFF    0x200u
#define FAKE_TEXT_SIZE   0x100u
#define FAKE_TEXT_MEMSZ  0x3000u          /* the rest is zeroed "bss" */
#define FAKE_ENTRY       (FAKE_TEXT_PADDR + 0x40)
#define FAKE_IMAGE_SIZE  (FAKE_TEXT_OFF + FAKE_TEXT_SIZE)

static inline void fake_le(uint8_t *p, uint64_t v, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* Writes the image into b[FAKE_IMAGE_SIZE]; the text bytes are 0xf4 (hlt). */
static inline void fake_vmlinux(uint8_t *b)
{
	memset(b, 0, FAKE_IMAGE_SIZE);
	memcpy(b, "\x7f" "ELF\x02\x01\x01", 7);
	fake_le(b + 16, 2, 2);              /* ET_EXEC */
	fake_le(b + 18, 62, 2);             /* EM_X86_64 */
	fake_le(b + 20, 1, 4);
	fake_le(b + 32, 64, 8);             /* e_phoff */
	fake_le(b + 52, 64, 2);
	fake_le(b + 54, 56, 2);
	fake_le(b + 56, 2, 2);              /* e_phnum */
	uint8_t *ph = b + 64;               /* PT_LOAD, R+X */
	fake_le(ph + 0, 1, 4);
	fake_le(ph + 4, 5, 4);
	fake_le(ph + 8, FAKE_TEXT_OFF, 8);
	fake_le(ph + 24, FAKE_TEXT_PADDR, 8);
	fake_le(ph + 32, FAKE_TEXT_SIZE, 8);
	fake_le(ph + 40, FAKE_TEXT_MEMSZ, 8);
	ph += 56;                           /* PT_NOTE at 0x100: "Xen", type 18 */
	fake_le(ph + 0, 4, 4);
	fake_le(ph + 8, 0x100, 8);
	fake_le(ph + 32, 24, 8);
	uint8_t *note = b + 0x100;
	fake_le(note + 0, 4, 4);            /* namesz */
	fake_le(note + 4, 8, 4);            /* descsz */
	fake_le(note + 8, 18, 4);
	memcpy(note + 12, "Xen", 4);
	fake_le(note + 16, FAKE_ENTRY, 8);
	memset(b + FAKE_TEXT_OFF, 0xf4, FAKE_TEXT_SIZE);
}

#endif
