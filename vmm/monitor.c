/* SPDX-License-Identifier: GPL-2.0-only */
/* The monitor's core: devices and exit answers (contract in monitor.h). */
#include <stdarg.h>

#include <bulkhead/errno.h>
#include <bulkhead/guest_abi.h>

#include "boot.h"
#include "cpu/decode.h"
#include "cpu/gpr.h"
#include "cpu/guest_walk.h"
#include "lib/format.h"
#include "lib/string.h"
#include "monitor.h"

#define MIB (1ull << 20)

int monitor_check_info(const struct bh_monitor_info *info, const char **why)
{
	const uint64_t files_end = BH_MONITOR_FILES + BH_MONITOR_FILES_MAX;

	*why = "";
	if (info->magic != BH_MONITOR_MAGIC || info->version != BH_MONITOR_VERSION) {
		*why = "the exit page's info block has an unknown magic or version";
		return -BH_EINVAL;
	}
	if (info->vcpus != 1) {
		*why = "the guest has more than one vCPU";
		return -BH_EINVAL;
	}
	if (info->guest_memory % 4096 || info->guest_memory < 2 * MIB ||
	    info->guest_memory > BH_LINUX_MEM_MAX) {
		*why = "the guest's memory size is not a 4 KiB multiple from 2 MiB to 3 GiB";
		return -BH_EINVAL;
	}
	if (info->kernel_size == 0 || info->kernel_gpa < BH_MONITOR_FILES ||
	    info->kernel_gpa >= files_end || info->kernel_size > files_end - info->kernel_gpa) {
		*why = "the kernel is not inside the files window";
		return -BH_EINVAL;
	}
	if (info->initramfs_size &&
	    (info->initramfs_gpa < BH_MONITOR_FILES || info->initramfs_gpa >= files_end ||
	     info->initramfs_size > files_end - info->initramfs_gpa)) {
		*why = "the initramfs is not inside the files window";
		return -BH_EINVAL;
	}
	if (info->virtio_count > BH_MONITOR_VIRTIO_MAX) {
		*why = "more virtio devices than the exit page has room for";
		return -BH_EINVAL;
	}
	if (info->pci_devices > MONITOR_PCI_MAX) {
		*why = "more PCI functions than bus 0 has devices";
		return -BH_EINVAL;
	}
	return 0;
}

/* A line of the monitor's own, "monitor: ..." on the console. After
 * MONITOR_LOG_MAX of them, further ones are only counted: a guest that
 * keeps failing must not flood the console. */
__attribute__((format(printf, 2, 3)))
static void monitor_log(struct monitor *m, const char *fmt, ...)
{
	char text[200];
	va_list ap;

	if (m->logged >= MONITOR_LOG_MAX) {
		m->log_suppressed++;
		return;
	}
	m->logged++;
	int n = bh_snprintf(text, sizeof text, "monitor: ");
	va_start(ap, fmt);
	bh_vsnprintf(text + n, sizeof text - (size_t)n - 1, fmt, ap);
	va_end(ap);
	size_t len = strlen(text);
	text[len++] = '\n';
	m->console(m->console_ctx, text, len);
}

static void flush_line(struct monitor *m)
{
	if (m->line_len) {
		m->console(m->console_ctx, m->line, m->line_len);
		m->line_len = 0;
	}
}

/* The UART's transmitter: whole lines to the console. */
static void uart_tx(void *ctx, uint8_t byte)
{
	struct monitor *m = ctx;

	if (byte == '\r')
		return;
	m->line[m->line_len++] = (char)byte;
	if (byte == '\n' || m->line_len == sizeof m->line)
		flush_line(m);
}

static void ports_report(void *ctx, const char *line)
{
	monitor_log(ctx, "%s", line);
}

static bool ioapic_deliver(void *ctx, uint8_t vector, bool level)
{
	struct monitor *m = ctx;
	return lapic_raise(&m->lapic, vector, level);
}

static void lapic_eoi(void *ctx, uint8_t vector)
{
	struct monitor *m = ctx;
	ioapic_eoi(&m->ioapic, vector);
}

static void update_lines(struct monitor *m)
{
	ioapic_set_line(&m->ioapic, MONITOR_UART_GSI, uart16550_irq_level(&m->uart));
	mmio_bus_update_lines(&m->bus);
}

/* Console input goes into the UART only once the guest has had its
 * receive interrupt enabled for RX_SETTLE_MS: until a process opens the
 * serial port, Linux's 8250 driver uses it for output only, and opening
 * it reads and drops the receive register "for luck" just after enabling
 * the interrupt, so a line typed ahead during boot (a script piped into
 * `make run`) would lose its first key. It waits here instead. */
#define UART_IER_RECEIVE 0x01u
#define RX_SETTLE_MS     10u

static void feed_uart(struct monitor *m)
{
	uint8_t c;

	if (!(m->uart.ier & UART_IER_RECEIVE)) {
		m->rx_enabled = false;
		return;
	}
	if (!m->rx_enabled) {
		m->rx_enabled = true;
		m->rx_enabled_tsc = m->tsc_now;
	}
	if (m->tsc_now - m->rx_enabled_tsc < m->info.tsc_khz * RX_SETTLE_MS)
		return;
	while (uart16550_rx_room(&m->uart) && byte_fifo_take(&m->input, &c, 1))
		uart16550_receive(&m->uart, c);
}

/* The device models at power-on (a START after a reset, too). The
 * unknown-port report bitmap survives: a port is reported once per run
 * of the monitor, not once per boot. */
static void reset_devices(struct monitor *m)
{
	uart16550_init(&m->uart, uart_tx, m);
	rtc_init(&m->rtc);
	lapic_init(&m->lapic, &m->page->irq, 0, lapic_eoi, m);
	ioapic_init(&m->ioapic, MONITOR_IOAPIC_ID, ioapic_deliver, m);
	m->ports.request = PORTS_REQUEST_NONE;
	m->pci.address = 0;   /* CONFIG_ADDRESS at reset */
	for (unsigned i = 0; i < m->bus.nvirtio; i++)
		virtio_mmio_write(m->bus.virtio[i].dev, VIRTIO_MMIO_STATUS, 4, 0);
}

void monitor_init(struct monitor *m, struct bh_monitor_page *page,
                  const struct guest_memory *ram, const uint8_t *kernel,
                  const uint8_t *initramfs, uint8_t *scratch,
                  monitor_console_fn console, void *console_ctx)
{
	memset(m, 0, sizeof *m);
	m->page = page;
	m->ram = ram;
	memcpy(&m->info, &page->info, sizeof m->info);
	m->info.name[sizeof m->info.name - 1] = 0;
	m->info.cmdline[sizeof m->info.cmdline - 1] = 0;
	m->kernel = kernel;
	m->initramfs = initramfs;
	m->scratch = scratch;
	m->console = console;
	m->console_ctx = console_ctx;
	byte_fifo_init(&m->input, m->input_buf, sizeof m->input_buf);
	ports_init(&m->ports, &m->uart, &m->rtc, ports_report, m);
	mmio_bus_init(&m->bus, &m->lapic, &m->ioapic);
	reset_devices(m);

	m->platform = (struct acpi_platform){
		.ram_bytes = m->info.guest_memory,
		.nvcpus = 1,
		.lapic_base = (uint32_t)LAPIC_BASE,
		.ioapic_base = (uint32_t)IOAPIC_BASE,
		.ioapic_id = MONITOR_IOAPIC_ID,
		.has_uart = true,
		.uart_port = PORTS_COM1,
		.uart_gsi = MONITOR_UART_GSI,
		.has_rtc = true,
		.has_power = true,
		.sleep_control_port = PORTS_ACPI_SLEEP_CONTROL,
		.sleep_status_port = PORTS_ACPI_SLEEP_STATUS,
		.reset_port = PORTS_ACPI_RESET,
		.reset_value = PORTS_ACPI_RESET_VALUE,
		.s5_type = PORTS_ACPI_S5_TYPE,
	};
}

int monitor_add_virtio(struct monitor *m, struct virtio_mmio *dev)
{
	unsigned i = m->platform.nvirtio;

	if (i >= BH_MONITOR_VIRTIO_MAX)
		return -BH_ENOSPC;
	uint32_t base = MONITOR_VIRTIO_BASE + i * MONITOR_VIRTIO_STRIDE;
	int err = mmio_bus_add_virtio(&m->bus, base, MONITOR_VIRTIO_SIZE, dev, MONITOR_VIRTIO_GSI + i);
	if (err)
		return err;
	m->platform.virtio[i] = (struct acpi_virtio_mmio){
		.base = base, .size = MONITOR_VIRTIO_SIZE, .gsi = MONITOR_VIRTIO_GSI + i,
		.trigger = ACPI_LEVEL_HIGH,
	};
	m->platform.nvirtio = i + 1;
	return (int)i;
}

int monitor_add_pci(struct monitor *m, pci_config_fn config, void *ctx)
{
	if (m->info.pci_devices == 0 || m->platform.has_pci)
		return -BH_EINVAL;
	pci_host_init(&m->pci, config, ctx);
	int err = mmio_bus_add_ecam(&m->bus, BH_LINUX_ECAM_BASE, BH_LINUX_ECAM_SIZE, &m->pci);
	if (err)
		return err;
	m->ports.pci = &m->pci;
	m->platform.has_pci = true;
	m->platform.ecam_base = (uint32_t)BH_LINUX_ECAM_BASE;
	m->platform.pci_mem_base = (uint32_t)BH_GUEST_DEVICE_BASE;
	m->platform.pci_mem_limit = BH_GUEST_DEVICE_LIMIT;
	return 0;
}

/* The kernel refusing a configuration access means the pair was set up
 * wrong (no grant behind pci_devices, or a kernel without the call): said
 * once, since the guest only sees all ones. */
static void log_pci_failure(struct monitor *m)
{
	if (m->pci.failed == 0 || m->pci_failure_logged)
		return;
	m->pci_failure_logged = true;
	monitor_log(m, "the kernel refused a PCI configuration access: error %lld",
	            (long long)m->pci.last_error);
}

size_t monitor_uart_input(struct monitor *m, const char *buf, size_t len)
{
	size_t taken = 0;

	while (taken < len && byte_fifo_put(&m->input, (uint8_t)buf[taken]))
		taken++;
	m->input_dropped += len - taken;
	feed_uart(m);
	update_lines(m);
	return taken;
}

void monitor_tick(struct monitor *m)
{
	feed_uart(m);
	flush_line(m);
	update_lines(m);
}

/* What to answer, and the registers to answer with. */
struct answer {
	enum bh_monitor_action action;
	struct bh_monitor_regs regs;
};

/* An exit that cannot be emulated: the guest is stopped, not resumed on
 * a guess. */
static void cannot_emulate(struct monitor *m, struct answer *a, const char *what,
                           const uint8_t *bytes, size_t n)
{
	char hex[3 * X86_MAX_INSN_LEN + 1] = "";
	for (size_t i = 0; i < n && i < X86_MAX_INSN_LEN; i++)
		bh_snprintf(hex + 3 * i, sizeof hex - 3 * i, " %02x", bytes[i]);
	monitor_log(m, "%s at rip %#llx%s%s: stopping the guest", what,
	            (unsigned long long)a->regs.rip, n ? ", bytes" : "", hex);
	a->action = BH_MON_ACTION_POWEROFF;
}

static void answer_start(struct monitor *m, struct answer *a)
{
	const char *why;
	struct boot_result br;
	struct boot_params p = {
		.kernel = m->kernel,
		.kernel_size = (size_t)m->info.kernel_size,
		.initramfs = m->info.initramfs_size ? m->initramfs : 0,
		.initramfs_size = (size_t)m->info.initramfs_size,
		.ram_bytes = m->info.guest_memory,
		.tsc_khz = m->info.tsc_khz,
		.policy_cmdline = m->info.cmdline,
		.policy_cmdline_max = sizeof m->info.cmdline,
		.platform = &m->platform,
		.scratch = m->scratch,
	};

	reset_devices(m);
	int err = boot_load(m->ram, &p, &br, &why);
	if (err) {
		monitor_log(m, "cannot load the guest: %s", why);
		a->action = BH_MON_ACTION_POWEROFF;
		return;
	}
	m->boots++;
	a->regs.rip = br.entry;
	a->regs.rbx = br.start_info;
	a->action = BH_MON_ACTION_RESUME;
}

static void answer_io(struct monitor *m, const struct bh_monitor_exit *e, struct answer *a,
                      uint64_t now_ns)
{
	if (e->string) {
		cannot_emulate(m, a, "string port I/O (INS/OUTS) is not emulated", 0, 0);
		return;
	}
	if (e->next_rip == 0 || (e->size != 1 && e->size != 2 && e->size != 4)) {
		cannot_emulate(m, a, "a port I/O exit without next_rip or with a bad size", 0, 0);
		return;
	}
	if (e->in) {
		uint32_t v = ports_in(&m->ports, e->port, e->size, now_ns);
		gpr_write(&a->regs, 0, e->size, false, v);
	} else {
		ports_out(&m->ports, e->port, e->size, (uint32_t)gpr_read(&a->regs, 0, e->size, false));
	}
	a->regs.rip = e->next_rip;
	a->action = BH_MON_ACTION_RESUME;
	feed_uart(m);   /* a read of RBR made room */

	switch (ports_take_request(&m->ports)) {
	case PORTS_REQUEST_RESET:
		monitor_log(m, "the guest asked for a reset");
		a->action = BH_MON_ACTION_RESET;
		break;
	case PORTS_REQUEST_POWEROFF:
		monitor_log(m, "the guest powered off");
		a->action = BH_MON_ACTION_POWEROFF;
		break;
	case PORTS_REQUEST_NONE:
		break;
	}
}

static uint64_t sign_extend(uint64_t v, unsigned bytes)
{
	unsigned shift = 64 - 8 * bytes;
	return (uint64_t)((int64_t)(v << shift) >> shift);
}

static void answer_mmio(struct monitor *m, const struct bh_monitor_exit *e, struct answer *a,
                        uint64_t tsc)
{
	uint8_t bytes[X86_MAX_INSN_LEN];
	size_t got;
	struct mmio_insn insn;

	guest_fetch(m->ram, &a->regs, guest_rip_linear(&a->regs), bytes, sizeof bytes, &got);
	if (got == 0) {
		cannot_emulate(m, a, "the MMIO instruction cannot be read", 0, 0);
		return;
	}
	enum decode_error err = x86_decode_mmio(bytes, got, guest_cpu_mode(&a->regs), &insn);
	if (err != DECODE_OK) {
		cannot_emulate(m, a, decode_error_name(err), bytes, got);
		return;
	}
	if (insn.write != (e->write != 0)) {
		cannot_emulate(m, a, "the instruction's direction disagrees with the exit", bytes,
		               insn.length);
		return;
	}
	if (insn.write) {
		uint64_t v = insn.has_imm ? insn.imm
		                          : gpr_read(&a->regs, insn.reg, insn.size, insn.high_byte);
		mmio_bus_write(&m->bus, e->gpa, insn.size, v, tsc);
	} else {
		uint64_t v = mmio_bus_read(&m->bus, e->gpa, insn.size, tsc);
		if (insn.extend == MMIO_EXTEND_SIGN)
			v = sign_extend(v, insn.size);
		gpr_write(&a->regs, insn.reg, insn.dest_size, insn.high_byte, v);
	}
	a->regs.rip += insn.length;
	if (guest_cpu_mode(&a->regs) != X86_MODE_64)
		a->regs.rip &= 0xffffffffull;
	a->action = BH_MON_ACTION_RESUME;
}

enum bh_monitor_action monitor_handle_exit(struct monitor *m, uint64_t tsc, uint64_t now_ns)
{
	struct bh_monitor_page *pg = m->page;
	struct bh_monitor_exit e;

	m->tsc_now = tsc;
	if (__atomic_load_n(&pg->exit.reason, __ATOMIC_ACQUIRE) == BH_MON_EXIT_NONE ||
	    __atomic_load_n(&pg->reply.action, __ATOMIC_ACQUIRE) != BH_MON_ACTION_NONE)
		return BH_MON_ACTION_NONE;
	memcpy(&e, (const void *)&pg->exit, sizeof e);

	struct answer a = { .action = BH_MON_ACTION_NONE, .regs = e.regs };
	switch (e.reason) {
	case BH_MON_EXIT_START:
		answer_start(m, &a);
		break;
	case BH_MON_EXIT_IO:
		answer_io(m, &e, &a, now_ns);
		break;
	case BH_MON_EXIT_MMIO:
		answer_mmio(m, &e, &a, tsc);
		break;
	case BH_MON_EXIT_SHUTDOWN:
		monitor_log(m, "the guest reset itself (triple fault): restarting it");
		a.action = BH_MON_ACTION_RESET;
		break;
	default:
		monitor_log(m, "unknown exit reason %u: stopping the guest", e.reason);
		a.action = BH_MON_ACTION_POWEROFF;
		break;
	}
	update_lines(m);
	log_pci_failure(m);

	memcpy(&pg->reply.regs, &a.regs, sizeof a.regs);
	__atomic_store_n(&pg->reply.action, (uint32_t)a.action, __ATOMIC_RELEASE);
	m->exits++;
	if (a.action == BH_MON_ACTION_POWEROFF)
		m->powered_off = true;
	return a.action;
}
