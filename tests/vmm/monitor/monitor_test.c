/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The monitor's core without the kernel: scripted exits written into an
 * exit page as the kernel writes them, answered through the same
 * monitor_handle_exit main.c calls, with a fake guest whose RAM holds
 * the loaded fake vmlinux and real long-mode page tables, and MMIO
 * instructions as real bytes at the guest's rip (one straddling a page
 * boundary). The kernel's side of the answer (taking the reply, clearing
 * pending bits as it injects) is played here.
 */
#include <stdlib.h>

#include "check.h"
#include "fake_pci_kernel.h"
#include "fake_vmlinux.h"

#include "boot.h"
#include "bulkhead/errno.h"
#include "cpu/guest_walk.h"
#include "loader/hvm_start_info.h"
#include "mem/flat_memory.h"
#include "monitor.h"

#define RAM (32ull << 20)

static struct bh_monitor_page page;
static uint8_t *ram_host;
static struct flat_memory fm;
static uint8_t kernel[FAKE_IMAGE_SIZE];
static uint8_t initrd[4096];
static uint8_t scratch[BOOT_ACPI_MAX];
static struct monitor mon;
static char out[8192];
static size_t out_len;

static void console(void *ctx, const char *text, size_t len)
{
	CHECK(ctx == &out_len);
	CHECK(out_len + len < sizeof out);
	memcpy(out + out_len, text, len);
	out_len += len;
	out[out_len] = 0;
}

/* A guest granted pci_devices PCI functions (0: none). */
static void setup_with(uint32_t pci_devices)
{
	memset(&page, 0, sizeof page);
	page.info = (struct bh_monitor_info){
		.magic = BH_MONITOR_MAGIC, .version = BH_MONITOR_VERSION, .vcpus = 1,
		.name = "linux", .guest_memory = RAM, .tsc_khz = 2600000,
		.kernel_gpa = BH_MONITOR_FILES, .kernel_size = sizeof kernel,
		.initramfs_gpa = BH_MONITOR_FILES + 0x200000, .initramfs_size = sizeof initrd,
		.pci_devices = pci_devices, .cmdline = "console=hvc0 quiet",
	};
	const char *why;
	CHECK_EQ(monitor_check_info(&page.info, &why), 0);
	free(ram_host);
	ram_host = calloc(1, RAM);
	fake_vmlinux(kernel);
	memset(initrd, 0x42, sizeof initrd);
	out_len = 0;
	out[0] = 0;
	monitor_init(&mon, &page, flat_memory_init(&fm, 0, RAM, ram_host), kernel, initrd,
	             scratch, console, &out_len);
}

static void setup(void)
{
	setup_with(0);
}

/* The kernel forwards an exit: the reply slot is free again. */
static void forward(uint32_t reason, const struct bh_monitor_regs *regs)
{
	page.reply.action = BH_MON_ACTION_NONE;
	memset(&page.exit, 0, sizeof page.exit);
	page.exit.reason = reason;
	page.exit.seq++;
	page.exit.regs = *regs;
}

/* Each exit 1000 TSC cycles after the monitor last looked. */
static enum bh_monitor_action answer(void)
{
	enum bh_monitor_action a = monitor_handle_exit(&mon, mon.tsc_now + 1000, 5000000000ull);
	CHECK_EQ(page.reply.action, a);
	return a;
}

static void start_guest(void)
{
	struct bh_monitor_regs r = { .cr0 = X86_CR0_PE, .cs_flags = BH_MON_CS_DB };
	forward(BH_MON_EXIT_START, &r);
	CHECK_EQ(answer(), BH_MON_ACTION_RESUME);
	CHECK_EQ(page.reply.regs.rip, FAKE_ENTRY);
	CHECK_EQ(page.reply.regs.rbx, 0x1000);
}

static struct bh_monitor_regs io_regs(uint64_t rax)
{
	return (struct bh_monitor_regs){ .rax = rax, .rip = 0x1000100, .cr0 = X86_CR0_PE,
	                                 .cs_flags = BH_MON_CS_DB };
}

static enum bh_monitor_action port_io(uint16_t port, unsigned size, bool in, uint64_t rax)
{
	struct bh_monitor_regs r = io_regs(rax);
	forward(BH_MON_EXIT_IO, &r);
	page.exit.port = port;
	page.exit.size = (uint8_t)size;
	page.exit.in = in;
	page.exit.next_rip = r.rip + 2;
	enum bh_monitor_action a = answer();
	if (a == BH_MON_ACTION_RESUME)
		CHECK_EQ(page.reply.regs.rip, r.rip + 2);
	return a;
}

TEST(start_loads_the_guest_and_resumes_at_the_pvh_entry)
{
	setup();
	start_guest();
	struct hvm_start_info si;
	memcpy(&si, ram_host + 0x1000, sizeof si);
	CHECK_EQ(si.magic, XEN_HVM_START_MAGIC_VALUE);
	CHECK_STR_EQ((char *)ram_host + si.cmdline_paddr,
	             "console=ttyS0 reboot=t panic=-1 tsc_early_khz=2600000 pci=off "
	             "8250.nr_uarts=1 console=hvc0 quiet");
	CHECK_EQ(ram_host[FAKE_TEXT_PADDR], 0xf4);
	CHECK_EQ(ram_host[RAM - 4096], 0x42);     /* the initramfs at the top */
	/* The DSDT offers S5 (the tables are between the RSDP and 1 MiB). */
	bool s5 = false;
	for (uint64_t a = BOOT_ACPI_GPA; a + 4 <= BOOT_LOW_END; a++)
		s5 |= memcmp(ram_host + a, "_S5_", 4) == 0;
	CHECK(s5);
	CHECK_EQ(mon.boots, 1);
}

TEST(the_uart_writes_lines_to_the_console)
{
	setup();
	start_guest();
	const char *text = "hi\r\n# ";
	for (const char *c = text; *c; c++)
		CHECK_EQ(port_io(0x3f8, 1, false, 0xffffff00u | (uint8_t)*c), BH_MON_ACTION_RESUME);
	CHECK_STR_EQ(out, "hi\n");
	monitor_tick(&mon);                       /* the prompt has no newline */
	CHECK_STR_EQ(out, "hi\n# ");
	/* IN merges into rax with the CPU's width rules. */
	CHECK_EQ(port_io(0x3fd, 1, true, 0x1122334455667788ull), BH_MON_ACTION_RESUME);
	CHECK_EQ(page.reply.regs.rax, 0x1122334455667760ull);
	CHECK_EQ(port_io(0xcfc, 4, true, 0x1122334455667788ull), BH_MON_ACTION_RESUME);
	CHECK_EQ(page.reply.regs.rax, 0xffffffffull);
}

/* Long-mode page tables in guest RAM (above the loaded kernel) mapping
 * the kernel's text at 0xffffffff81000000 with 4 KiB pages, so two
 * adjacent virtual pages can sit in frames apart. */
#define TEXT_LA 0xffffffff81000000ull
#define PT_BASE 0x800000ull

static struct bh_monitor_regs long_mode_regs(uint64_t rip)
{
	uint64_t e;
	e = (PT_BASE + 0x1000) | 3;
	memcpy(ram_host + PT_BASE + 511 * 8, &e, 8);              /* PML4[511] */
	e = (PT_BASE + 0x2000) | 3;
	memcpy(ram_host + PT_BASE + 0x1000 + 510 * 8, &e, 8);     /* PDPT[510] */
	e = (PT_BASE + 0x3000) | 3;
	memcpy(ram_host + PT_BASE + 0x2000 + 8 * 8, &e, 8);       /* PD[8]: 0x...81000000 */
	e = 0x900000 | 1;
	memcpy(ram_host + PT_BASE + 0x3000 + 0, &e, 8);           /* page 0 at 0x900000 */
	e = 0xa00000 | 1;
	memcpy(ram_host + PT_BASE + 0x3000 + 8, &e, 8);           /* page 1 at 0xa00000 */
	return (struct bh_monitor_regs){
		.rip = rip, .cr0 = X86_CR0_PE | X86_CR0_PG | 0x10, .cr3 = PT_BASE,
		.cr4 = X86_CR4_PAE, .efer = X86_EFER_LMA | 0x500, .cs_flags = BH_MON_CS_L,
	};
}

/* Puts bytes at the guest's TEXT_LA + off (through the mapping above). */
static void put_text(uint64_t off, const void *bytes, size_t n)
{
	for (size_t i = 0; i < n; i++, off++) {
		uint64_t frame = off < 0x1000 ? 0x900000 : 0xa00000;
		ram_host[frame + (off & 0xfff)] = ((const uint8_t *)bytes)[i];
	}
}

static enum bh_monitor_action mmio(struct bh_monitor_regs *r, uint64_t gpa, bool write)
{
	forward(BH_MON_EXIT_MMIO, r);
	page.exit.gpa = gpa;
	page.exit.write = write;
	enum bh_monitor_action a = answer();
	*r = page.reply.regs;
	return a;
}

TEST(lapic_accesses_are_decoded_from_the_guests_own_instructions)
{
	setup();
	start_guest();
	/* mov %eax,0xf0(%rdx): SVR = 0x1ff, the instruction straddling pages. */
	put_text(0xffd, "\x89\x82\xf0\x00\x00\x00", 6);
	struct bh_monitor_regs r = long_mode_regs(TEXT_LA + 0xffd);
	r.rax = 0xffffffff000001ffull;
	r.rdx = 0xffffffffff5fc000ull;                            /* Linux's APIC fixmap */
	CHECK_EQ(mmio(&r, 0xfee000f0, true), BH_MON_ACTION_RESUME);
	CHECK_EQ(r.rip, TEXT_LA + 0xffd + 6);
	CHECK_EQ(mon.lapic.svr, 0x1ff);

	/* mov 0xf0(%rdx),%eax reads it back, zero-extended. */
	put_text(0x10, "\x8b\x82\xf0\x00\x00\x00", 6);
	r.rip = TEXT_LA + 0x10;
	r.rax = 0xdeadbeefdeadbeefull;
	CHECK_EQ(mmio(&r, 0xfee000f0, false), BH_MON_ACTION_RESUME);
	CHECK_EQ(r.rax, 0x1ff);
	CHECK_EQ(r.rip, TEXT_LA + 0x16);

	/* movl $0xec,0x320(%rdx); movl $1000,0x380(%rdx): the kernel's deadline. */
	put_text(0x20, "\xc7\x82\x20\x03\x00\x00\xec\x00\x00\x00", 10);
	r.rip = TEXT_LA + 0x20;
	CHECK_EQ(mmio(&r, 0xfee00320, true), BH_MON_ACTION_RESUME);
	put_text(0x30, "\xc7\x82\x80\x03\x00\x00\xe8\x03\x00\x00", 10);
	r.rip = TEXT_LA + 0x30;
	CHECK_EQ(mmio(&r, 0xfee00380, true), BH_MON_ACTION_RESUME);
	CHECK_EQ(page.irq.timer_vector, 0xec);
	CHECK_EQ(page.irq.timer_deadline, mon.tsc_now + 1000 * 2);   /* TDCR 0: divide by 2 */

	/* movzbl of an IOAPIC window read (version low byte). */
	put_text(0x40, "\xc7\x02\x01\x00\x00\x00", 6);             /* movl $1,(%rdx) */
	r.rip = TEXT_LA + 0x40;
	CHECK_EQ(mmio(&r, 0xfec00000, true), BH_MON_ACTION_RESUME);
	put_text(0x50, "\x8b\x42\x10", 3);                         /* mov 0x10(%rdx),%eax */
	r.rip = TEXT_LA + 0x50;
	CHECK_EQ(mmio(&r, 0xfec00010, false), BH_MON_ACTION_RESUME);
	CHECK_EQ(r.rax, 0x00170011);
}

TEST(console_input_raises_the_uart_interrupt_through_the_ioapic)
{
	setup();
	start_guest();
	struct bh_monitor_regs r = long_mode_regs(TEXT_LA);
	r.rdx = 0;
	/* SVR on; IOAPIC pin 4 -> vector 0x24, edge. */
	put_text(0, "\xc7\x02\xff\x01\x00\x00", 6);                /* movl $0x1ff,(%rdx) */
	CHECK_EQ(mmio(&r, 0xfee000f0, true), BH_MON_ACTION_RESUME);
	put_text(0x10, "\xc7\x02\x18\x00\x00\x00", 6);             /* movl $0x18,(%rdx) */
	r.rip = TEXT_LA + 0x10;
	CHECK_EQ(mmio(&r, 0xfec00000, true), BH_MON_ACTION_RESUME);
	put_text(0x20, "\xc7\x02\x24\x00\x00\x00", 6);             /* movl $0x24,(%rdx) */
	r.rip = TEXT_LA + 0x20;
	CHECK_EQ(mmio(&r, 0xfec00010, true), BH_MON_ACTION_RESUME);
	/* The 8250 driver: OUT2 on, received-data interrupt enabled. */
	CHECK_EQ(port_io(0x3fc, 1, false, 0x0b), BH_MON_ACTION_RESUME);
	CHECK_EQ(port_io(0x3f9, 1, false, 0x01), BH_MON_ACTION_RESUME);
	CHECK_EQ(page.irq.pending[0], 0);
	CHECK_EQ(monitor_uart_input(&mon, "ls\n", 3), 3);
	/* Held until the receive interrupt has been on for 10 ms: opening
	 * the port reads and drops RBR once just after enabling it. */
	CHECK_EQ(page.irq.pending[0], 0);
	mon.tsc_now += mon.info.tsc_khz * 10 - 1;
	monitor_tick(&mon);
	CHECK_EQ(page.irq.pending[0], 0);
	mon.tsc_now += 1;
	monitor_tick(&mon);
	CHECK(page.irq.pending[0] & (1ull << 0x24));
	CHECK_EQ(port_io(0x3f8, 1, true, 0), BH_MON_ACTION_RESUME);
	CHECK_EQ(page.reply.regs.rax & 0xff, 'l');
	CHECK_EQ(port_io(0x3f8, 1, true, 0), BH_MON_ACTION_RESUME);
	CHECK_EQ(page.reply.regs.rax & 0xff, 's');
}

TEST(poweroff_reset_and_triple_fault)
{
	setup();
	start_guest();
	CHECK_EQ(port_io(0x600, 1, false, 5 << 2 | 0x20), BH_MON_ACTION_POWEROFF);
	CHECK(mon.powered_off);
	CHECK(strstr(out, "monitor: the guest powered off\n") != NULL);

	setup();
	start_guest();
	CHECK_EQ(port_io(0x64, 1, false, 0xfe), BH_MON_ACTION_RESET);
	struct bh_monitor_regs r = io_regs(0);
	forward(BH_MON_EXIT_SHUTDOWN, &r);
	CHECK_EQ(answer(), BH_MON_ACTION_RESET);
	/* The kernel's reset ends in START again: a fresh load. */
	ram_host[0x500000] = 0x99;
	start_guest();
	CHECK_EQ(ram_host[0x500000], 0);
	CHECK_EQ(mon.boots, 2);
	CHECK(!mon.powered_off);
}

TEST(what_cannot_be_emulated_stops_the_guest_with_a_reason)
{
	setup();
	start_guest();
	struct bh_monitor_regs r = long_mode_regs(TEXT_LA + 0x100);
	put_text(0x100, "\x01\x02", 2);                            /* add %eax,(%rdx) */
	CHECK_EQ(mmio(&r, 0xfee00080, true), BH_MON_ACTION_POWEROFF);
	CHECK(strstr(out, "monitor: not a mov, movzx or movsx the monitor emulates at rip "
	                  "0xffffffff81000100, bytes 01 02") != NULL);

	setup();
	start_guest();
	r = long_mode_regs(TEXT_LA + 0x2000);                      /* page not mapped */
	CHECK_EQ(mmio(&r, 0xfee00080, true), BH_MON_ACTION_POWEROFF);
	CHECK(strstr(out, "cannot be read") != NULL);

	setup();
	start_guest();
	r = long_mode_regs(TEXT_LA);
	put_text(0, "\x8b\x02", 2);                                /* a load, exit says write */
	CHECK_EQ(mmio(&r, 0xfee00080, true), BH_MON_ACTION_POWEROFF);
	CHECK(strstr(out, "direction") != NULL);

	setup();
	start_guest();
	r = io_regs(0);
	forward(BH_MON_EXIT_IO, &r);
	page.exit.port = 0x3f8;
	page.exit.size = 1;
	page.exit.string = 1;
	page.exit.next_rip = r.rip + 1;
	CHECK_EQ(answer(), BH_MON_ACTION_POWEROFF);
	forward(BH_MON_EXIT_IO, &r);
	page.exit.size = 1;
	CHECK_EQ(answer(), BH_MON_ACTION_POWEROFF);               /* no next_rip */
	forward(77, &r);
	CHECK_EQ(answer(), BH_MON_ACTION_POWEROFF);

	/* A kernel that cannot be loaded. */
	setup();
	kernel[1] = 'X';
	forward(BH_MON_EXIT_START, &r);
	CHECK_EQ(answer(), BH_MON_ACTION_POWEROFF);
	CHECK(strstr(out, "monitor: cannot load the guest: ") != NULL);
}

TEST(nothing_is_answered_twice_or_without_an_exit)
{
	setup();
	CHECK_EQ(monitor_handle_exit(&mon, 0, 0), BH_MON_ACTION_NONE);   /* reason NONE */
	start_guest();
	page.reply.regs.rip = 0x1234;
	/* The kernel has not taken the answer yet: it stays as it is. */
	CHECK_EQ(monitor_handle_exit(&mon, 0, 0), BH_MON_ACTION_NONE);
	CHECK_EQ(page.reply.action, BH_MON_ACTION_RESUME);
	CHECK_EQ(page.reply.regs.rip, 0x1234);
	CHECK_EQ(mon.exits, 1);
}

TEST(monitor_messages_are_limited)
{
	setup();
	start_guest();
	for (unsigned i = 0; i < MONITOR_LOG_MAX + 10; i++) {
		struct bh_monitor_regs r = io_regs(0);
		forward(BH_MON_EXIT_SHUTDOWN, &r);
		CHECK_EQ(answer(), BH_MON_ACTION_RESET);
	}
	CHECK_EQ(mon.logged, MONITOR_LOG_MAX);
	CHECK_EQ(mon.log_suppressed, 10);
}

TEST(virtio_windows_appear_in_the_tables_and_the_device_window)
{
	static const struct virtio_mmio_device kind = { .device_id = 3, .nqueues = 2,
	                                                .queue_num_max = 64 };
	static struct virtio_mmio dev[BH_MONITOR_VIRTIO_MAX + 1];
	setup();
	for (unsigned i = 0; i < BH_MONITOR_VIRTIO_MAX; i++) {
		CHECK_EQ(virtio_mmio_init(&dev[i], &kind), 0);
		CHECK_EQ(monitor_add_virtio(&mon, &dev[i]), (int)i);
	}
	CHECK_EQ(virtio_mmio_init(&dev[8], &kind), 0);
	CHECK_EQ(monitor_add_virtio(&mon, &dev[8]), -BH_ENOSPC);
	start_guest();
	bool found = false;
	for (uint64_t a = BOOT_ACPI_GPA; a + 8 <= BOOT_LOW_END; a++)
		found |= memcmp(ram_host + a, "LNRO0005", 8) == 0;
	CHECK(found);
	struct bh_monitor_regs r = long_mode_regs(TEXT_LA);
	put_text(0, "\x8b\x02", 2);
	CHECK_EQ(mmio(&r, MONITOR_VIRTIO_BASE + 7 * MONITOR_VIRTIO_STRIDE + 8, false),
	         BH_MON_ACTION_RESUME);
	CHECK_EQ(r.rax, 3);                                        /* DeviceID */
}

TEST(bad_info_blocks_are_refused)
{
	setup();
	const char *why;
	struct bh_monitor_info i = page.info;
	i.magic++;
	CHECK_EQ(monitor_check_info(&i, &why), -BH_EINVAL);
	i = page.info;
	i.vcpus = 2;
	CHECK_EQ(monitor_check_info(&i, &why), -BH_EINVAL);
	i = page.info;
	i.guest_memory = BH_LINUX_MEM_MAX + 4096;
	CHECK_EQ(monitor_check_info(&i, &why), -BH_EINVAL);
	i = page.info;
	i.guest_memory = RAM + 1;
	CHECK_EQ(monitor_check_info(&i, &why), -BH_EINVAL);
	i = page.info;
	i.kernel_size = BH_MONITOR_FILES_MAX + 1;                  /* past the window */
	CHECK_EQ(monitor_check_info(&i, &why), -BH_EINVAL);
	i = page.info;
	i.kernel_gpa = 0x1000;
	CHECK_EQ(monitor_check_info(&i, &why), -BH_EINVAL);
	i = page.info;
	i.initramfs_gpa = ~0ull - 10;
	CHECK_EQ(monitor_check_info(&i, &why), -BH_EINVAL);
	i = page.info;
	i.virtio_count = BH_MONITOR_VIRTIO_MAX + 1;
	CHECK_EQ(monitor_check_info(&i, &why), -BH_EINVAL);
	CHECK(strlen(why) > 0);
	i = page.info;
	i.pci_devices = MONITOR_PCI_MAX;
	CHECK_EQ(monitor_check_info(&i, &why), 0);
	i.pci_devices = MONITOR_PCI_MAX + 1;                       /* bus 0 has 31 slots */
	CHECK_EQ(monitor_check_info(&i, &why), -BH_EINVAL);
	CHECK(strstr(why, "PCI") != NULL);
	i = page.info;
	i.version = 1;                                             /* before pci_devices */
	CHECK_EQ(monitor_check_info(&i, &why), -BH_EINVAL);
	free(ram_host);
	ram_host = NULL;
}

/* The kernel's side of a guest granted one function (fake_pci_kernel.h). */
static struct fake_pci_kernel kern;

static void setup_pci(void)
{
	setup_with(1);
	fake_pci_kernel_init(&kern);
	CHECK_EQ(monitor_add_pci(&mon, fake_pci_config, &kern), 0);
}

/* The ACPI tables hold needle somewhere between the RSDP and 1 MiB. */
static bool tables_hold(const char *needle, size_t n)
{
	for (uint64_t a = BOOT_ACPI_GPA; a + n <= BOOT_LOW_END; a++)
		if (memcmp(ram_host + a, needle, n) == 0)
			return true;
	return false;
}

TEST(pci_is_added_only_for_a_guest_granted_functions)
{
	setup();
	CHECK_EQ(monitor_add_pci(&mon, fake_pci_config, &kern), -BH_EINVAL);
	CHECK(mon.bus.pci == NULL && mon.ports.pci == NULL);
	start_guest();
	CHECK(!tables_hold("MCFG", 4));
	CHECK(!tables_hold("PCI0", 4));
	struct hvm_start_info si;
	memcpy(&si, ram_host + 0x1000, sizeof si);
	CHECK_EQ(si.memmap_entries, 3);
	/* The ECAM address is nobody's: all ones. */
	struct bh_monitor_regs r = long_mode_regs(TEXT_LA);
	put_text(0, "\x8b\x02", 2);                                /* mov (%rdx),%eax */
	CHECK_EQ(mmio(&r, BH_LINUX_ECAM_BASE + 0x8000, false), BH_MON_ACTION_RESUME);
	CHECK_EQ(r.rax, 0xffffffff);

	setup_pci();
	CHECK_EQ(monitor_add_pci(&mon, fake_pci_config, &kern), -BH_EINVAL);   /* twice */
}

TEST(a_guest_with_pci_boots_with_mcfg_root_bridge_reserved_ecam_and_no_pci_off)
{
	setup_pci();
	start_guest();
	struct hvm_start_info si;
	memcpy(&si, ram_host + 0x1000, sizeof si);
	CHECK_STR_EQ((char *)ram_host + si.cmdline_paddr,
	             "console=ttyS0 reboot=t panic=-1 tsc_early_khz=2600000 "
	             "8250.nr_uarts=1 console=hvc0 quiet");
	CHECK_EQ(si.memmap_entries, 4);
	struct hvm_memmap_table_entry ecam;
	memcpy(&ecam, ram_host + si.memmap_paddr + 3 * sizeof ecam, sizeof ecam);
	CHECK_EQ(ecam.addr, BH_LINUX_ECAM_BASE);
	CHECK_EQ(ecam.size, BH_LINUX_ECAM_SIZE);
	CHECK_EQ(ecam.type, XEN_HVM_MEMMAP_TYPE_RESERVED);
	CHECK(tables_hold("MCFG", 4));
	CHECK(tables_hold("PCI0", 4));
	/* The bridge's window is the device window, 0xe0000000-0xfdffffff. */
	CHECK(tables_hold("\x00\x00\x00\xe0\xff\xff\xff\xfd", 8));
	CHECK(tables_hold("\x86\x09\x00\x01\x00\x00\x00\xfe\x00\x00\x10\x00", 12));
}

TEST(ecam_accesses_are_decoded_and_forwarded_to_the_kernel)
{
	setup_pci();
	start_guest();
	struct bh_monitor_regs r = long_mode_regs(TEXT_LA);
	put_text(0, "\x8b\x02", 2);                                /* mov (%rdx),%eax */
	r.rax = 0xdeadbeefdeadbeefull;
	CHECK_EQ(mmio(&r, BH_LINUX_ECAM_BASE + (0x08 << 12), false), BH_MON_ACTION_RESUME);
	CHECK_EQ(r.rax, FAKE_PCI_ID);
	CHECK_EQ(kern.last.devfn, 0x08);
	CHECK_EQ(kern.last.reg, 0);
	CHECK_EQ(kern.last.size, 4);
	CHECK(!kern.last.write);

	put_text(0x10, "\x0f\xb7\x02", 3);                         /* movzwl (%rdx),%eax */
	r.rip = TEXT_LA + 0x10;
	CHECK_EQ(mmio(&r, BH_LINUX_ECAM_BASE + (0x08 << 12) + 2, false), BH_MON_ACTION_RESUME);
	CHECK_EQ(r.rax, FAKE_PCI_ID >> 16);
	CHECK_EQ(kern.last.reg, 2);
	CHECK_EQ(kern.last.size, 2);

	/* BAR sizing: all ones written, the size mask read back. */
	put_text(0x20, "\x89\x02", 2);                              /* mov %eax,(%rdx) */
	r.rip = TEXT_LA + 0x20;
	r.rax = 0xffffffff;
	CHECK_EQ(mmio(&r, BH_LINUX_ECAM_BASE + (0x08 << 12) + 0x10, true), BH_MON_ACTION_RESUME);
	CHECK(kern.last.write);
	CHECK_EQ(kern.last.value, 0xffffffff);
	CHECK_EQ(kern.last.reg, 0x10);
	r.rip = TEXT_LA;
	CHECK_EQ(mmio(&r, BH_LINUX_ECAM_BASE + (0x08 << 12) + 0x10, false), BH_MON_ACTION_RESUME);
	CHECK_EQ(r.rax, ~(FAKE_PCI_BAR0_SIZE - 1));

	/* Device 2 is not granted: the kernel's all ones. */
	r.rip = TEXT_LA;
	CHECK_EQ(mmio(&r, BH_LINUX_ECAM_BASE + (0x10 << 12), false), BH_MON_ACTION_RESUME);
	CHECK_EQ(r.rax, 0xffffffff);
	CHECK_EQ(kern.last.devfn, 0x10);
	CHECK_EQ(kern.calls, 5);
}

TEST(configuration_mechanism_1_reaches_the_kernel_and_resets_with_the_guest)
{
	setup_pci();
	start_guest();
	CHECK_EQ(port_io(0xcf8, 4, false, 0x80000000), BH_MON_ACTION_RESUME);
	CHECK_EQ(port_io(0xcf8, 4, true, 0), BH_MON_ACTION_RESUME);
	CHECK_EQ(page.reply.regs.rax, 0x80000000);
	CHECK_EQ(port_io(0xcf8, 4, false, 0x80000800), BH_MON_ACTION_RESUME);
	CHECK_EQ(port_io(0xcfc, 4, true, 0x1122334455667788ull), BH_MON_ACTION_RESUME);
	CHECK_EQ(page.reply.regs.rax, FAKE_PCI_ID);                 /* a 32-bit IN zero-extends */
	CHECK_EQ(port_io(0xcfe, 2, true, 0), BH_MON_ACTION_RESUME);
	CHECK_EQ(page.reply.regs.rax, FAKE_PCI_ID >> 16);
	CHECK_EQ(kern.last.reg, 2);
	CHECK_EQ(kern.calls, 2);
	/* A reset puts CONFIG_ADDRESS back to 0. */
	CHECK_EQ(port_io(0x64, 1, false, 0xfe), BH_MON_ACTION_RESET);
	start_guest();
	CHECK_EQ(port_io(0xcf8, 4, true, 0), BH_MON_ACTION_RESUME);
	CHECK_EQ(page.reply.regs.rax, 0);
	CHECK_EQ(port_io(0xcfc, 4, true, 0), BH_MON_ACTION_RESUME);
	CHECK_EQ(page.reply.regs.rax, 0xffffffff);                 /* not enabled */
	CHECK_EQ(kern.calls, 2);
}

TEST(virtio_windows_and_the_ecam_do_not_meet)
{
	static const struct virtio_mmio_device kind = { .device_id = 1, .nqueues = 2,
	                                                .queue_num_max = 64 };
	static struct virtio_mmio dev;
	setup_pci();
	CHECK_EQ(virtio_mmio_init(&dev, &kind), 0);
	CHECK_EQ(monitor_add_virtio(&mon, &dev), 0);
	CHECK(MONITOR_VIRTIO_BASE >= BH_LINUX_ECAM_BASE + BH_LINUX_ECAM_SIZE);
	start_guest();
	CHECK(tables_hold("LNRO0005", 8));
	CHECK(tables_hold("MCFG", 4));
	struct bh_monitor_regs r = long_mode_regs(TEXT_LA);
	put_text(0, "\x8b\x02", 2);
	CHECK_EQ(mmio(&r, MONITOR_VIRTIO_BASE, false), BH_MON_ACTION_RESUME);
	CHECK_EQ(r.rax, VIRTIO_MMIO_MAGIC);
	CHECK_EQ(kern.calls, 0);
}

TEST(a_kernel_refusing_configuration_accesses_is_said_once)
{
	setup_pci();
	kern.refuse = -BH_ENOSYS;
	start_guest();
	struct bh_monitor_regs r = long_mode_regs(TEXT_LA);
	put_text(0, "\x8b\x02", 2);
	for (unsigned i = 0; i < 3; i++) {
		r.rip = TEXT_LA;
		CHECK_EQ(mmio(&r, BH_LINUX_ECAM_BASE + (0x08 << 12), false), BH_MON_ACTION_RESUME);
		CHECK_EQ(r.rax, 0xffffffff);
	}
	const char *line = "monitor: the kernel refused a PCI configuration access: error -38\n";
	const char *first = strstr(out, line);
	CHECK(first != NULL);
	CHECK(strstr(first + 1, line) == NULL);
	CHECK_EQ(mon.pci.failed, 3);
}
