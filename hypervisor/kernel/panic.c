/* SPDX-License-Identifier: GPL-2.0-only */
#include "kernel/panic.h"

#include <stdarg.h>

#include "arch/arch.h"
#include "kernel/log.h"

static bool poweroff_on_panic;

void panic_set_poweroff(bool poweroff)
{
	poweroff_on_panic = poweroff;
}

void panic_stop(void)
{
	if (poweroff_on_panic)
		arch_power_off();
	kprintf("bulkhead: halted\n");
	arch_halt_forever();
}

void panic(const char *fmt, ...)
{
	va_list ap;

	log_console_sync();
	kprintf("bulkhead: PANIC: ");
	va_start(ap, fmt);
	kvprintf(fmt, ap);
	va_end(ap);
	kprintf("\n");
	arch_backtrace();
	panic_stop();
}
