/* SPDX-License-Identifier: GPL-2.0-only */
/* The kernel's side of the monitor exit protocol (contract in monitor.h). */
#include "kernel/monitor.h"

#include <bulkhead/errno.h>
#include <bulkhead/hypercall.h>

#include "arch/time.h"
#include "arch/virt.h"
#include "kernel/device.h"
#include "kernel/sched.h"
#include "kernel/vm_cpu.h"
#include "lib/string.h"

/* What the back ends' exit handlers return to resume the guest
 * (arch/x86/guest_exits.h, EXIT_RESUME). */
#define RESUME (-1)

#define VECTOR_FIRST 32u   /* 0-31 are exceptions: never posted */

/* One read of a field the monitor may change at any time. */
#define READ_SHARED(x) __atomic_load_n(&(x), __ATOMIC_RELAXED)

int monitor_forward(struct vm *guest, const struct bh_monitor_exit *e)
{
	struct bh_monitor_page *page = guest->mon_page;
	struct bh_monitor_exit copy = *e;

	copy.seq = page->exit.seq + 1;
	arch_linux_get_regs(guest, &copy.regs);
	page->reply.action = BH_MON_ACTION_NONE;
	page->exit = copy;
	guest->awaiting_monitor = true;
	guest->state = VM_WAITING;
	guest->wait_deadline = UINT64_MAX;
	guest->hlt_wait = true;   /* woken by the answer, with no hypercall result */
	guest->pair->events |= BH_EVENT_MONITOR_EXIT;
	return RUN_WAIT;
}

static uint64_t add_saturating(uint64_t a, uint64_t b)
{
	return b > UINT64_MAX - a ? UINT64_MAX : a + b;
}

void monitor_timer_tick(struct vm *guest, uint64_t now)
{
	struct bh_monitor_irq *irq = &guest->mon_page->irq;
	uint64_t deadline = READ_SHARED(irq->timer_deadline);
	if (!deadline || now < deadline)
		return;
	uint32_t vector = READ_SHARED(irq->timer_vector);
	uint64_t period = READ_SHARED(irq->timer_period);
	if (vector >= VECTOR_FIRST && vector < 256) {
		__atomic_or_fetch(&irq->pending[vector / 64], 1ull << (vector % 64), __ATOMIC_RELAXED);
		irq->timer_fired++;
	}
	/* A periodic timer that fell behind (the guest did not run) fires
	 * once and starts again from now: missed ticks are not replayed. A
	 * period that reaches past the clock's end stops there, rather than
	 * wrapping into the past (firing at every entry) or to 0 (disarmed). */
	uint64_t next = 0;
	if (period) {
		next = add_saturating(deadline, period);
		if (next <= now)
			next = add_saturating(now, period);
	}
	__atomic_store_n(&irq->timer_deadline, next, __ATOMIC_RELAXED);
}

uint64_t monitor_timer_deadline(const struct vm *guest)
{
	return READ_SHARED(guest->mon_page->irq.timer_deadline);
}

int monitor_pending_vector(const struct vm *guest)
{
	const struct bh_monitor_irq *irq = &guest->mon_page->irq;
	for (int w = 3; w >= 0; w--) {
		uint64_t bits = READ_SHARED(irq->pending[w]);
		if (w == 0)
			bits &= ~0xffffffffull;   /* exception vectors */
		if (bits)
			return w * 64 + 63 - __builtin_clzll(bits);
	}
	return -1;
}

bool monitor_post_device_vector(struct vm *guest, unsigned v)
{
	struct bh_monitor_irq *irq = &guest->mon_page->irq;
	if (v < VECTOR_FIRST || v > 255)
		return false;
	/* pending first: the monitor takes a kernel-posted vector whose
	 * pending bit is already clear as injected (bulkhead/monitor.h). */
	__atomic_or_fetch(&irq->pending[v / 64], 1ull << (v % 64), __ATOMIC_RELEASE);
	__atomic_or_fetch(&irq->kernel_posted[v / 64], 1ull << (v % 64), __ATOMIC_RELEASE);
	if (guest->state == VM_WAITING && guest->hlt_wait && !guest->awaiting_monitor)
		guest->state = VM_RUNNABLE;
	vm_kick(guest);
	return true;
}

void monitor_vector_delivered(struct vm *guest, unsigned v)
{
	struct bh_monitor_irq *irq = &guest->mon_page->irq;
	__atomic_and_fetch(&irq->pending[v / 64], ~(1ull << (v % 64)), __ATOMIC_RELAXED);
	irq->delivered++;
}

/* A halted guest waits for its timer deadline, if armed. */
static uint64_t halt_deadline(const struct vm *guest)
{
	uint64_t deadline = monitor_timer_deadline(guest);
	return deadline ? deadline : UINT64_MAX;
}

int monitor_guest_hlt(struct vm *guest, bool interruptible)
{
	if (interruptible && monitor_pending_vector(guest) >= 0)
		return RESUME;
	guest->state = VM_WAITING;
	guest->wait_deadline = halt_deadline(guest);
	guest->hlt_wait = true;
	return RUN_WAIT;
}

/* Applies the monitor's answer to the exit the guest waits on. */
static void take_answer(struct vm *monitor, struct vm *guest)
{
	struct bh_monitor_page *page = guest->mon_page;
	uint32_t action = READ_SHARED(page->reply.action);

	if (action == BH_MON_ACTION_NONE)
		return;
	struct bh_monitor_regs regs = page->reply.regs;   /* one copy, then used */
	page->reply.action = BH_MON_ACTION_NONE;
	switch (action) {
	case BH_MON_ACTION_RESUME:
		arch_linux_set_regs(guest, &regs);
		page->exit.reason = BH_MON_EXIT_NONE;
		guest->awaiting_monitor = false;
		guest->state = VM_RUNNABLE;
		return;
	case BH_MON_ACTION_RESET:
		devices_vm_reset(guest);   /* no DMA into the kernel about to be reloaded */
		arch_linux_reset(guest);
		memset(&page->irq, 0, sizeof(page->irq));
		monitor_forward(guest, &(struct bh_monitor_exit){ .reason = BH_MON_EXIT_START });
		return;
	case BH_MON_ACTION_POWEROFF:
		vm_stop(guest, "powered off");
		return;
	default:
		/* Not an answer: the guest keeps waiting, as for NONE. */
		(void)monitor;
		return;
	}
}

int64_t monitor_run(struct vm *vm, const uint64_t *arg, enum hc_next *next)
{
	struct vm *guest = vm->pair;

	if (vm->kind != VM_KIND_MONITOR || !guest)
		return -BH_EPERM;
	if (vm_is_live(guest)) {
		if (guest->awaiting_monitor)
			take_answer(vm, guest);
		if (guest->state == VM_WAITING && !guest->awaiting_monitor) {
			/* Halted: a new vector wakes it, a new deadline moves its wake-up. */
			if (monitor_pending_vector(guest) >= 0)
				guest->state = VM_RUNNABLE;
			else
				guest->wait_deadline = halt_deadline(guest);
		}
	}
	if (vm->state == VM_STOPPED) {
		*next = HC_STOP;   /* stopped with its guest (POWEROFF) */
		return 0;
	}
	return hypercall_wait(vm, arg[0], next);
}
