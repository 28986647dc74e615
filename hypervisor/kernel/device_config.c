/* SPDX-License-Identifier: GPL-2.0-only */
/* A driver VM's view of its PCI function's configuration space (contract
 * in device_config.h). */
#include "kernel/device_config.h"

#include "lib/string.h"

#define MSI_MME_MMC   0x007eu   /* multiple message capable/enable: one message only */

static uint32_t dev_read(const struct dcfg *d, unsigned off, unsigned size)
{
	return d->ops->read(d->ctx, off, size);
}

static void dev_write(const struct dcfg *d, unsigned off, unsigned size, uint32_t v)
{
	d->ops->write(d->ctx, off, size, v);
}

static bool shown(uint8_t id)
{
	return id == PCI_CAP_PM || id == PCI_CAP_MSI || id == PCI_CAP_EXP || id == PCI_CAP_MSIX;
}

/* Bytes of the capability's registers the kernel reads or writes. */
static unsigned cap_length(const struct dcfg *d, uint8_t id, uint8_t at)
{
	switch (id) {
	case PCI_CAP_MSI: {
		uint16_t control = (uint16_t)dev_read(d, at + 2u, 2);
		return (control & PCI_MSI_64BIT ? 0x10 : 0x0c) + (control & PCI_MSI_MASKABLE ? 8 : 0);
	}
	case PCI_CAP_MSIX: return 0x0c;
	default:           return 0x04;   /* only the header is rewritten */
	}
}

static void msix_init(struct dcfg *d)
{
	uint32_t table = dev_read(d, d->msix + 4u, 4), pba = dev_read(d, d->msix + 8u, 4);
	uint32_t n = (dev_read(d, d->msix + 2u, 2) & PCI_MSIX_SIZE) + 1;
	d->msix_entries = n < DCFG_MSIX_MAX ? n : DCFG_MSIX_MAX;
	d->msix_table_bar = table & 7;
	d->msix_table_off = table & ~7u;
	d->msix_pba_bar = pba & 7;
	d->msix_pba_off = pba & ~7u;
	for (unsigned i = 0; i < DCFG_MSIX_MAX; i++)
		d->msix_table[i].control = PCI_MSIX_ENTRY_MASKED;   /* the reset state */
}

void dcfg_init(struct dcfg *d, const struct dcfg_ops *ops, void *ctx,
               const struct dcfg_bar bar[DCFG_BARS])
{
	memset(d, 0, sizeof(*d));
	d->ops = ops;
	d->ctx = ctx;
	for (unsigned i = 0; i < DCFG_BARS; i++) {
		d->bar[i] = bar[i];
		d->bar_value[i] = bar[i].upper ? (uint32_t)(bar[i - 1].gpa >> 32) : (uint32_t)bar[i].gpa;
	}
	d->interrupt_line = 0xff;

	if (!(dev_read(d, PCI_STATUS, 2) & PCI_STATUS_CAP_LIST))
		return;
	/* Walk the device's list; link the shown capabilities to each other. */
	uint8_t prev = 0;
	uint64_t seen = 0;   /* dwords 0x40..0xff visited: a list that loops is cut */
	unsigned at = dev_read(d, PCI_CAP_PTR, 1) & 0xfc;
	while (at >= 0x40 && at < PCI_STD_SIZE && !(seen >> ((at - 0x40) / 4) & 1)) {
		seen |= 1ull << ((at - 0x40) / 4);
		uint8_t id = (uint8_t)dev_read(d, at, 1);
		if (shown(id) && at + cap_length(d, id, (uint8_t)at) <= PCI_STD_SIZE) {
			if (prev)
				d->next[prev] = (uint8_t)at;
			else
				d->first_cap = (uint8_t)at;
			prev = (uint8_t)at;
			if (id == PCI_CAP_MSI && !d->msi)
				d->msi = (uint8_t)at;
			else if (id == PCI_CAP_EXP && !d->exp)
				d->exp = (uint8_t)at;
			else if (id == PCI_CAP_PM && !d->pm)
				d->pm = (uint8_t)at;
			else if (id == PCI_CAP_MSIX && !d->msix)
				d->msix = (uint8_t)at;
		}
		at = dev_read(d, at + 1, 1) & 0xfc;
	}
	if (d->msix)
		msix_init(d);
}

static bool msi_64bit(const struct dcfg *d)
{
	return dev_read(d, d->msi + 2, 2) & PCI_MSI_64BIT;
}

static unsigned msi_data_off(const struct dcfg *d)
{
	return d->msi + (msi_64bit(d) ? 0xc : 0x8);
}

static unsigned msi_mask_off(const struct dcfg *d)
{
	return d->msi + (msi_64bit(d) ? 0x10 : 0xc);
}

/* The MSI capability's last dword: where its mask bits are, if it has them. */
static unsigned msi_last(const struct dcfg *d)
{
	bool maskable = dev_read(d, d->msi + 2, 2) & PCI_MSI_MASKABLE;
	return maskable ? msi_mask_off(d) : msi_data_off(d);
}

static uint32_t bar_read(const struct dcfg *d, unsigned i)
{
	const struct dcfg_bar *b = &d->bar[i];
	if (b->upper) {
		uint64_t size = d->bar[i - 1].size;
		return d->bar_value[i] & (uint32_t)(~(size - 1) >> 32);
	}
	if (!b->size)
		return 0;
	return (d->bar_value[i] & (uint32_t)~(b->size - 1) & ~0xfu) | b->flags;
}

/* The dword at off4 (aligned, < 256) as the VM sees it. */
static uint32_t view_dword(const struct dcfg *d, unsigned off4)
{
	if (off4 >= PCI_BAR0 && off4 < PCI_BAR0 + 4 * DCFG_BARS)
		return bar_read(d, (off4 - PCI_BAR0) / 4);
	if (off4 == PCI_ROM_BAR)
		return 0;
	if (d->msi && off4 == d->msi + 4u)
		return d->msi_address;
	if (d->msi && msi_64bit(d) && off4 == d->msi + 8u)
		return d->msi_address_hi;
	if (d->msi && off4 == msi_data_off(d))
		return d->msi_data;

	uint32_t v = dev_read(d, off4, 4);
	if (off4 == PCI_COMMAND) {
		v &= ~((uint32_t)PCI_STATUS_CAP_LIST << 16);
		if (d->first_cap)
			v |= (uint32_t)PCI_STATUS_CAP_LIST << 16;
	} else if (off4 == PCI_CAP_PTR) {
		v = (v & ~0xffu) | d->first_cap;
	} else if (off4 == PCI_INTERRUPT_LINE) {
		v = (v & 0xffff0000u) | d->interrupt_line;   /* pin 0: no INTx */
	}
	if (off4 >= 0x40 && (d->first_cap == off4 || d->next[off4] ||
	                     off4 == d->msi || off4 == d->exp || off4 == d->pm ||
	                     off4 == d->msix))
		v = (v & ~0xff00u) | (uint32_t)d->next[off4] << 8;
	if (d->msi && off4 == d->msi) {
		uint32_t control = (v >> 16) & ~(MSI_MME_MMC | PCI_MSI_ENABLE);
		control |= d->msi_control & PCI_MSI_ENABLE;
		v = (v & 0xffffu) | control << 16;
	}
	if (d->msix && off4 == d->msix) {
		uint32_t control = d->msix_control | (d->msix_entries - 1);
		v = (v & 0xffffu) | control << 16;
	}
	return v;
}

uint32_t dcfg_read(struct dcfg *d, unsigned off, unsigned size)
{
	if (off >= PCI_STD_SIZE)
		return 0;
	uint32_t v = view_dword(d, off & ~3u) >> ((off & 3) * 8);
	return size == 4 ? v : v & ((1u << (size * 8)) - 1);
}

static uint32_t merge(uint32_t old, uint32_t val, uint32_t mask)
{
	return (old & ~mask) | (val & mask);
}

/* A 16-bit register at off (the low or high half of the dword at off4)
 * the VM may write through, keeping the bits it did not write. keep:
 * bits the write may change; rw1c: the register's bits are write-one-to-
 * clear (only the bytes written are passed, zeros elsewhere). */
static void pass16(struct dcfg *d, unsigned off, uint32_t val, uint32_t mask,
                   uint16_t keep, bool rw1c)
{
	unsigned shift = (off & 2) * 8;
	uint16_t m = (uint16_t)(mask >> shift), v = (uint16_t)(val >> shift);
	if (!m)
		return;
	uint16_t out = rw1c ? (uint16_t)(v & m)
	                    : (uint16_t)merge(dev_read(d, off, 2), v, m);
	dev_write(d, off, 2, out & keep);
}

static void msi_write(struct dcfg *d, unsigned off4, uint32_t val, uint32_t mask)
{
	bool was = d->msi_control & PCI_MSI_ENABLE;
	bool changed = false;
	if (off4 == d->msi) {
		d->msi_control = (uint16_t)(merge((uint32_t)d->msi_control << 16, val, mask) >> 16) &
		                 PCI_MSI_ENABLE;
	} else if (off4 == d->msi + 4u) {
		uint32_t a = merge(d->msi_address, val, mask);
		changed = a != d->msi_address;
		d->msi_address = a;
	} else if (msi_64bit(d) && off4 == d->msi + 8u) {
		uint32_t a = merge(d->msi_address_hi, val, mask);
		changed = a != d->msi_address_hi;
		d->msi_address_hi = a;
	} else if (off4 == msi_data_off(d)) {
		uint16_t data = (uint16_t)merge(d->msi_data, val, mask & 0xffff);
		changed = data != d->msi_data;
		d->msi_data = data;
	} else if ((dev_read(d, d->msi + 2, 2) & PCI_MSI_MASKABLE) && off4 == msi_mask_off(d)) {
		dev_write(d, off4, 4, merge(dev_read(d, off4, 4), val, mask));
		return;
	} else {
		return;
	}
	bool now = d->msi_control & PCI_MSI_ENABLE;
	if (now != was || (now && changed))
		d->ops->msi_changed(d->ctx, now);
}

void dcfg_write(struct dcfg *d, unsigned off, unsigned size, uint32_t value)
{
	if (off >= PCI_STD_SIZE)
		return;
	unsigned off4 = off & ~3u, shift = (off & 3) * 8;
	uint32_t mask = (size == 4 ? 0xffffffffu : (1u << (size * 8)) - 1) << shift;
	uint32_t val = value << shift;

	if (off4 == PCI_COMMAND) {
		pass16(d, PCI_COMMAND, val, mask, DCFG_COMMAND_ALLOWED, false);
		pass16(d, PCI_STATUS, val, mask, 0xffff, true);
	} else if (off4 == PCI_CACHE_LINE) {
		pass16(d, PCI_CACHE_LINE, val, mask, 0xffff, false);
	} else if (off4 >= PCI_BAR0 && off4 < PCI_BAR0 + 4 * DCFG_BARS) {
		unsigned i = (off4 - PCI_BAR0) / 4;
		d->bar_value[i] = merge(d->bar_value[i], val, mask);
	} else if (off4 == PCI_INTERRUPT_LINE) {
		if (mask & 0xff)
			d->interrupt_line = (uint8_t)val;
	} else if (d->msi && off4 >= d->msi && off4 <= msi_last(d)) {
		msi_write(d, off4, val, mask);
	} else if (d->msix && off4 == d->msix) {
		uint16_t was = d->msix_control;
		d->msix_control = (uint16_t)(merge((uint32_t)was << 16, val, mask) >> 16) &
		                  (PCI_MSIX_ENABLE | PCI_MSIX_MASKALL);
		if (d->msix_control != was)
			d->ops->msix_changed(d->ctx, DCFG_MSIX_ALL);
	}
	/* Anything else: dropped. */
}

bool dcfg_bar_relayed(const struct dcfg *d, unsigned bar)
{
	return d->msix && (bar == d->msix_table_bar || bar == d->msix_pba_bar);
}

int dcfg_msix_vector(const struct dcfg *d, unsigned i)
{
	if (i >= d->msix_entries || (d->msix_control & (PCI_MSIX_ENABLE | PCI_MSIX_MASKALL)) !=
	    PCI_MSIX_ENABLE)
		return -1;
	const struct dcfg_msix_entry *e = &d->msix_table[i];
	if ((e->control & PCI_MSIX_ENTRY_MASKED) || (e->data & 0xff) < 32)
		return -1;
	return e->data & 0xff;
}

/* One aligned 4-byte access to the table at off (from its start). */
static uint32_t msix_table_dword(struct dcfg *d, uint64_t off, uint32_t value, bool write)
{
	unsigned i = (unsigned)(off / 16), reg = (unsigned)(off % 16) / 4;
	if (i >= d->msix_entries)
		return 0;
	struct dcfg_msix_entry *e = &d->msix_table[i];
	uint32_t *field = reg == 0 ? &e->address : reg == 1 ? &e->address_hi :
	                  reg == 2 ? &e->data : &e->control;
	if (!write)
		return *field;
	uint32_t keep = reg == 3 ? PCI_MSIX_ENTRY_MASKED : 0xffffffffu;
	if ((value & keep) != *field) {
		*field = value & keep;
		d->ops->msix_changed(d->ctx, i);
	}
	return 0;
}

uint64_t dcfg_msix_access(struct dcfg *d, unsigned bar, uint64_t off, unsigned size,
                          uint64_t value, bool write)
{
	if (!d->msix || (size != 4 && size != 8) || off % size)
		return 0;
	uint64_t out = 0;
	for (unsigned half = 0; half < size / 4; half++) {
		uint64_t at = off + 4 * half;
		uint32_t v = (uint32_t)(value >> (32 * half)), r = 0;
		if (bar == d->msix_table_bar && at >= d->msix_table_off &&
		    at < d->msix_table_off + 16ull * d->msix_entries)
			r = msix_table_dword(d, at - d->msix_table_off, v, write);
		/* Anything else (the pending bits included) reads 0. */
		out |= (uint64_t)r << (32 * half);
	}
	return write ? 0 : out;
}

int dcfg_msi_vector(const struct dcfg *d)
{
	if (!d->msi || !(d->msi_control & PCI_MSI_ENABLE))
		return -1;
	return d->msi_data & 0xff;
}

void dcfg_program_msi(const struct dcfg *d, uint64_t address, uint32_t data, bool enable)
{
	if (!d->msi)
		return;
	uint16_t control = (uint16_t)dev_read(d, d->msi + 2, 2);
	dev_write(d, d->msi + 2, 2, control & ~(MSI_MME_MMC | PCI_MSI_ENABLE));
	if (!enable)
		return;
	dev_write(d, d->msi + 4, 4, (uint32_t)address);
	if (control & PCI_MSI_64BIT)
		dev_write(d, d->msi + 8, 4, (uint32_t)(address >> 32));
	dev_write(d, msi_data_off(d), 2, data & 0xffff);
	dev_write(d, d->msi + 2, 2, (control & ~MSI_MME_MMC) | PCI_MSI_ENABLE);
}
