/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Backtraces for panics and kernel exceptions (contracts in
 * arch/x86/backtrace.h and arch/arch.h).
 */
#include "arch/x86/backtrace.h"

#include "arch/arch.h"
#include "arch/x86/frame_walk.h"
#include "arch/x86/gdt.h"
#include "arch/x86/mm/kernel_space.h"
#include "kernel/ksym.h"
#include "kernel/log.h"

#define HIDDEN __attribute__((visibility("hidden")))
/* The boot stack is in .data/.bss, mapped read+write throughout but for
 * its guard page; an AP's stack has a slot of its own (mm/kernel_space.h);
 * the IST stacks are each CPU's (gdt.h). A walk stays on one stack. */
extern char __data_start[] HIDDEN, __data_end[] HIDDEN, boot_stack_guard[] HIDDEN;

#define MAX_FRAMES 24
#define PAGE 4096

static void print_frame(unsigned n, uint64_t pc, uint64_t lookup)
{
	uint64_t off;
	const char *name = ksym_lookup(lookup, &off);

	if (name)
		kprintf("  #%u 0x%016llx %s+0x%llx\n", n, (unsigned long long)pc, name,
		        (unsigned long long)(off + (pc - lookup)));
	else
		kprintf("  #%u 0x%016llx ?\n", n, (unsigned long long)pc);
}

void backtrace_print(uint64_t pc, uint64_t fp)
{
	struct frame_bounds b = {
		.lo = (uint64_t)(uintptr_t)__data_start, .hi = (uint64_t)(uintptr_t)__data_end,
		.hole_lo = (uint64_t)(uintptr_t)boot_stack_guard,
		.hole_hi = (uint64_t)(uintptr_t)boot_stack_guard + PAGE,
	};
	uint64_t lo, hi;
	if (kernel_space_ap_stack_bounds(fp, &lo, &hi) || gdt_ist_stack_bounds(fp, &lo, &hi))
		b = (struct frame_bounds){ .lo = lo, .hi = hi, .hole_lo = 0, .hole_hi = 0 };
	uint64_t ret[MAX_FRAMES];
	unsigned n = frame_walk(fp, &b, ret, MAX_FRAMES);

	kprintf("  backtrace (image at 0x%llx):\n", (unsigned long long)ksym_image_base());
	print_frame(0, pc, pc);
	/* A return address follows its call, which may be a function's last
	 * instruction: look up the byte before it. */
	for (unsigned i = 0; i < n; i++)
		print_frame(i + 1, ret[i], ret[i] - 1);
	if (n == MAX_FRAMES)
		kprintf("  ... (more frames not shown)\n");
}

void arch_backtrace(void)
{
	uint64_t fp = (uint64_t)(uintptr_t)__builtin_frame_address(0);
	/* Frame 0 is our caller, at our return address. */
	const uint64_t *frame = (const uint64_t *)(uintptr_t)fp;
	backtrace_print(frame[1], frame[0]);
}
