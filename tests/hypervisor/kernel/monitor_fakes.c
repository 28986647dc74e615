/* SPDX-License-Identifier: GPL-2.0-only */
/* Stand-ins for kernel/monitor.c's callees (contract in monitor_fakes.h). */
#include "monitor_fakes.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <bulkhead/hypercall.h>

#include "arch/virt.h"
#include "kernel/hypercall.h"
#include "kernel/vm_cpu.h"

struct monitor_fakes fake;

/* The PVH start state arch_linux_reset promises, as far as the exit page
 * shows it: protected mode (CR0.PE, ET), paging off, RFLAGS bit 1 only. */
static const struct bh_monitor_regs reset_regs = { .rflags = 0x2, .cr0 = 0x11 };

void fake_forget(void)
{
	memset(&fake, 0, sizeof(fake));
	fake.cpu = reset_regs;
}

void arch_linux_get_regs(struct vm *vm, struct bh_monitor_regs *r)
{
	fake.get_regs++;
	fake.regs_vm = vm;
	*r = fake.cpu;
}

void arch_linux_set_regs(struct vm *vm, const struct bh_monitor_regs *r)
{
	struct bh_monitor_regs *c = &fake.cpu;

	fake.set_regs++;
	fake.regs_vm = vm;
	fake.set_from = r;
	/* The general registers and RIP; the rest is ignored. */
	c->rax = r->rax; c->rcx = r->rcx; c->rdx = r->rdx; c->rbx = r->rbx;
	c->rsp = r->rsp; c->rbp = r->rbp; c->rsi = r->rsi; c->rdi = r->rdi;
	c->r8 = r->r8; c->r9 = r->r9; c->r10 = r->r10; c->r11 = r->r11;
	c->r12 = r->r12; c->r13 = r->r13; c->r14 = r->r14; c->r15 = r->r15;
	c->rip = r->rip;
}

void arch_linux_reset(struct vm *vm)
{
	fake.resets++;
	fake.reset_vm = vm;
	fake.cpu = reset_regs;
}

/* As kernel/vm.c: the VM never runs again, and a pair stops together. */
void vm_stop(struct vm *vm, const char *fmt, ...)
{
	if (!fake.stops++) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(fake.stop_why, sizeof(fake.stop_why), fmt, ap);
		va_end(ap);
	}
	fake.stopped = vm;
	vm->state = VM_STOPPED;
	if (vm->pair && vm_is_live(vm->pair))
		vm_stop(vm->pair, "its pair stopped");
}

/* As kernel/hypercall.c, without a clock: pending events at once, else
 * the VM waits. */
int64_t hypercall_wait(struct vm *vm, uint64_t timeout_ns, enum hc_next *next)
{
	fake.waits++;
	fake.wait_timeout = timeout_ns;
	if (vm->events) {
		int64_t ev = (int64_t)(vm->events & BH_EVENT_MASK);
		vm->events = 0;
		return ev;
	}
	vm->state = VM_WAITING;
	*next = HC_WAIT;
	return 0;
}

/* kernel/device.h: the fake guests hold no device. */
void devices_vm_reset(struct vm *vm)
{
	(void)vm;
}

/* One CPU in these tests: nothing to kick. */
void vm_kick(const struct vm *vm)
{
	(void)vm;
}
