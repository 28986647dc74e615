/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The hypercalls of docs/hypercalls.md. Guest pointers are guest-physical
 * addresses (native VMs run identity-mapped) and are checked against the
 * VM's memory before use; the kernel reaches guest memory only through its
 * own mapping of the VM's host range.
 */
#include "kernel/hypercall.h"

#include <bulkhead/errno.h>
#include <bulkhead/hypercall.h>

#include "arch/time.h"
#include "kernel/channel.h"
#include "kernel/console_attach.h"
#include "kernel/console_out.h"
#include "kernel/control.h"
#include "kernel/device.h"
#include "kernel/hypercall_gate.h"
#include "kernel/log.h"
#include "kernel/monitor.h"
#include "kernel/sched.h"
#include "kernel/vm_copy.h"
#include "lib/string.h"

typedef int64_t (*hc_fn)(struct vm *vm, const uint64_t *arg, enum hc_next *next);

static int64_t hc_null(struct vm *vm, const uint64_t *arg, enum hc_next *next)
{
	(void)vm; (void)arg; (void)next;
	return 0;
}

static int64_t hc_console_write(struct vm *vm, const uint64_t *arg, enum hc_next *next)
{
	(void)next;
	uint64_t buf = arg[0], len = arg[1];
	if (len > BH_CONSOLE_WRITE_MAX)
		return -BH_E2BIG;
	const char *text = vm_guest_buffer(vm, buf, len);
	if (!text)
		return -BH_EFAULT;
	if (vm->control)   /* it owns the console */
		return (int64_t)console_out_write(text, len);
	/* A monitor writes its guest's serial output: it appears, and is
	 * limited, under the guest's name. */
	if (vm->kind == VM_KIND_MONITOR && vm->pair)
		vm = vm->pair;
	return (int64_t)vm_console_write(vm, text, len);
}

static int64_t hc_yield(struct vm *vm, const uint64_t *arg, enum hc_next *next)
{
	(void)vm; (void)arg;
	*next = HC_YIELD;
	return 0;
}

int64_t hypercall_wait(struct vm *vm, uint64_t timeout_ns, enum hc_next *next)
{
	if (vm->gone_told)
		channels_wait_begins(vm);
	if (vm->events) {
		int64_t ev = (int64_t)(vm->events & BH_EVENT_MASK);
		vm->events = 0;
		channels_told(vm, ev);
		return ev;
	}
	if (timeout_ns == BH_WAIT_POLL)
		return -BH_ETIMEDOUT;
	uint64_t now = arch_tsc(), ticks = arch_ns_to_tsc(timeout_ns);
	/* A huge timeout saturates rather than wrapping into the past. */
	sched_wait(vm, timeout_ns == BH_WAIT_FOREVER || ticks > UINT64_MAX - now ? UINT64_MAX
	                                                                         : now + ticks);
	*next = HC_WAIT;
	return 0;
}

static int64_t hc_wait(struct vm *vm, const uint64_t *arg, enum hc_next *next)
{
	return hypercall_wait(vm, arg[0], next);
}

static int64_t hc_time(struct vm *vm, const uint64_t *arg, enum hc_next *next)
{
	(void)vm; (void)arg; (void)next;
	return (int64_t)arch_time_ns();
}

static int64_t hc_exit(struct vm *vm, const uint64_t *arg, enum hc_next *next)
{
	vm->exit_status = (int64_t)arg[0];
	vm_stop(vm, "exited with status %lld", (long long)vm->exit_status);
	*next = HC_STOP;
	return 0;
}

static int64_t hc_self(struct vm *vm, const uint64_t *arg, enum hc_next *next)
{
	(void)next;
	uint64_t buf = arg[0], len = arg[1];
	size_t need = strlen(vm->name) + 1;
	if (len > 0) {
		if (!vm_range_ok(vm, buf, len))
			return -BH_EFAULT;
		if (len < need)
			return -BH_ERANGE;
		vm_copy_out(vm, buf, vm->name, need);
	}
	return vm->id;
}

static int64_t hc_channel_find(struct vm *vm, const uint64_t *arg, enum hc_next *next)
{
	(void)next;
	return channel_find(vm, arg[0], arg[1]);
}

static int64_t hc_channel_notify(struct vm *vm, const uint64_t *arg, enum hc_next *next)
{
	struct vm *peer;
	int64_t rc = channel_notify(vm, arg[0], &peer);
	/* A budgeted VM waiting for this goes first (sched.h): a best-effort
	 * sender on its CPU gives up the rest of its slice to it (one on
	 * another CPU has kicked it: vm_signal). */
	if (rc == 0 && !vm->budget_tsc && peer->budget_tsc && peer->state == VM_WAITING &&
	    peer->cpu == vm->cpu)
		*next = HC_YIELD;
	return rc;
}

/* The handlers, from the hypercall list: an unassigned number's entry
 * stays NULL, and the gate never lets it through (a number out of order
 * does not compile, one assigned twice is -Woverride-init). */
#define HANDLER(nr, NAME, handler, right) [nr] = handler,
static const hc_fn handlers[BH_HC_COUNT] = { BH_HYPERCALLS(HANDLER) };
#undef HANDLER

int64_t hypercall_dispatch(struct vm *vm, const struct hypercall *hc, enum hc_next *next)
{
	*next = HC_RESUME;
	int rc = hypercall_gate(hc->nr, vm->rights);
	if (rc)
		return rc;
	return handlers[hc->nr](vm, hc->arg, next);
}
