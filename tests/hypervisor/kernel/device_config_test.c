/* SPDX-License-Identifier: GPL-2.0-only */
/* A driver VM's view of its PCI function (hypervisor/kernel/device_config.c),
 * against a simulated function laid out like QEMU's e1000e: capabilities
 * PM (0xc8) -> MSI (0xd0) -> PCIe (0xe0) -> MSI-X (0xa0). */
#include <string.h>

#include "check.h"
#include "kernel/device_config.h"

struct fake {
	uint8_t cfg[256];
	unsigned writes;
	unsigned msi_calls;
	bool msi_enabled;
};

static uint32_t fread_(void *ctx, unsigned off, unsigned size)
{
	struct fake *f = ctx;
	uint32_t v = 0;
	memcpy(&v, &f->cfg[off], size);
	return v;
}

static void fwrite_(void *ctx, unsigned off, unsigned size, uint32_t value)
{
	struct fake *f = ctx;
	memcpy(&f->cfg[off], &value, size);
	f->writes++;
}

static unsigned msix_calls, msix_last;

static void fmsix(void *ctx, unsigned entry)
{
	(void)ctx;
	msix_calls++;
	msix_last = entry;
}

static void fmsi(void *ctx, bool enabled)
{
	struct fake *f = ctx;
	f->msi_calls++;
	f->msi_enabled = enabled;
}

static const struct dcfg_ops ops = { .read = fread_, .write = fwrite_, .msi_changed = fmsi,
                                 .msix_changed = fmsix };

static void put16(struct fake *f, unsigned off, uint16_t v) { memcpy(&f->cfg[off], &v, 2); }
static void put32(struct fake *f, unsigned off, uint32_t v) { memcpy(&f->cfg[off], &v, 4); }

static void setup(struct fake *f, struct dcfg *d)
{
	memset(f, 0, sizeof(*f));
	put16(f, 0x00, 0x8086);
	put16(f, 0x02, 0x10d3);
	put16(f, PCI_STATUS, PCI_STATUS_CAP_LIST);
	put32(f, 0x10, 0xfebc0000);   /* BAR0 */
	put32(f, 0x18, 0x0000c001);   /* BAR2: I/O */
	f->cfg[PCI_CAP_PTR] = 0xc8;
	f->cfg[0x3d] = 1;            /* INTA */
	f->cfg[0xc8] = PCI_CAP_PM;   f->cfg[0xc9] = 0xd0;
	f->cfg[0xd0] = PCI_CAP_MSI;  f->cfg[0xd1] = 0xe0;
	put16(f, 0xd2, PCI_MSI_64BIT | 0x2);   /* 64-bit, capable of 2 messages */
	f->cfg[0xe0] = PCI_CAP_EXP;  f->cfg[0xe1] = 0xa0;
	f->cfg[0xa0] = PCI_CAP_MSIX; f->cfg[0xa1] = 0x00;
	put16(f, 0xa2, 4);            /* 5 entries */
	put32(f, 0xa4, 0x3);          /* table: BAR3 offset 0 */
	put32(f, 0xa8, 0x2003);       /* pending bits: BAR3 offset 0x2000 */
	struct dcfg_bar bars[DCFG_BARS] = {
		[0] = { .gpa = 0xe0000000, .size = 0x20000, .flags = 0 },
	};
	dcfg_init(d, &ops, f, bars);
	f->writes = 0;
}

TEST(the_capability_list_shows_pm_msi_pcie_and_msix_only)
{
	struct fake f; struct dcfg d;
	setup(&f, &d);
	f.cfg[0xa1] = 0x40;           /* MSI-X -> a vendor capability */
	f.cfg[0x40] = 0x09;
	dcfg_init(&d, &ops, &f, d.bar);
	CHECK_EQ(dcfg_read(&d, PCI_CAP_PTR, 1), 0xc8);
	CHECK_EQ(dcfg_read(&d, 0xc9, 1), 0xd0);
	CHECK_EQ(dcfg_read(&d, 0xd1, 1), 0xe0);
	CHECK_EQ(dcfg_read(&d, 0xe1, 1), 0xa0);
	CHECK_EQ(dcfg_read(&d, 0xa1, 1), 0);          /* the vendor capability unlinked */
	CHECK_EQ(d.msix, 0xa0);
	CHECK_EQ(dcfg_read(&d, 0x100, 4), 0);         /* no extended capabilities */
	CHECK(dcfg_read(&d, PCI_STATUS, 2) & PCI_STATUS_CAP_LIST);
}

TEST(a_capability_loop_is_cut)
{
	struct fake f; struct dcfg d;
	setup(&f, &d);
	f.cfg[0xa1] = 0xc8;   /* MSI-X points back to PM */
	dcfg_init(&d, &ops, &f, d.bar);
	CHECK_EQ(dcfg_read(&d, PCI_CAP_PTR, 1), 0xc8);
	CHECK_EQ(dcfg_read(&d, 0xa1, 1), 0);
}

TEST(bars_read_as_the_guest_window_and_size_like_hardware)
{
	struct fake f; struct dcfg d;
	setup(&f, &d);
	CHECK_EQ(dcfg_read(&d, 0x10, 4), 0xe0000000);
	dcfg_write(&d, 0x10, 4, 0xffffffff);
	CHECK_EQ(dcfg_read(&d, 0x10, 4), 0xfffe0000);   /* 128 KiB */
	dcfg_write(&d, 0x10, 4, 0xe0000000);
	CHECK_EQ(dcfg_read(&d, 0x10, 4), 0xe0000000);
	CHECK_EQ(f.writes, 0);                            /* the device never saw it */
	CHECK_EQ(fread_(&f, 0x10, 4), 0xfebc0000);
	CHECK_EQ(dcfg_read(&d, 0x18, 4), 0);              /* I/O BAR not passed */
	CHECK_EQ(dcfg_read(&d, PCI_ROM_BAR, 4), 0);
	CHECK_EQ(dcfg_read(&d, 0x3d, 1), 0);              /* no INTx pin */
}

TEST(the_command_register_passes_memory_and_master_but_never_io)
{
	struct fake f; struct dcfg d;
	setup(&f, &d);
	dcfg_write(&d, PCI_COMMAND, 2, 0xffff);
	CHECK_EQ(fread_(&f, PCI_COMMAND, 2), DCFG_COMMAND_ALLOWED);
	CHECK_EQ(DCFG_COMMAND_ALLOWED, PCI_CMD_MEMORY | PCI_CMD_MASTER | PCI_CMD_INTX_OFF);
	CHECK(!(fread_(&f, PCI_COMMAND, 2) & PCI_CMD_IO));
}

TEST(writes_outside_the_allowed_registers_are_dropped)
{
	struct fake f; struct dcfg d;
	setup(&f, &d);
	dcfg_write(&d, 0x00, 4, 0x12345678);
	dcfg_write(&d, 0xa2, 2, PCI_MSIX_ENABLE);   /* MSI-X enable: kept virtual */
	dcfg_write(&d, 0xa4, 4, 0);                 /* table location: read-only */
	dcfg_write(&d, 0x40, 4, 0xdeadbeef);
	dcfg_write(&d, 0x200, 4, 1);
	CHECK_EQ(f.writes, 0);
}

TEST(link_and_platform_settings_are_not_the_vms)
{
	struct fake f; struct dcfg d;
	setup(&f, &d);
	dcfg_write(&d, 0xe8, 2, PCI_EXP_DEVCTL_FLR | 0x10);   /* device control */
	dcfg_write(&d, 0xf0, 2, 0x3);                         /* link control: ASPM */
	dcfg_write(&d, 0xcc, 2, 0x3);                         /* PMCSR: D3hot */
	CHECK_EQ(f.writes, 0);
	dcfg_write(&d, PCI_COMMAND, 2, PCI_CMD_SERR | PCI_CMD_PARITY | PCI_CMD_MEMORY);
	CHECK_EQ(fread_(&f, PCI_COMMAND, 2), PCI_CMD_MEMORY);
}

TEST(a_capability_running_past_the_standard_space_is_not_shown)
{
	struct fake f; struct dcfg d;
	setup(&f, &d);
	f.cfg[0xe1] = 0xf8;            /* PCIe -> an MSI at 0xf8, 64-bit: 16 bytes */
	f.cfg[0xa0] = 0;
	f.cfg[0xf8] = PCI_CAP_MSI; f.cfg[0xf9] = 0;
	put16(&f, 0xfa, PCI_MSI_64BIT);
	f.cfg[0xd0] = 0x09;            /* the first MSI becomes a vendor capability */
	dcfg_init(&d, &ops, &f, d.bar);
	CHECK_EQ(d.msi, 0);
	CHECK_EQ(dcfg_read(&d, 0xe1, 1), 0);
}

TEST(msi_is_virtual_and_tells_the_kernel_when_it_changes)
{
	struct fake f; struct dcfg d;
	setup(&f, &d);
	CHECK_EQ(dcfg_msi_vector(&d), -1);
	CHECK_EQ(dcfg_read(&d, 0xd2, 2) & 0x7e, 0);      /* one message only */
	dcfg_write(&d, 0xd4, 4, 0xfee00000);
	dcfg_write(&d, 0xd8, 4, 0);
	dcfg_write(&d, 0xdc, 2, 0x41);
	CHECK_EQ(f.msi_calls, 0);
	CHECK_EQ(f.writes, 0);
	dcfg_write(&d, 0xd2, 2, PCI_MSI_ENABLE);
	CHECK_EQ(f.msi_calls, 1);
	CHECK(f.msi_enabled);
	CHECK_EQ(dcfg_msi_vector(&d), 0x41);
	CHECK_EQ(dcfg_read(&d, 0xdc, 2), 0x41);
	CHECK_EQ(dcfg_read(&d, 0xd4, 4), 0xfee00000);
	CHECK(dcfg_read(&d, 0xd2, 2) & PCI_MSI_ENABLE);
	dcfg_write(&d, 0xdc, 2, 0x42);                     /* new vector while enabled */
	CHECK_EQ(f.msi_calls, 2);
	CHECK_EQ(dcfg_msi_vector(&d), 0x42);
	dcfg_write(&d, 0xd2, 2, 0);
	CHECK_EQ(f.msi_calls, 3);
	CHECK(!f.msi_enabled);
	CHECK_EQ(dcfg_msi_vector(&d), -1);
}

TEST(the_kernel_programs_the_device_msi_with_its_own_message)
{
	struct fake f; struct dcfg d;
	setup(&f, &d);
	dcfg_program_msi(&d, 0xfee00018, 0, true);
	CHECK_EQ(fread_(&f, 0xd4, 4), 0xfee00018);
	CHECK_EQ(fread_(&f, 0xd8, 4), 0);
	CHECK_EQ(fread_(&f, 0xdc, 2), 0);
	CHECK(fread_(&f, 0xd2, 2) & PCI_MSI_ENABLE);
	CHECK_EQ(fread_(&f, 0xd2, 2) & 0x70, 0);
	dcfg_program_msi(&d, 0, 0, false);
	CHECK(!(fread_(&f, 0xd2, 2) & PCI_MSI_ENABLE));
}

TEST(byte_writes_to_status_clear_only_the_bits_written)
{
	struct fake f; struct dcfg d;
	setup(&f, &d);
	dcfg_write(&d, PCI_STATUS + 1, 1, 0x80);
	CHECK_EQ(f.writes, 1);
	CHECK_EQ(fread_(&f, PCI_STATUS, 2), 0x8000);   /* the fake stores what is written */
}

TEST(the_msix_table_is_kept_by_the_kernel_and_its_bar_relayed)
{
	struct fake f; struct dcfg d;
	setup(&f, &d);
	CHECK(dcfg_bar_relayed(&d, 3));
	CHECK(!dcfg_bar_relayed(&d, 0));
	CHECK_EQ(d.msix_entries, 5);
	CHECK_EQ(dcfg_read(&d, 0xa2, 2) & PCI_MSIX_SIZE, 4);
	/* Every entry starts masked, as after reset. */
	CHECK_EQ(dcfg_msix_access(&d, 3, 12, 4, 0, false), PCI_MSIX_ENTRY_MASKED);
	msix_calls = 0;
	dcfg_msix_access(&d, 3, 16, 8, 0x00000000fee00000ull, true);   /* entry 1 address */
	dcfg_msix_access(&d, 3, 24, 4, 0x45, true);                     /* entry 1 data */
	dcfg_msix_access(&d, 3, 28, 4, 0, true);                        /* unmask */
	CHECK_EQ(msix_calls, 3);
	CHECK_EQ(msix_last, 1);
	CHECK_EQ(dcfg_msix_vector(&d, 1), -1);        /* MSI-X not enabled yet */
	dcfg_write(&d, 0xa2, 2, PCI_MSIX_ENABLE);
	CHECK_EQ(msix_last, DCFG_MSIX_ALL);
	CHECK_EQ(dcfg_msix_vector(&d, 1), 0x45);
	CHECK(dcfg_read(&d, 0xa2, 2) & PCI_MSIX_ENABLE);
	CHECK_EQ(dcfg_msix_vector(&d, 0), -1);        /* still masked */
	dcfg_write(&d, 0xa2, 2, PCI_MSIX_ENABLE | PCI_MSIX_MASKALL);
	CHECK_EQ(dcfg_msix_vector(&d, 1), -1);
	CHECK_EQ(dcfg_msix_access(&d, 3, 16, 8, 0, false), 0xfee00000ull);
	CHECK_EQ(dcfg_msix_access(&d, 3, 0x2000, 8, 0, false), 0);     /* pending bits */
	CHECK_EQ(dcfg_msix_access(&d, 3, 5 * 16, 4, 0, false), 0);     /* past the table */
	CHECK_EQ(dcfg_msix_access(&d, 3, 18, 4, 0, false), 0);         /* misaligned */
	CHECK_EQ(f.writes, 0);                                          /* nothing reached the device */
}
