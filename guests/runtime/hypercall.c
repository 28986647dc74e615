/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Typed wrappers around the hypercalls (contracts: bulkhead/runtime.h,
 * docs/hypercalls.md). Every VMCALL the runtime makes is in this file.
 */
#include <bulkhead/runtime.h>

#include "rt.h"
#include "vmcall.h"

/* A console write that makes no progress for this many 1 ms waits gives up
 * (a stuck UART must not hang the VM). */
#define CONSOLE_STALLS_MAX 2000

/* Events bh_sleep_ns received; bh_wait hands them out first. */
static uint64_t stashed_events;

int64_t bh_null(void)
{
	return vmcall0(BH_HC_NULL);
}

int64_t bh_console_write(const char *buf, size_t len)
{
	size_t done = 0;
	unsigned stalls = 0;

	while (done < len) {
		size_t n = len - done;
		if (n > BH_CONSOLE_WRITE_MAX)
			n = BH_CONSOLE_WRITE_MAX;
		int64_t r = vmcall2(BH_HC_CONSOLE_WRITE, (uintptr_t)(buf + done), n);
		if (r < 0)
			return done ? (int64_t)done : r;
		if (r == 0) {
			/* The console owner's output queue is full: the kernel
			 * sends ~11 bytes a millisecond. Wait for it, a while. */
			if (++stalls > CONSOLE_STALLS_MAX)
				break;
			bh_sleep_ns(BH_NS_PER_MS);
			continue;
		}
		stalls = 0;
		done += (size_t)r;
	}
	return (int64_t)done;
}

/* The call's number, until the kernel's hypercall list (bulkhead/hypercall.h)
 * assigns it: the next free one. Before then the kernel answers -BH_ENOSYS. */
#ifndef BH_HC_MONITOR_RUN
#define BH_HC_MONITOR_RUN 18
#endif

/* A call that waits for events: the channels learn what it told. */
static int64_t waiting_call(uint64_t nr, uint64_t timeout_ns)
{
	rt_channels_before_wait();
	int64_t r = vmcall1(nr, timeout_ns);
	rt_channels_after_wait(r);
	return r;
}

int64_t bh_monitor_run(uint64_t timeout_ns)
{
	return waiting_call(BH_HC_MONITOR_RUN, timeout_ns);
}

int64_t bh_device_config(uint32_t devfn, uint32_t offset, uint32_t size, uint32_t value,
                         bool write)
{
	return vmcall6(BH_HC_DEVICE_CONFIG, devfn, offset, size, value, write ? 1 : 0, 0);
}

int64_t bh_device_mmio(uint64_t gpa, uint32_t value, bool write)
{
	return vmcall6(BH_HC_DEVICE_MMIO, gpa, 4, value, write ? 1 : 0, 0, 0);
}

int64_t bh_yield(void)
{
	return vmcall0(BH_HC_YIELD);
}

int64_t rt_hc_wait(uint64_t timeout_ns)
{
	return waiting_call(BH_HC_WAIT, timeout_ns);
}

void rt_stash_events(uint64_t bits)
{
	stashed_events |= bits;
}

int64_t bh_wait(uint64_t timeout_ns)
{
	if (!stashed_events)
		return rt_hc_wait(timeout_ns);
	/* A gone peer's bit goes to the app before any other call that
	 * waits: that call would take the channel's memory away before the
	 * app could read what the peer left (docs/channels.md). */
	if (stashed_events & BH_EVENT_CHANNEL_GONE_ALL) {
		uint64_t bits = stashed_events;
		stashed_events = 0;
		return (int64_t)(bits & BH_EVENT_MASK);
	}

	/* Something is pending already: collect newer events without
	 * waiting and return the lot. */
	int64_t r = rt_hc_wait(BH_WAIT_POLL);
	uint64_t bits = stashed_events | (r > 0 ? (uint64_t)r : 0);
	stashed_events = 0;
	return (int64_t)(bits & BH_EVENT_MASK);
}

uint64_t bh_time_ns(void)
{
	return (uint64_t)vmcall0(BH_HC_TIME);
}

void bh_exit(int64_t status)
{
	bh_flush();
	vmcall1(BH_HC_EXIT, (uint64_t)status);
	/* Unreachable unless the kernel broke the ABI: a #UD with no guest IDT
	 * is a triple fault, which stops the VM anyway. */
	__builtin_trap();
}

int64_t bh_self(char *name_buf, size_t len)
{
	return vmcall2(BH_HC_SELF, (uintptr_t)name_buf, len);
}
