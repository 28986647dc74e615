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

#include <bulkhead/channel.h>

#include "boot.h"
#include "mem/flat_memory.h"
#include "monitor.h"
#include "virtio/chan_port.h"
#include "virtio/console.h"
#include "virtio/net.h"

/* How often the loop wakes without an exit: console input and partial
 * output lines wait at most this long. */
#define TICK_NS (20 * BH_NS_PER_MS)

#define PAGE 4096ull

static struct monitor mon;
static struct flat_memory guest_ram;

/* The guest's virtio devices, each backed by a channel the policy names
 * (docs/virtio-devices.md). */
struct virtio_slot {
	char name[BH_CHANNEL_NAME_MAX + 1];   /* its channel's */
	struct bh_channel ch;
	struct chan_port port;
	struct chan_device dev;
	bool net;
};
static struct virtio_slot slots[BH_MONITOR_VIRTIO_MAX];
static unsigned nslots;

static int notify_peer(void *ctx)
{
	return bh_channel_notify(ctx);
}

/*
 * Opens the channel behind each virtio device of the info block and puts
 * the device in the next window. A device whose channel is not there
 * (the kernel could not map it) is left out, and said so: the guest finds
 * no such device rather than a dead one. A channel whose other end is not
 * running yet is there, down until it starts.
 */
static void add_virtio_devices(const struct bh_monitor_info *info, const struct guest_memory *ram)
{
	for (uint32_t i = 0; i < info->virtio_count && i < BH_MONITOR_VIRTIO_MAX; i++) {
		const struct bh_monitor_virtio *v = &info->virtio[i];
		struct virtio_slot *s = &slots[nslots];
		char name[sizeof v->channel_name + 1];
		int rc;

		memcpy(name, v->channel_name, sizeof v->channel_name);
		name[sizeof v->channel_name] = 0;
		memcpy(s->name, name, sizeof s->name);
		rc = bh_channel_open(name, &s->ch);
		if (!rc)
			rc = chan_port_init(&s->port, s->ch.base, s->ch.size, s->ch.end, s->ch.flags,
			                    notify_peer, &s->ch);
		if (!rc && v->kind == BH_MON_VIRTIO_NET) {
			uint8_t mac[6];
			virtio_net_mac_from_seed(info->name, strnlen(info->name, sizeof info->name), i, mac);
			rc = virtio_net_init(&s->dev, ram, &s->port, mac);
			s->net = true;
		} else if (!rc) {
			rc = virtio_console_init(&s->dev, ram, &s->port);
		}
		if (!rc) {
			int window = monitor_add_virtio(&mon, &s->dev.mmio);
			rc = window < 0 ? window : 0;
		}
		if (rc) {
			bh_printf("monitor: virtio-%s on channel %s left out: error %d\n",
			          v->kind == BH_MON_VIRTIO_NET ? "net" : "console", name, rc);
			continue;
		}
		/* A peer not running yet: nothing is sent until it comes up
		 * (reconnect), and the network link is down till then. */
		if (!(s->ch.flags & BH_CHANNEL_UP)) {
			chan_port_peer_gone(&s->port);
			if (s->net)
				virtio_net_set_link(&s->dev, false);
		}
		bh_printf("monitor: virtio-%s %u on channel %s%s\n", s->net ? "net" : "console",
		          nslots, name, s->ch.flags & BH_CHANNEL_UP ? "" : " (its peer is not running yet)");
		nslots++;
	}
}

/* After the peer went: whether a peer was launched anew (the kernel
 * raised the data event as the channel came up again, with a larger
 * generation). If so the region is zeroed: the port starts over on it and
 * a network link comes back up. */
static void reconnect(struct virtio_slot *s)
{
	struct bh_channel now;
	if (bh_channel_open(s->name, &now) || !(now.flags & BH_CHANNEL_UP) ||
	    now.generation == s->ch.generation)
		return;
	s->ch = now;   /* in place: the port's notify context points at it */
	chan_port_restart(&s->port);
	if (s->net)
		virtio_net_set_link(&s->dev, true);
	chan_device_channel_restarted(&s->dev);
	bh_printf("monitor: virtio-%s on channel %s: the peer is back (generation %u)\n",
	          s->net ? "net" : "console", s->name, now.generation);
}

/* Told of a gone peer by one BH_HC_MONITOR_RUN and back from the next:
 * the kernel has unmapped that channel. Its port touches it no more,
 * before anything else (an exit of the guest's) can make it look. */
static void close_unmapped_ports(void)
{
	for (unsigned i = 0; i < nslots; i++)
		if (bh_channel_closed(&slots[i].ch) && !slots[i].port.closed)
			chan_port_close(&slots[i].port);
}

/* The channels' events: a gone peer takes the link down, and one launched
 * anew brings it back; then every device looks at its channel and queues
 * again. */
static void poll_virtio_devices(uint64_t events)
{
	for (unsigned i = 0; i < nslots; i++) {
		struct virtio_slot *s = &slots[i];
		if (events & bh_channel_gone_bit(&s->ch)) {
			chan_port_peer_gone(&s->port);
			if (s->net)
				virtio_net_set_link(&s->dev, false);
		}
		if (s->port.peer_gone && (events & bh_channel_data_bit(&s->ch)))
			reconnect(s);
		chan_device_poll(&s->dev);
	}
}

/* The host bridge's way to the kernel: BH_HC_DEVICE_CONFIG for the
 * guest's functions, which the pair's grant lets this monitor reach. */
static int64_t device_config(void *ctx, uint32_t devfn, uint32_t reg, unsigned size,
                             uint32_t value, bool write)
{
	(void)ctx;
	return bh_device_config(devfn, reg, size, value, write);
}

/* And BH_HC_DEVICE_MMIO for the registers the kernel keeps (MSI-X). */
static int64_t device_mmio(void *ctx, uint64_t gpa, uint32_t value, bool write)
{
	(void)ctx;
	return bh_device_mmio(gpa, value, write);
}

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
	add_virtio_devices(&info, ram);
	if (info.pci_devices) {
		int err = monitor_add_pci(&mon, device_config, NULL);
		if (err) {
			bh_printf("monitor: cannot add the PCI host bridge: error %d\n", err);
			return 1;
		}
		mon.pci.bar = device_mmio;   /* the MSI-X tables the kernel keeps */
		bh_printf("monitor: %u PCI function%s on bus 0, ECAM at %#llx\n", info.pci_devices,
		          info.pci_devices == 1 ? "" : "s", (unsigned long long)BH_LINUX_ECAM_BASE);
	}
	bh_printf("monitor: serving %s, %llu MiB\n", info.name,
	          (unsigned long long)(info.guest_memory >> 20));

	while (!mon.powered_off) {
		int64_t r = bh_monitor_run(TICK_NS);
		close_unmapped_ports();
		mon.tsc_now = bh_tsc();
		if (r > 0 && ((uint64_t)r & BH_EVENT_CONSOLE_INPUT))
			take_console_input();
		if (r == -BH_ETIMEDOUT) {
			take_console_input();   /* what found the UART's queue full */
			poll_virtio_devices(0);
			monitor_tick(&mon);
			continue;
		}
		if (r < 0) {
			bh_printf("monitor: BH_HC_MONITOR_RUN failed: error %lld\n", (long long)r);
			return 1;
		}
		if ((uint64_t)r & BH_EVENT_MONITOR_EXIT)
			monitor_handle_exit(&mon, bh_tsc(), bh_time_ns());
		if ((uint64_t)r & ~BH_EVENT_MONITOR_EXIT) {
			poll_virtio_devices((uint64_t)r);   /* channel events: the devices look */
			monitor_tick(&mon);
		}
	}
	/* Hand the kernel the POWEROFF answer; it stops the pair. */
	bh_monitor_run(0);
	return 0;
}
