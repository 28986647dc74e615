/* SPDX-License-Identifier: GPL-2.0-only */
/* The IOAPIC model: registers through IOREGSEL/IOWIN, edge and level
 * delivery, remote IRR and the EOI broadcast, masking. */
#include "check.h"

#include "bulkhead/errno.h"
#include "devices/ioapic.h"

static struct ioapic io;
static struct { uint8_t vector; bool level; } got[32];
static unsigned ngot;
static bool refuse;

static bool deliver(void *ctx, uint8_t vector, bool level)
{
	CHECK(ctx == &ngot);
	if (refuse)
		return false;
	CHECK(ngot < 32);
	got[ngot].vector = vector;
	got[ngot].level = level;
	ngot++;
	return true;
}

static void setup(void)
{
	ngot = 0;
	refuse = false;
	ioapic_init(&io, 1, deliver, &ngot);
}

static uint32_t reg_rd(uint32_t reg)
{
	uint32_t v;
	CHECK_EQ(ioapic_write(&io, IOAPIC_REGSEL, 4, reg), 0);
	CHECK_EQ(ioapic_read(&io, IOAPIC_WINDOW, 4, &v), 0);
	return v;
}

static void reg_wr(uint32_t reg, uint32_t v)
{
	CHECK_EQ(ioapic_write(&io, IOAPIC_REGSEL, 4, reg), 0);
	CHECK_EQ(ioapic_write(&io, IOAPIC_WINDOW, 4, v), 0);
}

static void route(unsigned pin, uint32_t lo)
{
	reg_wr(0x11 + 2 * pin, 0);
	reg_wr(0x10 + 2 * pin, lo);
}

TEST(identification_registers)
{
	setup();
	CHECK_EQ(reg_rd(0), 1u << 24);
	CHECK_EQ(reg_rd(1), 0x00170011);
	reg_wr(1, 0);                           /* read-only */
	CHECK_EQ(reg_rd(1), 0x00170011);
	reg_wr(0, 0x0f000000);
	CHECK_EQ(reg_rd(0), 0x0f000000);
	for (unsigned pin = 0; pin < 24; pin++)
		CHECK_EQ(reg_rd(0x10 + 2 * pin), IOAPIC_RTE_MASKED);
	CHECK_EQ(reg_rd(0x40), 0);              /* nothing there */
	reg_wr(0x11, 0xffffffff);
	CHECK_EQ(reg_rd(0x11), 0xff000000);
}

TEST(edge_pins_deliver_on_rising_edges_only_while_unmasked)
{
	setup();
	ioapic_set_line(&io, 4, true);          /* masked: lost */
	CHECK_EQ(ngot, 0);
	ioapic_set_line(&io, 4, false);
	route(4, 0x24);
	ioapic_set_line(&io, 4, true);
	CHECK_EQ(ngot, 1);
	CHECK_EQ(got[0].vector, 0x24);
	CHECK(!got[0].level);
	ioapic_set_line(&io, 4, true);          /* still high: no edge */
	CHECK_EQ(ngot, 1);
	ioapic_set_line(&io, 4, false);
	ioapic_set_line(&io, 4, true);
	CHECK_EQ(ngot, 2);
	ioapic_eoi(&io, 0x24);                  /* nothing for an edge pin */
	CHECK_EQ(ngot, 2);
	CHECK_EQ(reg_rd(0x10 + 8) & IOAPIC_RTE_REMOTE_IRR, 0);
}

TEST(level_pins_wait_for_the_eoi_and_redeliver_while_asserted)
{
	setup();
	route(16, IOAPIC_RTE_LEVEL | 0x51);
	ioapic_set_line(&io, 16, true);
	CHECK_EQ(ngot, 1);
	CHECK(got[0].level);
	CHECK(reg_rd(0x10 + 32) & IOAPIC_RTE_REMOTE_IRR);
	ioapic_set_line(&io, 16, true);         /* remote IRR holds it */
	CHECK_EQ(ngot, 1);
	ioapic_eoi(&io, 0x52);                  /* another vector */
	CHECK_EQ(ngot, 1);
	ioapic_eoi(&io, 0x51);                  /* still asserted: again */
	CHECK_EQ(ngot, 2);
	ioapic_set_line(&io, 16, false);
	ioapic_eoi(&io, 0x51);
	CHECK_EQ(ngot, 2);
	CHECK_EQ(reg_rd(0x10 + 32) & IOAPIC_RTE_REMOTE_IRR, 0);
	/* Guest writes cannot set remote IRR. */
	reg_wr(0x10 + 32, IOAPIC_RTE_LEVEL | IOAPIC_RTE_REMOTE_IRR | 0x51);
	CHECK_EQ(reg_rd(0x10 + 32) & IOAPIC_RTE_REMOTE_IRR, 0);
}

TEST(unmasking_an_asserted_level_pin_delivers)
{
	setup();
	route(17, IOAPIC_RTE_LEVEL | IOAPIC_RTE_MASKED | 0x60);
	ioapic_set_line(&io, 17, true);
	CHECK_EQ(ngot, 0);
	route(17, IOAPIC_RTE_LEVEL | 0x60);
	CHECK_EQ(ngot, 1);
	CHECK_EQ(got[0].vector, 0x60);
}

TEST(refused_and_non_fixed_deliveries_leave_remote_irr_clear)
{
	setup();
	refuse = true;
	route(18, IOAPIC_RTE_LEVEL | 0x05);
	ioapic_set_line(&io, 18, true);
	CHECK_EQ(reg_rd(0x10 + 36) & IOAPIC_RTE_REMOTE_IRR, 0);
	refuse = false;
	route(19, (4u << 8) | 0x70);            /* NMI delivery: dropped */
	ioapic_set_line(&io, 19, true);
	CHECK_EQ(ngot, 0);
	route(20, (1u << 8) | 0x71);            /* lowest priority: delivered */
	ioapic_set_line(&io, 20, true);
	CHECK_EQ(ngot, 1);
	ioapic_set_line(&io, 24, true);         /* no such pin */
	CHECK_EQ(io.delivered, 1);
}

TEST(bad_accesses_are_refused)
{
	setup();
	uint32_t v;
	CHECK_EQ(ioapic_read(&io, IOAPIC_REGSEL, 1, &v), -BH_EINVAL);
	CHECK_EQ(ioapic_read(&io, 0x04, 4, &v), -BH_EINVAL);
	CHECK_EQ(ioapic_write(&io, 0x40, 4, 0), -BH_EINVAL);
	CHECK_EQ(ioapic_write(&io, IOAPIC_WINDOW, 2, 0), -BH_EINVAL);
}
