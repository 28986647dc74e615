/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * vmm.elf: the monitor of one Linux VM, a native VM image (docs/monitor.md,
 * "The monitor VM"). The glue between the hypercalls and the pure core
 * (monitor.h): map the windows the kernel granted, check what it says
 * about the guest, then loop on BH_HC_MONITOR_RUN, answering each
 * forwarded exit and doing housekeeping on timeouts and channel events.
 * Everything that decides anything is in monitor.c, where host tests
 * reach it.
 */
#include <bulkhead/control.h>
#include <bulkhead/monitor.h>
#include <bulkhead/runtime.h>
#include <bulkhead/samples.h>

#include "boot.h"
#include "mem/flat_memory.h"
#include "monitor.h"

/* How often the loop wakes without an exit: console input and partial
 * output lines wait at most this long. */
#define TICK_NS (20 * BH_NS_PER_MS)

#define PAGE 4096ull

static struct monitor mon;
static struct flat_memory guest_ram;

static void console_out(void *ctx, const char *text, size_t len)
{
	(void)ctx;
	bh_console_write(text, len);
}

/* What was typed for the guest while the console is attached to it
 * (docs/cli.md, "attach"): as much as the UART's input queue has room
 * for; the rest waits in the kernel's queue for the next event or tick. */
static void take_console_input(void)
{
	char buf[64];
	size_t room = mon.input.cap - byte_fifo_len(&mon.input);

	while (room) {
		int64_t n = bh_console_read(buf, room < sizeof buf ? room : sizeof buf);
		if (n <= 0)
			return;
		monitor_uart_input(&mon, buf, (size_t)n);
		room -= (size_t)n;
	}
}

/* Maps the pages holding [gpa, gpa + size) into the monitor's own tables. */
static int map_window(uint64_t gpa, uint64_t size, bool writable, const char *what)
{
	uint64_t start = gpa & ~(PAGE - 1);
	uint64_t end = (gpa + size + PAGE - 1) & ~(PAGE - 1);
	int err = bh_map_range(start, end - start, writable);

	if (err)
		bh_printf("monitor: cannot map %s at %#llx (%llu bytes): error %d\n", what,
		          (unsigned long long)gpa, (unsigned long long)size, err);
	return err;
}

int main(void)
{
	struct bh_monitor_page *page = (struct bh_monitor_page *)(uintptr_t)BH_MONITOR_PAGE;
	struct bh_monitor_info info;
	const char *why;

	if (map_window(BH_MONITOR_PAGE, PAGE, true, "the exit page"))
		return 1;
	memcpy(&info, &page->info, sizeof info);
	if (monitor_check_info(&info, &why)) {
		bh_printf("monitor: %s\n", why);
		return 1;
	}
	if (map_window(info.kernel_gpa, info.kernel_size, false, "the kernel") ||
	    (info.initramfs_size &&
	     map_window(info.initramfs_gpa, info.initramfs_size, false, "the initramfs")) ||
	    map_window(BH_MONITOR_GUEST_RAM, info.guest_memory, true, "the guest's memory"))
		return 1;
	uint8_t *scratch = bh_malloc(BOOT_ACPI_MAX);
	if (!scratch) {
		bh_printf("monitor: no memory for the ACPI tables\n");
		return 1;
	}
	const struct guest_memory *ram =
		flat_memory_init(&guest_ram, 0, info.guest_memory,
		                 (uint8_t *)(uintptr_t)BH_MONITOR_GUEST_RAM);
	monitor_init(&mon, page, ram, (const uint8_t *)(uintptr_t)info.kernel_gpa,
	             (const uint8_t *)(uintptr_t)info.initramfs_gpa, scratch, console_out, NULL);
	info.name[sizeof info.name - 1] = 0;
	bh_printf("monitor: serving %s, %llu MiB\n", info.name,
	          (unsigned long long)(info.guest_memory >> 20));

	while (!mon.powered_off) {
		int64_t r = bh_monitor_run(TICK_NS);
		mon.tsc_now = bh_tsc();
		if (r > 0 && ((uint64_t)r & BH_EVENT_CONSOLE_INPUT))
			take_console_input();
		if (r == -BH_ETIMEDOUT) {
			take_console_input();   /* what found the UART's queue full */
			monitor_tick(&mon);
			continue;
		}
		if (r < 0) {
			bh_printf("monitor: BH_HC_MONITOR_RUN failed: error %lld\n", (long long)r);
			return 1;
		}
		if ((uint64_t)r & BH_EVENT_MONITOR_EXIT)
			monitor_handle_exit(&mon, bh_tsc(), bh_time_ns());
		if ((uint64_t)r & ~BH_EVENT_MONITOR_EXIT)
			monitor_tick(&mon);   /* channel events: the devices look */
	}
	/* Hand the kernel the POWEROFF answer; it stops the pair. */
	bh_monitor_run(0);
	return 0;
}
