/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Attaching the console to one VM (BH_HC_CONSOLE_ATTACH, BH_HC_CONSOLE_SEND;
 * docs/cli.md, "attach"), as a serial console is attached: the console's
 * owner (the control VM, whose CLI the user types at) passes keystrokes to
 * the attached VM's input queue, and that VM's console text reaches the log
 * as it is written, a partial line too (a shell's prompt has no newline),
 * so the owner can show it raw.
 *
 * Each VM has a bounded input queue of BH_CONSOLE_INPUT_QUEUE bytes. A send
 * takes what fits and says how much: a VM that never reads cannot make the
 * owner or the kernel wait. The VM reads its queue with BH_HC_CONSOLE_READ
 * and is woken by BH_EVENT_CONSOLE_INPUT.
 */
#ifndef KERNEL_CONSOLE_ATTACH_H
#define KERNEL_CONSOLE_ATTACH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/hypercall.h"
#include "kernel/vm.h"

/*
 * The VM that receives the input typed for the VM called `named`: the VM
 * itself, or for a Linux guest its monitor, which emulates its serial port.
 */
struct vm *vm_console_input_target(struct vm *named);

/* Whether owner (the console's owner) may attach to target: any live VM
 * but itself that no other VM launched (its own launches and boot VMs). */
static inline bool console_may_attach(const struct vm *owner, const struct vm *target)
{
	return target != owner && (!target->launched_by || target->launched_by == owner);
}

/* True while the console is attached to vm: vm_console_write lets its
 * partial lines out at once. */
bool console_is_attached(const struct vm *vm);

/* Moves up to max bytes of vm's own input queue to out; returns how many. */
size_t console_input_read(struct vm *vm, char *out, size_t max);

/* vm is stopping: its queue is emptied and an attachment to it is over
 * (the next BH_HC_CONSOLE_SEND says -BH_EPIPE); if it is the console's
 * owner, the console is detached. */
void console_attach_vm_stopped(struct vm *vm);

/* The hypercalls (include/bulkhead/hypercall.h). */
int64_t console_attach_call(struct vm *vm, const uint64_t *arg, enum hc_next *next);
int64_t console_send_call(struct vm *vm, const uint64_t *arg, enum hc_next *next);

#endif
