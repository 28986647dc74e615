/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Puts a Linux guest in its memory for a PVH start (docs/linux-guest.md,
 * "What PVH gives a loader"): the vmlinux's PT_LOAD segments at their
 * physical addresses, the initramfs at the top of RAM, the command line,
 * the ACPI tables, an E820 memory map and the struct hvm_start_info
 * whose address goes in %ebx. Guest RAM is written only through struct
 * guest_memory. Everything the loader writes below 1 MiB sits in one
 * fixed block:
 *
 *   0x1000    struct hvm_start_info
 *   0x1040    the module list (the initramfs)
 *   0x1080    the memory map (3 entries, 4 with PCI)
 *   0x2000    the command line, at most BOOT_CMDLINE_MAX bytes
 *   0xe0000   the ACPI tables, up to 1 MiB (memory-map type ACPI)
 *
 * The memory map: RAM [0, 0xe0000), ACPI [0xe0000, 0x100000), RAM
 * [0x100000, ram_bytes), and for a platform with PCI the ECAM as
 * reserved, which is what Linux's early check of an MCFG region asks of
 * the memory map. Linux keeps the whole first MiB for itself anyway, so
 * nothing it needs early is overwritten.
 *
 * The command line is the monitor's part, then the policy's, so a
 * parameter the policy repeats (a later console=, say) wins:
 *   console=ttyS0 reboot=t panic=-1 tsc_early_khz=N pci=off 8250.nr_uarts=1 POLICY
 * console=ttyS0: the UART is the console from the first line;
 * reboot=t: reboot by triple fault, which the monitor sees as SHUTDOWN
 * and answers with a reset; panic=-1: a panic reboots at once;
 * tsc_early_khz: the TSC frequency, so no PIT calibration is tried;
 * pci=off, 8250.nr_uarts=1: no probes of devices that are not there.
 * A platform with PCI (a guest granted PCI functions) has no pci=off.
 */
#ifndef VMM_BOOT_H
#define VMM_BOOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "acpi/platform.h"
#include "mem/guest_memory.h"

#define BOOT_START_INFO_GPA  0x1000ull
#define BOOT_MODLIST_GPA     0x1040ull
#define BOOT_MEMMAP_GPA      0x1080ull
#define BOOT_CMDLINE_GPA     0x2000ull
#define BOOT_CMDLINE_MAX     2048u      /* Linux x86's COMMAND_LINE_SIZE */
#define BOOT_ACPI_GPA        0xe0000ull
#define BOOT_ACPI_MAX        0x20000u
#define BOOT_LOW_END         0x100000ull   /* the kernel must load above it */
#define BOOT_MEMMAP_MAX      4u

struct boot_params {
	const uint8_t *kernel;           /* the vmlinux (ELF), untrusted bytes */
	size_t kernel_size;
	const uint8_t *initramfs;        /* NULL or size 0: none */
	size_t initramfs_size;
	uint64_t ram_bytes;              /* guest RAM [0, ram_bytes), 4 KiB multiple */
	uint64_t tsc_khz;
	const char *policy_cmdline;      /* NUL-terminated within policy_cmdline_max */
	size_t policy_cmdline_max;
	const struct acpi_platform *platform;
	uint8_t *scratch;                /* BOOT_ACPI_MAX bytes for building the tables */
};

struct boot_result {
	uint32_t entry;                  /* the PVH entry point: the guest's rip */
	uint64_t start_info;             /* the guest's rbx */
	uint64_t initramfs_gpa;          /* 0 if none */
	uint64_t kernel_end;
};

/*
 * Composes the command line into buf[0, cap), with pci=off unless pci.
 * Returns its length, or -BH_E2BIG if it does not fit (with the NUL) or
 * is longer than BOOT_CMDLINE_MAX - 1.
 */
int boot_cmdline(char *buf, size_t cap, uint64_t tsc_khz, bool pci, const char *policy,
                 size_t policy_max);

/*
 * Clears guest RAM and loads the guest as described above. Returns 0 and
 * fills *out, or a negative error with *why set to a sentence:
 *   -BH_EINVAL  the kernel is no PVH vmlinux (why: pvh_error_name), RAM
 *               is not a 4 KiB multiple, or the ACPI platform is refused;
 *   -BH_E2BIG   the kernel does not fit in RAM above 1 MiB, the initramfs
 *               does not fit above the kernel, or the command line is too
 *               long;
 *   -BH_EFAULT  a guest-memory write failed (RAM smaller than ram_bytes).
 * On failure guest RAM holds a partial load and must not be started.
 */
int boot_load(const struct guest_memory *ram, const struct boot_params *p,
              struct boot_result *out, const char **why);

#endif
