/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Reading guest memory by guest-virtual address (private to arch/x86):
 * the guest's own 4-level long-mode page tables (SDM Vol. 3A §4.5) walked
 * in its memory through vm_copy_in, for an exit handler that must see the
 * instruction at the guest's RIP when the CPU does not supply its bytes.
 */
#ifndef ARCH_X86_MM_GUEST_WALK_H
#define ARCH_X86_MM_GUEST_WALK_H

#include <stddef.h>
#include <stdint.h>

#include "kernel/vm.h"

/*
 * Copies len bytes at guest-virtual va, translated through the tables at
 * guest-physical cr3, into buf. Returns 0, or -BH_EFAULT if a page on
 * the way is not present or its table or the bytes lie outside the VM's
 * memory (buf is then partly written). Permissions are not checked: the
 * caller only reads what the guest just executed.
 */
int guest_read_virt(const struct vm *vm, uint64_t cr3, uint64_t va, void *buf, size_t len);

#endif
