/* SPDX-License-Identifier: GPL-2.0-only */
#include "kernel/console_attach.h"

#include <bulkhead/errno.h>
#include <bulkhead/hypercall.h>

#include "kernel/vm_copy.h"
#include "kernel/vm_cpu.h"
#include "lib/byte_fifo.h"

static struct vm *attached;     /* NULL: the console is not attached */
static bool attached_stopped;   /* it stopped while attached */

/* A VM's input queue lives in its record, set up at first use; it is
 * emptied when the VM stops. */
static struct byte_fifo *queue_of(struct vm *vm)
{
	if (!vm->input.buf)
		byte_fifo_init(&vm->input, vm->input_buf, sizeof(vm->input_buf));
	return &vm->input;
}

struct vm *vm_console_input_target(struct vm *named)
{
	/* A Linux guest's serial port is its monitor's to feed. */
	return named->kind == VM_KIND_LINUX && named->pair ? named->pair : named;
}

bool console_is_attached(const struct vm *vm)
{
	return vm == attached && !attached_stopped;
}

size_t console_input_read(struct vm *vm, char *out, size_t max)
{
	return byte_fifo_take(queue_of(vm), (uint8_t *)out, max);
}

void console_attach_vm_stopped(struct vm *vm)
{
	byte_fifo_init(&vm->input, vm->input_buf, sizeof(vm->input_buf));
	if (vm == attached)
		attached_stopped = true;
	if (vm->control)
		attached = NULL;   /* the console's owner is gone: so is its attachment */
}

int64_t console_attach_call(struct vm *vm, const uint64_t *arg, enum hc_next *next)
{
	char name[VM_NAME_MAX];
	(void)next;

	if (!vm->control)
		return -BH_EPERM;   /* only the console's owner has a console to attach */
	if (vm_copy_string(vm, name, arg[0], sizeof(name)))
		return -BH_EFAULT;
	struct vm *target = NULL;
	if (name[0]) {
		target = vm_find_live(vm_first, name);
		if (!target)
			return -BH_ENOENT;
		if (!console_may_attach(vm, target))
			return -BH_EPERM;
	}
	attached = target;
	attached_stopped = false;
	/* What it wrote before, up to its prompt, is shown now. */
	if (target)
		vm_console_flush_partial(target);
	return 0;
}

int64_t console_send_call(struct vm *vm, const uint64_t *arg, enum hc_next *next)
{
	uint64_t len = arg[1];
	(void)next;

	if (!vm->control)
		return -BH_EPERM;
	const uint8_t *bytes = vm_guest_buffer(vm, arg[0], len);
	if (!bytes)
		return -BH_EFAULT;
	if (!attached)
		return -BH_ENOENT;
	/* A stopped VM's record may be freed: not looked at again. */
	if (attached_stopped)
		return -BH_EPIPE;
	struct vm *target = vm_console_input_target(attached);
	if (!vm_is_live(target))
		return -BH_EPIPE;
	struct byte_fifo *q = queue_of(target);
	uint64_t room = q->cap - byte_fifo_len(q);
	uint64_t n = len < room ? len : room;
	for (uint64_t i = 0; i < n; i++)
		byte_fifo_put(q, bytes[i]);
	if (n)
		vm_signal(target, BH_EVENT_CONSOLE_INPUT);
	return (int64_t)n;
}
