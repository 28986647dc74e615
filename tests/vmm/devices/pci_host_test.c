/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The PCI host bridge against a fake kernel that plays
 * BH_HC_DEVICE_CONFIG (fake_pci_kernel.h): one function at devfn 0x08,
 * all ones for every other devfn, each call checked against the
 * hypercall's contract, so a malformed forward fails here rather than in
 * the kernel.
 */
#include "check.h"

#include "bulkhead/errno.h"
#include "devices/pci_host.h"
#include "fake_pci_kernel.h"

#define DEVFN FAKE_PCI_DEVFN

static struct fake_pci_kernel k;
static struct pci_host h;

static void setup(void)
{
	fake_pci_kernel_init(&k);
	pci_host_init(&h, fake_pci_config, &k);
}

static uint32_t ecam_rd(uint32_t offset, unsigned size)
{
	uint32_t v = 0x5a5a5a5a;
	CHECK_EQ(pci_host_ecam_read(&h, offset, size, &v), 0);
	return v;
}

static uint32_t ecam(uint32_t devfn, uint32_t reg)
{
	return devfn << 12 | reg;
}

TEST(ecam_reads_reach_the_function_the_offset_names)
{
	setup();
	CHECK_EQ(ecam_rd(ecam(DEVFN, 0), 4), FAKE_PCI_ID);
	CHECK_EQ(k.calls, 1);
	CHECK_EQ(k.last.devfn, DEVFN);
	CHECK_EQ(k.last.reg, 0);
	CHECK_EQ(k.last.size, 4);
	CHECK(!k.last.write);
	CHECK_EQ(ecam_rd(ecam(DEVFN, 2), 2), 0x10d3);
	CHECK_EQ(k.last.reg, 2);
	CHECK_EQ(k.last.size, 2);
	CHECK_EQ(ecam_rd(ecam(DEVFN, 0x0b), 1), 0x02);
	CHECK_EQ(k.last.reg, 0x0b);
	CHECK_EQ(ecam_rd(ecam(DEVFN, 0xffc), 4), 0);       /* the last dword */
	CHECK_EQ(k.last.reg, 0xffc);
	CHECK_EQ(h.forwarded, 4);
	CHECK_EQ(h.refused + h.failed, 0);
}

TEST(ecam_reads_of_absent_functions_are_all_ones_of_their_size)
{
	setup();
	CHECK_EQ(ecam_rd(ecam(0x00, 0), 4), 0xffffffff);   /* the bridge itself: none */
	CHECK_EQ(k.last.devfn, 0);
	CHECK_EQ(ecam_rd(ecam(0x10, 0), 2), 0xffff);
	CHECK_EQ(k.last.devfn, 0x10);
	CHECK_EQ(ecam_rd(ecam(0x09, 0x0e), 1), 0xff);      /* function 1 of device 1 */
	CHECK_EQ(k.last.devfn, 0x09);
	CHECK_EQ(ecam_rd(ecam(0xff, 0x100), 4), 0xffffffff);   /* the last devfn */
	CHECK_EQ(k.last.devfn, 0xff);
	CHECK_EQ(k.last.reg, 0x100);
	CHECK_EQ(h.forwarded, 4);   /* absent is the kernel's answer, not ours */
}

TEST(ecam_writes_are_forwarded_with_their_value)
{
	setup();
	CHECK_EQ(pci_host_ecam_write(&h, ecam(DEVFN, 0x10), 4, 0xffffffff), 0);
	CHECK(k.last.write);
	CHECK_EQ(k.last.value, 0xffffffff);
	CHECK_EQ(k.last.reg, 0x10);
	CHECK_EQ(ecam_rd(ecam(DEVFN, 0x10), 4), ~(FAKE_PCI_BAR0_SIZE - 1));   /* BAR sizing */
	CHECK_EQ(pci_host_ecam_write(&h, ecam(DEVFN, 0x04), 2, 0x0406), 0);
	CHECK_EQ(k.last.size, 2);
	CHECK_EQ(k.last.value, 0x0406);
	CHECK_EQ(ecam_rd(ecam(DEVFN, 0x04), 4), 0x0406);
	CHECK_EQ(pci_host_ecam_write(&h, ecam(DEVFN, 0x3c), 1, 0x0b), 0);
	CHECK_EQ(k.last.size, 1);
	CHECK_EQ(ecam_rd(ecam(DEVFN, 0x3c), 1), 0x0b);
	/* A write to an absent function is dropped by the kernel, not here. */
	CHECK_EQ(pci_host_ecam_write(&h, ecam(0x18, 0x04), 2, 7), 0);
	CHECK_EQ(k.last.devfn, 0x18);
	CHECK(k.last.write);
}

TEST(ecam_accesses_of_bad_size_or_alignment_are_not_forwarded)
{
	static const struct { uint32_t offset; unsigned size; uint32_t ones; } bad[] = {
		{ 0x8001, 2, 0xffff }, { 0x8003, 2, 0xffff }, { 0x8002, 4, 0xffffffff },
		{ 0x8001, 4, 0xffffffff }, { 0x8ffe, 4, 0xffffffff }, { 0x8000, 8, 0xffffffff },
		{ 0x8000, 3, 0xffffffff }, { 0x8000, 0, 0xffffffff },
		{ PCI_ECAM_BUS_SIZE, 4, 0xffffffff }, { 0xffffffffu, 1, 0xff },
	};
	setup();
	for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		uint32_t v = 0;
		CHECK_EQ(pci_host_ecam_read(&h, bad[i].offset, bad[i].size, &v), -BH_EINVAL);
		CHECK_EQ(v, bad[i].ones);
		CHECK_EQ(pci_host_ecam_write(&h, bad[i].offset, bad[i].size, 0), -BH_EINVAL);
	}
	CHECK_EQ(k.calls, 0);
	CHECK_EQ(h.refused, 2 * (sizeof bad / sizeof bad[0]));
	CHECK_EQ(h.forwarded, 0);
}

TEST(a_refused_call_reads_all_ones_and_is_counted)
{
	setup();
	k.refuse = -BH_EPERM;
	uint32_t v = 0;
	CHECK_EQ(pci_host_ecam_read(&h, ecam(DEVFN, 0), 2, &v), -BH_EIO);
	CHECK_EQ(v, 0xffff);
	CHECK_EQ(pci_host_ecam_write(&h, ecam(DEVFN, 4), 4, 1), -BH_EIO);
	CHECK_EQ(h.failed, 2);
	CHECK_EQ(h.last_error, -BH_EPERM);
	CHECK_EQ(pci_host_port_in(&h, PCI_CONFIG_DATA, 4), 0xffffffff);   /* not enabled */
	pci_host_port_out(&h, PCI_CONFIG_ADDRESS, 4, PCI_CONFIG_ENABLE | DEVFN << 8);
	CHECK_EQ(pci_host_port_in(&h, PCI_CONFIG_DATA, 4), 0xffffffff);
	CHECK_EQ(h.failed, 3);
	k.refuse = 0;
	CHECK_EQ(pci_host_port_in(&h, PCI_CONFIG_DATA, 4), FAKE_PCI_ID);
}

TEST(config_address_reads_back_as_linux_probes_it)
{
	setup();
	CHECK(pci_host_claims_port(0xcf8) && pci_host_claims_port(0xcff));
	CHECK(!pci_host_claims_port(0xcf7) && !pci_host_claims_port(0xd00));
	/* Linux's check for mechanism #1: a byte to 0xcfb, then the dword. */
	pci_host_port_out(&h, 0xcfb, 1, 0x01);
	uint32_t saved = pci_host_port_in(&h, PCI_CONFIG_ADDRESS, 4);
	CHECK_EQ(saved, 0);
	pci_host_port_out(&h, PCI_CONFIG_ADDRESS, 4, 0x80000000);
	CHECK_EQ(pci_host_port_in(&h, PCI_CONFIG_ADDRESS, 4), 0x80000000);
	pci_host_port_out(&h, PCI_CONFIG_ADDRESS, 4, saved);
	CHECK_EQ(pci_host_port_in(&h, PCI_CONFIG_ADDRESS, 4), 0);
	/* Reserved bits 30:24 and bits 1:0 are not kept. */
	pci_host_port_out(&h, PCI_CONFIG_ADDRESS, 4, 0xffffffff);
	CHECK_EQ(pci_host_port_in(&h, PCI_CONFIG_ADDRESS, 4), 0x80fffffc);
	/* Mechanism #2's check reads bytes of 0xcf8 and 0xcfa as 0: they are
	 * all ones here, so Linux does not take this for mechanism #2. */
	pci_host_port_out(&h, 0xcf8, 1, 0);
	pci_host_port_out(&h, 0xcfa, 1, 0);
	CHECK_EQ(pci_host_port_in(&h, 0xcf8, 1), 0xff);
	CHECK_EQ(pci_host_port_in(&h, 0xcfa, 1), 0xff);
	CHECK_EQ(pci_host_port_in(&h, 0xcf8, 2), 0xffff);
	CHECK_EQ(pci_host_port_in(&h, PCI_CONFIG_ADDRESS, 4), 0x80fffffc);
	CHECK_EQ(k.calls, 0);
}

/* Mechanism #1 as Linux's pci_conf1_read/write use it. */
static void select_reg(uint32_t bus, uint32_t devfn, uint32_t reg)
{
	pci_host_port_out(&h, PCI_CONFIG_ADDRESS, 4,
	                  PCI_CONFIG_ENABLE | bus << 16 | devfn << 8 | (reg & 0xfc));
}

TEST(config_data_reaches_the_selected_register)
{
	setup();
	select_reg(0, DEVFN, 0x00);
	CHECK_EQ(pci_host_port_in(&h, 0xcfc, 4), FAKE_PCI_ID);
	CHECK_EQ(k.last.devfn, DEVFN);
	CHECK_EQ(k.last.reg, 0);
	CHECK_EQ(pci_host_port_in(&h, 0xcfe, 2), 0x10d3);
	CHECK_EQ(k.last.reg, 2);
	CHECK_EQ(k.last.size, 2);
	select_reg(0, DEVFN, 0x08);
	CHECK_EQ(pci_host_port_in(&h, 0xcfc + 3, 1), 0x02);   /* class code's base class */
	CHECK_EQ(k.last.reg, 0x0b);
	CHECK_EQ(k.last.size, 1);
	select_reg(0, DEVFN, 0x3c);
	pci_host_port_out(&h, 0xcfc, 1, 0x0a);
	CHECK(k.last.write);
	CHECK_EQ(k.last.reg, 0x3c);
	CHECK_EQ(k.space[0x3c], 0x0a);
	pci_host_port_out(&h, 0xcfd, 1, 0x01);
	CHECK_EQ(k.last.reg, 0x3d);
	select_reg(0, DEVFN, 0x10);
	pci_host_port_out(&h, 0xcfc, 4, 0xffffffff);
	CHECK_EQ(k.last.value, 0xffffffff);
	CHECK_EQ(pci_host_port_in(&h, 0xcfc, 4), ~(FAKE_PCI_BAR0_SIZE - 1));
	pci_host_port_out(&h, 0xcfc, 4, FAKE_PCI_BAR0);
	CHECK_EQ(pci_host_port_in(&h, 0xcfc, 4), FAKE_PCI_BAR0);
	/* The kernel's all ones for a function that is not there. */
	select_reg(0, 0x20, 0x00);
	CHECK_EQ(pci_host_port_in(&h, 0xcfc, 4), 0xffffffff);
	CHECK_EQ(k.last.devfn, 0x20);
	CHECK_EQ(h.refused, 0);
}

TEST(config_data_is_not_forwarded_when_disabled_misaligned_or_off_bus_0)
{
	setup();
	/* Not enabled. */
	pci_host_port_out(&h, PCI_CONFIG_ADDRESS, 4, DEVFN << 8);
	CHECK_EQ(pci_host_port_in(&h, 0xcfc, 4), 0xffffffff);
	pci_host_port_out(&h, 0xcfc, 4, 0);
	/* Bus 1: the kernel's call knows bus 0 only. */
	select_reg(1, DEVFN, 0);
	CHECK_EQ(pci_host_port_in(&h, 0xcfc, 4), 0xffffffff);
	pci_host_port_out(&h, 0xcfc, 2, 0);
	/* Misaligned within the dword, or past it. */
	select_reg(0, DEVFN, 0);
	CHECK_EQ(pci_host_port_in(&h, 0xcfd, 2), 0xffff);
	CHECK_EQ(pci_host_port_in(&h, 0xcfe, 4), 0xffffffff);
	CHECK_EQ(pci_host_port_in(&h, 0xcfd, 4), 0xffffffff);
	CHECK_EQ(pci_host_port_in(&h, 0xcfc, 3), 0xffffffff);
	pci_host_port_out(&h, 0xcff, 2, 0);
	CHECK_EQ(k.calls, 0);
	CHECK_EQ(h.refused, 9);
}

/* A fake BH_HC_DEVICE_MMIO: a 4-register table at 0xe0040000; every other
 * address is refused like the kernel's -BH_ENOENT. */
static uint32_t table[4];
static unsigned bar_calls;

static int64_t fake_bar(void *ctx, uint64_t gpa, uint32_t value, bool write)
{
	(void)ctx;
	bar_calls++;
	CHECK_EQ(gpa % 4, 0);
	if (gpa < 0xe0040000 || gpa >= 0xe0040000 + sizeof(table))
		return -BH_ENOENT;
	uint32_t *r = &table[(gpa - 0xe0040000) / 4];
	if (write)
		*r = value;
	return write ? 0 : *r;
}

TEST(the_msix_relay_splits_wide_accesses_and_fails_closed)
{
	setup();
	h.bar = fake_bar;
	bar_calls = 0;
	CHECK_EQ(pci_host_bar_write(&h, 0xe0040000, 8, 0x00000001fee00000ull), 0);
	CHECK_EQ(bar_calls, 2);
	CHECK_EQ(table[0], 0xfee00000);
	CHECK_EQ(table[1], 1);
	uint64_t v = 0;
	CHECK_EQ(pci_host_bar_read(&h, 0xe0040000, 8, &v), 0);
	CHECK_EQ(v, 0x00000001fee00000ull);
	CHECK_EQ(pci_host_bar_read(&h, 0xe0040008, 4, &v), 0);
	CHECK_EQ(v, 0);
	/* Refused by the kernel, misaligned, or an odd size: all ones. */
	CHECK_EQ(pci_host_bar_read(&h, 0xe0050000, 4, &v), -BH_EIO);
	CHECK_EQ(v, 0xffffffffull);
	CHECK_EQ(pci_host_bar_read(&h, 0xe0040002, 4, &v), -BH_EINVAL);
	CHECK_EQ(pci_host_bar_read(&h, 0xe0040000, 2, &v), -BH_EINVAL);
	CHECK_EQ(v, 0xffffull);
	h.bar = NULL;
	CHECK_EQ(pci_host_bar_write(&h, 0xe0040000, 4, 7), -BH_EINVAL);
	CHECK_EQ(table[0], 0xfee00000);
}
