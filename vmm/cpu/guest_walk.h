/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Where the guest's instruction pointer is in guest-physical memory: the
 * guest's own page tables walked in software, for reading the bytes of an
 * instruction that touched a device (decode.h). The paging modes Linux
 * uses: paging off (the PVH entry), PAE (32-bit with CR4.PAE), and long
 * mode with 4- or 5-level tables, with 4 KiB, 2 MiB and 1 GiB pages
 * (SDM Vol. 3A 4.4, 4.5). 32-bit paging without PAE is refused (Linux
 * x86-64 never runs in it).
 *
 * Every table entry is read through struct guest_memory, so a table the
 * guest points outside its memory is an error, never a wild read. Only
 * translation is done: no access rights, accessed or dirty bits (the
 * CPU already performed the fetch before the exit).
 */
#ifndef VMM_CPU_GUEST_WALK_H
#define VMM_CPU_GUEST_WALK_H

#include <stddef.h>
#include <stdint.h>

#include <bulkhead/monitor.h>

#include "cpu/decode.h"
#include "mem/guest_memory.h"

#define X86_CR0_PE    (1ull << 0)
#define X86_CR0_PG    (1ull << 31)
#define X86_CR4_PAE   (1ull << 5)
#define X86_CR4_LA57  (1ull << 12)
#define X86_EFER_LMA  (1ull << 10)

/* The code segment's default size from the registers at the exit. */
enum x86_mode guest_cpu_mode(const struct bh_monitor_regs *r);

/* The linear address of rip: cs_base + rip, without cs_base in 64-bit
 * mode, truncated to 32 bits outside long mode. */
uint64_t guest_rip_linear(const struct bh_monitor_regs *r);

/*
 * Translates linear address la with the paging state in r (cr0, cr3, cr4,
 * efer). Returns 0 and *gpa, or:
 *   -BH_EFAULT  a table (or the PAE PDPT) lies outside guest memory;
 *   -BH_ENOENT  an entry on the way is not present;
 *   -BH_EINVAL  32-bit paging without PAE, a non-canonical address, or a
 *               large-page bit where the architecture reserves it.
 */
int guest_translate(const struct guest_memory *m, const struct bh_monitor_regs *r,
                    uint64_t la, uint64_t *gpa);

/*
 * Reads up to n bytes at linear address la into buf, translating each
 * page separately (an instruction may straddle two pages). Stops at the
 * first byte that cannot be translated or read; *got says how many bytes
 * were read. Returns 0 if all n were read, else the error that stopped it
 * (guest_translate's, or -BH_EFAULT from guest memory).
 */
int guest_fetch(const struct guest_memory *m, const struct bh_monitor_regs *r,
                uint64_t la, uint8_t *buf, size_t n, size_t *got);

#endif
