/* SPDX-License-Identifier: GPL-2.0-only */
/* Deliberate faults for testing the exception path and W^X (arch/arch.h). */
#include "arch/arch.h"

#include <bulkhead/errno.h>

#include "arch/x86/cpu.h"
#include "kernel/log.h"
#include "kernel/panic.h"
#include "lib/string.h"

static uint8_t data_byte = 0xc3;   /* "ret", were it executable */

/* Recurses until the stack runs into its guard page (the bound is never hit). */
static void __attribute__((noinline)) recurse_deep(volatile uint64_t depth)
{
	volatile uint8_t pad[512];
	pad[0] = (uint8_t)depth;
	if (depth < (1ull << 40))
		recurse_deep(depth + 1);
	pad[1] = pad[0];
}

int arch_trigger_fault(const char *kind)
{
	kprintf("bulkhead: debug.fault=%s: raising it now\n", kind);
	if (!strcmp(kind, "ud")) {
		__asm__ volatile("ud2");
	} else if (!strcmp(kind, "null")) {
		(void)*(volatile uint64_t *)0;
	} else if (!strcmp(kind, "wx")) {
		*(volatile uint8_t *)(uintptr_t)&arch_trigger_fault = 0xcc;
	} else if (!strcmp(kind, "nx")) {
		((void (*)(void))(uintptr_t)&data_byte)();
	} else if (!strcmp(kind, "gp")) {
		(void)*(volatile uint64_t *)0x8000000000000000ull;
	} else if (!strcmp(kind, "stack")) {
		recurse_deep(0);
	} else if (!strcmp(kind, "panic")) {
		panic("debug.fault=panic: a panic on purpose");
	} else {
		return -BH_EINVAL;
	}
	panic("debug.fault=%s did not fault: the protection it tests is missing", kind);
}
