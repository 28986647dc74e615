/* SPDX-License-Identifier: GPL-2.0-only */
/* The I/O APIC model (contract in ioapic.h). */
#include <bulkhead/errno.h>

#include "devices/ioapic.h"
#include "lib/string.h"

/* Writable bits of an entry's low half: vector, delivery mode, destination
 * mode, polarity, trigger mode, mask (not delivery status, remote IRR). */
#define RTE_LO_WRITABLE 0x0001afffu
#define RTE_HI_WRITABLE 0xff000000u

void ioapic_init(struct ioapic *io, uint8_t id,
                 bool (*deliver)(void *ctx, uint8_t vector, bool level), void *ctx)
{
	memset(io, 0, sizeof *io);
	io->deliver = deliver;
	io->ctx = ctx;
	io->id = id & 0xf;
	for (unsigned i = 0; i < IOAPIC_PINS; i++)
		io->rte_lo[i] = IOAPIC_RTE_MASKED;
}

/* Delivers pin's vector if its entry lets it. For level pins, also sets
 * remote IRR so the line is not delivered again before the EOI. */
static void try_deliver(struct ioapic *io, unsigned pin)
{
	uint32_t lo = io->rte_lo[pin];
	bool level = lo & IOAPIC_RTE_LEVEL;
	unsigned mode = IOAPIC_RTE_DELIVERY_MODE(lo);

	if (lo & IOAPIC_RTE_MASKED)
		return;
	if (level && (lo & IOAPIC_RTE_REMOTE_IRR))
		return;
	if (mode != 0 && mode != 1)   /* only fixed and lowest priority */
		return;
	if (!io->deliver(io->ctx, (uint8_t)lo, level))
		return;
	io->delivered++;
	if (level)
		io->rte_lo[pin] |= IOAPIC_RTE_REMOTE_IRR;
}

void ioapic_set_line(struct ioapic *io, unsigned pin, bool asserted)
{
	if (pin >= IOAPIC_PINS)
		return;
	bool was = io->line[pin];
	io->line[pin] = asserted;
	if (!asserted)
		return;
	if (io->rte_lo[pin] & IOAPIC_RTE_LEVEL)
		try_deliver(io, pin);
	else if (!was)
		try_deliver(io, pin);
}

void ioapic_eoi(struct ioapic *io, uint8_t vector)
{
	for (unsigned pin = 0; pin < IOAPIC_PINS; pin++) {
		uint32_t lo = io->rte_lo[pin];
		if (!(lo & IOAPIC_RTE_LEVEL) || (uint8_t)lo != vector ||
		    !(lo & IOAPIC_RTE_REMOTE_IRR))
			continue;
		io->rte_lo[pin] &= ~IOAPIC_RTE_REMOTE_IRR;
		if (io->line[pin])
			try_deliver(io, pin);
	}
}

static uint32_t reg_read(const struct ioapic *io, uint32_t reg)
{
	if (reg == IOAPIC_REG_ID)
		return io->id << 24;
	if (reg == IOAPIC_REG_VER)
		return ((IOAPIC_PINS - 1u) << 16) | IOAPIC_VERSION;
	if (reg == IOAPIC_REG_ARB)
		return io->id << 24;
	if (reg >= IOAPIC_REG_REDTBL && reg < IOAPIC_REG_REDTBL + 2 * IOAPIC_PINS) {
		unsigned pin = (reg - IOAPIC_REG_REDTBL) / 2;
		return (reg & 1) ? io->rte_hi[pin] : io->rte_lo[pin];
	}
	return 0;
}

static void reg_write(struct ioapic *io, uint32_t reg, uint32_t value)
{
	if (reg == IOAPIC_REG_ID) {
		io->id = (value >> 24) & 0xf;
		return;
	}
	if (reg < IOAPIC_REG_REDTBL || reg >= IOAPIC_REG_REDTBL + 2 * IOAPIC_PINS)
		return;
	unsigned pin = (reg - IOAPIC_REG_REDTBL) / 2;
	if (reg & 1) {
		io->rte_hi[pin] = value & RTE_HI_WRITABLE;
		return;
	}
	uint32_t kept = io->rte_lo[pin] & IOAPIC_RTE_REMOTE_IRR;
	io->rte_lo[pin] = (value & RTE_LO_WRITABLE) | kept;
	/* Remote IRR means nothing for an edge pin. */
	if (!(value & IOAPIC_RTE_LEVEL))
		io->rte_lo[pin] &= ~IOAPIC_RTE_REMOTE_IRR;
	/* A level line held while masked is delivered once unmasked. */
	if ((value & IOAPIC_RTE_LEVEL) && io->line[pin])
		try_deliver(io, pin);
}

int ioapic_read(struct ioapic *io, uint32_t offset, unsigned size, uint32_t *value)
{
	*value = 0;
	if (size != 4)
		return -BH_EINVAL;
	if (offset == IOAPIC_REGSEL) {
		*value = io->regsel;
		return 0;
	}
	if (offset == IOAPIC_WINDOW) {
		*value = reg_read(io, io->regsel);
		return 0;
	}
	return -BH_EINVAL;
}

int ioapic_write(struct ioapic *io, uint32_t offset, unsigned size, uint32_t value)
{
	if (size != 4)
		return -BH_EINVAL;
	if (offset == IOAPIC_REGSEL) {
		io->regsel = value & 0xff;
		return 0;
	}
	if (offset == IOAPIC_WINDOW) {
		reg_write(io, io->regsel, value);
		return 0;
	}
	return -BH_EINVAL;
}
