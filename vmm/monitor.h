/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The monitor's core: the device models of one Linux guest and the
 * answer to each exit the kernel forwards (bulkhead/monitor.h). Pure:
 * it knows the exit page, guest memory and the guest's files only
 * through pointers it is given, and talks to the outside only through
 * the console callback, so host tests drive it with scripted exits
 * exactly as main.c does with real ones. main.c adds the hypercalls:
 * mapping the windows, BH_HC_MONITOR_RUN, the console.
 *
 * The answers:
 *   START     reset every device model, load the guest (boot.h), RESUME
 *             at the PVH entry with rbx = the start-info address; a
 *             guest that cannot be loaded is powered off with a log line;
 *   IO        the port dispatch (devices/ports.h); an IN writes rax
 *             with the CPU's width rules; RESUME at next_rip; a reset or
 *             power-off request made by the access is answered as RESET
 *             or POWEROFF instead;
 *   MMIO      the instruction at rip is fetched through the guest's page
 *             tables (cpu/guest_walk.h) and decoded (cpu/decode.h); the
 *             access goes to the device window (devices/mmio_bus.h); a
 *             load writes its register; RESUME after the instruction;
 *   SHUTDOWN  (a triple fault, which reboot=t makes of every reboot)
 *             RESET.
 * What cannot be emulated is never guessed at (docs/style.md, rule 5):
 * string port I/O (INS/OUTS, which Linux does not use on these
 * devices), an IO exit without next_rip, an MMIO instruction that cannot
 * be read or decoded, or whose direction disagrees with the exit, stop
 * the guest (POWEROFF) with one log line naming rip, the bytes and the
 * reason. Device-level refusals (an access size a register does not
 * take, an address nothing claims) are not failures: reads give all
 * ones, writes are dropped, and they are counted.
 */
#ifndef VMM_MONITOR_H
#define VMM_MONITOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <bulkhead/monitor.h>

#include "acpi/platform.h"
#include "devices/ioapic.h"
#include "devices/lapic.h"
#include "devices/mmio_bus.h"
#include "devices/pci_host.h"
#include "devices/ports.h"
#include "devices/rtc.h"
#include "devices/uart16550.h"
#include "lib/byte_fifo.h"
#include "mem/guest_memory.h"
#include "virtio/mmio.h"

/* The platform's fixed choices (docs/monitor.md, "The platform"). */
#define MONITOR_IOAPIC_ID      1
#define MONITOR_UART_GSI       4
#define MONITOR_VIRTIO_BASE    0xfe100000u   /* window i at + i * STRIDE; after the ECAM */
#define MONITOR_VIRTIO_STRIDE  0x1000u
#define MONITOR_VIRTIO_SIZE    0x200u
#define MONITOR_VIRTIO_GSI     16u           /* window i on GSI 16 + i, level */
#define MONITOR_PCI_MAX        31u           /* bus 0's devices 1-31: one function each */
#define MONITOR_LINE_MAX       160u          /* guest console text per write */
#define MONITOR_INPUT_MAX      256u          /* console input waiting for the UART */
#define MONITOR_LOG_MAX        64u           /* monitor messages, then only counted */

/* Where the console text goes: one call per line of the guest's UART
 * output (or part line, at a flush), and one per monitor message. */
typedef void (*monitor_console_fn)(void *ctx, const char *text, size_t len);

struct monitor {
	struct bh_monitor_page *page;
	const struct guest_memory *ram;
	struct bh_monitor_info info;        /* copied from the page at init */
	const uint8_t *kernel, *initramfs;  /* the files, where the caller mapped them */
	uint8_t *scratch;                   /* BOOT_ACPI_MAX bytes */
	monitor_console_fn console;
	void *console_ctx;

	struct uart16550 uart;
	struct rtc rtc;
	struct lapic lapic;
	struct ioapic ioapic;
	struct ports ports;
	struct mmio_bus bus;
	struct pci_host pci;                /* in use only after monitor_add_pci */
	struct acpi_platform platform;

	char line[MONITOR_LINE_MAX];
	size_t line_len;
	struct byte_fifo input;
	uint8_t input_buf[MONITOR_INPUT_MAX];

	bool powered_off;                   /* POWEROFF answered: the loop ends */
	uint64_t exits;                     /* exits answered */
	uint64_t boots;                     /* STARTs answered */
	uint64_t input_dropped;             /* console bytes with no room */
	uint64_t tsc_now;                   /* the TSC at the last exit or tick */
	uint64_t rx_enabled_tsc;            /* when the guest last enabled the UART's RX interrupt */
	bool rx_enabled;
	uint64_t logged, log_suppressed;
	bool pci_failure_logged;            /* the kernel's first refusal is logged */
};

/*
 * Checks the info block the kernel wrote (magic, version, one vCPU, RAM a
 * 4 KiB multiple from 2 MiB to BH_LINUX_MEM_MAX, files inside the files
 * window, no more virtio devices than BH_MONITOR_VIRTIO_MAX, no more PCI
 * functions than MONITOR_PCI_MAX). Returns 0,
 * or -BH_EINVAL with *why saying which. main.c calls it before mapping
 * anything the info describes.
 */
int monitor_check_info(const struct bh_monitor_info *info, const char **why);

/*
 * Sets m up for the page (whose info must have passed monitor_check_info),
 * guest RAM, the two files as mapped, and a scratch block of
 * BOOT_ACPI_MAX bytes. Device models at power-on; no virtio windows.
 */
void monitor_init(struct monitor *m, struct bh_monitor_page *page,
                  const struct guest_memory *ram, const uint8_t *kernel,
                  const uint8_t *initramfs, uint8_t *scratch,
                  monitor_console_fn console, void *console_ctx);

/*
 * Adds a virtio-mmio device as the next window (MONITOR_VIRTIO_BASE +
 * i * MONITOR_VIRTIO_STRIDE, GSI MONITOR_VIRTIO_GSI + i, level-triggered)
 * to the device window and to the ACPI tables the next START builds.
 * Returns the window index, or -BH_ENOSPC when BH_MONITOR_VIRTIO_MAX are
 * taken. Call before the first START.
 */
int monitor_add_virtio(struct monitor *m, struct virtio_mmio *dev);

/*
 * Gives the guest the PCI functions info.pci_devices counts: a host
 * bridge for bus 0 whose every configuration access, through the ECAM at
 * BH_LINUX_ECAM_BASE or ports 0xcf8-0xcff, goes to config
 * (BH_HC_DEVICE_CONFIG in the monitor VM); MCFG and root-bridge tables
 * whose memory window is [BH_GUEST_DEVICE_BASE, BH_GUEST_DEVICE_LIMIT),
 * where the kernel maps the functions' BARs; the ECAM reserved in the
 * memory map; no pci=off. Returns 0, or -BH_EINVAL if info.pci_devices
 * is 0 or PCI was added already. Call before the first START.
 */
int monitor_add_pci(struct monitor *m, pci_config_fn config, void *ctx);

/*
 * Answers the exit waiting in the page, if any (exit.reason != NONE and
 * no answer yet): writes reply.regs, then reply.action. tsc and now_ns
 * are the time of the answer (the local APIC timer, the RTC). Returns the
 * action written, BH_MON_ACTION_NONE if nothing waited.
 */
enum bh_monitor_action monitor_handle_exit(struct monitor *m, uint64_t tsc, uint64_t now_ns);

/*
 * Housekeeping between exits (a timeout or a channel event of
 * BH_HC_MONITOR_RUN): feeds waiting console input to the UART, writes out
 * a partial UART line (a shell prompt has no newline), and brings every
 * interrupt line to the IOAPIC.
 */
void monitor_tick(struct monitor *m);

/*
 * Console input for the guest's UART. Takes what fits in the input queue
 * (counting the rest as dropped) and hands the UART what its FIFO takes;
 * the rest follows as the guest reads. Returns the bytes taken.
 */
size_t monitor_uart_input(struct monitor *m, const char *buf, size_t len);

#endif
