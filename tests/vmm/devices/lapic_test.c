/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The xAPIC model against the exit page's interrupt block, with the
 * kernel's part played here: clearing pending[] bits as it injects, and
 * counting timer_fired. Register values are the SDM's numbers.
 */
#include "check.h"

#include "bulkhead/errno.h"
#include "devices/lapic.h"

static struct bh_monitor_irq irq;
static struct lapic l;
static uint8_t eoied[16];
static unsigned neoi;

static void on_eoi(void *ctx, uint8_t vector)
{
	CHECK(ctx == &neoi);
	CHECK(neoi < sizeof eoied);
	eoied[neoi++] = vector;
}

static void setup(void)
{
	memset(&irq, 0xa5, sizeof irq);   /* the reset must clear what matters */
	neoi = 0;
	lapic_init(&l, &irq, 0, on_eoi, &neoi);
}

static uint32_t rd(uint32_t off, uint64_t tsc)
{
	uint32_t v = 0xdeadbeef;
	CHECK_EQ(lapic_read(&l, off, 4, tsc, &v), 0);
	return v;
}

static void wr(uint32_t off, uint32_t v, uint64_t tsc)
{
	CHECK_EQ(lapic_write(&l, off, 4, v, tsc), 0);
}

static bool pending(unsigned v)
{
	return (irq.pending[v / 64] >> (v % 64)) & 1;
}

/* The kernel injects vector v: clears its pending bit. */
static void inject(unsigned v)
{
	CHECK(pending(v));
	irq.pending[v / 64] &= ~(1ull << (v % 64));
	irq.delivered++;
}

static bool bit(uint32_t base, unsigned v)
{
	return (rd(base + (v / 32) * 0x10, 0) >> (v % 32)) & 1;
}

TEST(power_on_state)
{
	setup();
	CHECK_EQ(irq.timer_deadline, 0);
	for (unsigned i = 0; i < 4; i++)
		CHECK_EQ(irq.pending[i], 0);
	CHECK_EQ(rd(LAPIC_VER, 0), 0x00050014);
	CHECK_EQ(rd(LAPIC_ID, 0), 0);
	CHECK_EQ(rd(LAPIC_SVR, 0), 0xff);
	CHECK_EQ(rd(LAPIC_DFR, 0), 0xffffffff);
	for (uint32_t off = LAPIC_LVT_TIMER; off <= LAPIC_LVT_ERROR; off += 0x10)
		CHECK_EQ(rd(off, 0), 0x10000);
	CHECK_EQ(rd(LAPIC_TMCCT, 0), 0);
}

TEST(one_shot_timer_arms_the_kernel_deadline_and_counts_down)
{
	setup();
	wr(LAPIC_SVR, 0x1ff, 0);
	wr(LAPIC_TDCR, 0x3, 0);                 /* divide by 16 */
	wr(LAPIC_LVT_TIMER, 0xec, 0);
	CHECK_EQ(irq.timer_deadline, 0);        /* no count yet */
	wr(LAPIC_TMICT, 1000, 5000);
	CHECK_EQ(irq.timer_deadline, 5000 + 16000);
	CHECK_EQ(irq.timer_period, 0);
	CHECK_EQ(irq.timer_vector, 0xec);
	CHECK_EQ(rd(LAPIC_TMCCT, 5000), 1000);
	CHECK_EQ(rd(LAPIC_TMCCT, 5000 + 1600), 900);
	CHECK_EQ(rd(LAPIC_TMCCT, 5000 + 15999), 1);
	CHECK_EQ(rd(LAPIC_TMCCT, 5000 + 16000), 0);
	CHECK_EQ(rd(LAPIC_TMCCT, 1ull << 40), 0);

	/* The kernel fires it and disarms; a later LVT write does not re-arm
	 * an expired one-shot. */
	irq.timer_deadline = 0;
	irq.timer_fired++;
	wr(LAPIC_LVT_TIMER, 0xec, 30000);
	CHECK_EQ(irq.timer_deadline, 0);
	/* Not yet fired by the kernel (deadline still set): left armed. */
	wr(LAPIC_TMICT, 10, 40000);
	CHECK_EQ(irq.timer_deadline, 40000 + 160);
	wr(LAPIC_LVT_TIMER, 0xec, 40200);
	CHECK_EQ(irq.timer_deadline, 40000 + 160);
	/* TMICT 0 stops it. */
	wr(LAPIC_TMICT, 0, 50000);
	CHECK_EQ(irq.timer_deadline, 0);
	CHECK_EQ(rd(LAPIC_TMCCT, 50000), 0);
}

TEST(periodic_timer_sets_the_period_and_next_expiry)
{
	setup();
	wr(LAPIC_SVR, 0x100, 0);
	wr(LAPIC_TDCR, 0xb, 0);                 /* divide by 1 */
	wr(LAPIC_LVT_TIMER, LAPIC_TIMER_PERIODIC | 0x40, 0);
	wr(LAPIC_TMICT, 500, 1000);
	CHECK_EQ(irq.timer_deadline, 1500);
	CHECK_EQ(irq.timer_period, 500);
	CHECK_EQ(irq.timer_vector, 0x40);
	CHECK_EQ(rd(LAPIC_TMCCT, 1000), 500);
	CHECK_EQ(rd(LAPIC_TMCCT, 1100), 400);
	CHECK_EQ(rd(LAPIC_TMCCT, 1500), 500);   /* reloaded */
	CHECK_EQ(rd(LAPIC_TMCCT, 2249), 251);
	/* Masking disarms the kernel's deadline; the count goes on. */
	wr(LAPIC_LVT_TIMER, LAPIC_LVT_MASKED | LAPIC_TIMER_PERIODIC | 0x40, 2300);
	CHECK_EQ(irq.timer_deadline, 0);
	CHECK_EQ(rd(LAPIC_TMCCT, 2300), 200);
	/* Unmasking re-arms at the next expiry after now. */
	wr(LAPIC_LVT_TIMER, LAPIC_TIMER_PERIODIC | 0x41, 2700);
	CHECK_EQ(irq.timer_deadline, 3000);
	CHECK_EQ(irq.timer_vector, 0x41);
	/* Software disable masks every LVT and disarms. */
	wr(LAPIC_SVR, 0xff, 2800);
	CHECK_EQ(irq.timer_deadline, 0);
	CHECK(rd(LAPIC_LVT_TIMER, 2800) & LAPIC_LVT_MASKED);
	CHECK(rd(LAPIC_LVT_LINT0, 2800) & LAPIC_LVT_MASKED);
}

TEST(divide_configuration_encodings)
{
	static const struct { uint32_t tdcr; uint64_t div; } t[] = {
		{ 0x0, 2 }, { 0x1, 4 }, { 0x2, 8 }, { 0x3, 16 },
		{ 0x8, 32 }, { 0x9, 64 }, { 0xa, 128 }, { 0xb, 1 },
	};
	for (unsigned i = 0; i < sizeof t / sizeof t[0]; i++) {
		setup();
		wr(LAPIC_SVR, 0x100, 0);
		wr(LAPIC_TDCR, t[i].tdcr, 0);
		wr(LAPIC_LVT_TIMER, 0x30, 0);
		wr(LAPIC_TMICT, 7, 100);
		CHECK_EQ(irq.timer_deadline, 100 + 7 * t[i].div);
		CHECK_EQ(rd(LAPIC_TDCR, 0), t[i].tdcr);
	}
}

TEST(tsc_deadline_mode_is_not_offered)
{
	setup();
	wr(LAPIC_SVR, 0x100, 0);
	wr(LAPIC_LVT_TIMER, (2u << 17) | 0xef, 0);
	wr(LAPIC_TMICT, 100, 0);
	CHECK_EQ(irq.timer_deadline, 0);
	CHECK_EQ(rd(LAPIC_TMCCT, 10), 0);
}

TEST(raised_vectors_move_from_irr_to_isr_and_eoi_reaches_the_ioapic)
{
	setup();
	wr(LAPIC_SVR, 0x1ff, 0);
	CHECK(lapic_raise(&l, 0x31, false));
	CHECK(lapic_raise(&l, 0x61, true));
	CHECK(pending(0x31) && pending(0x61));
	CHECK(bit(LAPIC_IRR, 0x31) && bit(LAPIC_IRR, 0x61));
	CHECK(bit(LAPIC_TMR, 0x61) && !bit(LAPIC_TMR, 0x31));
	CHECK(!bit(LAPIC_ISR, 0x61));

	inject(0x61);                           /* the kernel takes the highest */
	CHECK(!bit(LAPIC_IRR, 0x61) && bit(LAPIC_ISR, 0x61));
	CHECK(bit(LAPIC_IRR, 0x31));
	CHECK_EQ(rd(LAPIC_PPR, 0), 0x60);
	wr(LAPIC_TPR, 0x70, 0);
	CHECK_EQ(rd(LAPIC_PPR, 0), 0x70);
	wr(LAPIC_TPR, 0, 0);

	wr(LAPIC_EOI, 0, 0);
	CHECK_EQ(neoi, 1);
	CHECK_EQ(eoied[0], 0x61);
	CHECK(!bit(LAPIC_ISR, 0x61) && !bit(LAPIC_TMR, 0x61));

	inject(0x31);
	CHECK(bit(LAPIC_ISR, 0x31));
	wr(LAPIC_EOI, 0, 0);
	CHECK_EQ(neoi, 1);                      /* edge: no broadcast */
	CHECK(!bit(LAPIC_ISR, 0x31));
	wr(LAPIC_EOI, 0, 0);                    /* nothing in service: harmless */
	CHECK_EQ(neoi, 1);
}

TEST(timer_interrupts_are_counted_from_timer_fired)
{
	setup();
	wr(LAPIC_SVR, 0x100, 0);
	wr(LAPIC_LVT_TIMER, 0xec, 0);
	wr(LAPIC_TMICT, 10, 0);
	/* The kernel posts the vector itself and injects it. */
	irq.timer_fired++;
	irq.pending[0xec / 64] |= 1ull << (0xec % 64);
	CHECK(bit(LAPIC_IRR, 0xec));
	inject(0xec);
	CHECK(bit(LAPIC_ISR, 0xec));
	wr(LAPIC_EOI, 0, 0);
	CHECK(!bit(LAPIC_ISR, 0xec));
	CHECK_EQ(neoi, 0);
}

/* The kernel posts a device vector itself (an MSI it received): its bit
 * in kernel_posted[] and in pending[]. */
static void kernel_post(unsigned v)
{
	irq.kernel_posted[v / 64] |= 1ull << (v % 64);
	irq.pending[v / 64] |= 1ull << (v % 64);
}

TEST(reset_clears_what_the_kernel_posted)
{
	setup();
	for (unsigned w = 0; w < 4; w++)
		CHECK_EQ(irq.kernel_posted[w], 0);
	for (unsigned v = 32; v < 256; v++)
		CHECK(!bit(LAPIC_IRR, v) && !bit(LAPIC_ISR, v));
}

TEST(kernel_posted_vectors_enter_irr_as_edges_and_are_taken_once)
{
	setup();
	wr(LAPIC_SVR, 0x100, 0);
	kernel_post(0x41);
	kernel_post(0xb0);
	CHECK(bit(LAPIC_IRR, 0x41) && bit(LAPIC_IRR, 0xb0));   /* the read synced */
	for (unsigned w = 0; w < 4; w++)
		CHECK_EQ(irq.kernel_posted[w], 0);               /* taken */
	CHECK(!bit(LAPIC_TMR, 0x41) && !bit(LAPIC_TMR, 0xb0));
	CHECK(!bit(LAPIC_ISR, 0xb0));

	inject(0xb0);
	CHECK(bit(LAPIC_ISR, 0xb0) && !bit(LAPIC_IRR, 0xb0));
	CHECK(bit(LAPIC_IRR, 0x41));
	CHECK_EQ(rd(LAPIC_PPR, 0), 0xb0);
	wr(LAPIC_EOI, 0, 0);
	CHECK(!bit(LAPIC_ISR, 0xb0));
	inject(0x41);
	CHECK(bit(LAPIC_ISR, 0x41));
	wr(LAPIC_EOI, 0, 0);
	CHECK(!bit(LAPIC_ISR, 0x41));
	CHECK_EQ(neoi, 0);                      /* edges: no EOI broadcast */
	for (unsigned v = 32; v < 256; v++)     /* nothing comes back */
		CHECK(!bit(LAPIC_IRR, v) && !bit(LAPIC_ISR, v));
}

TEST(a_kernel_posted_vector_already_injected_goes_straight_to_isr)
{
	setup();
	wr(LAPIC_SVR, 0x100, 0);
	kernel_post(0x90);
	inject(0x90);                           /* before the monitor looked */
	CHECK(!bit(LAPIC_IRR, 0x90) && bit(LAPIC_ISR, 0x90));
	wr(LAPIC_EOI, 0, 0);
	CHECK(!bit(LAPIC_ISR, 0x90));
}

TEST(kernel_posted_vectors_in_every_word_and_never_below_32)
{
	static const unsigned vs[] = { 0x20, 0x3f, 0x40, 0x7f, 0x80, 0xbf, 0xc0, 0xff };
	setup();
	wr(LAPIC_SVR, 0x100, 0);
	for (unsigned i = 0; i < sizeof vs / sizeof vs[0]; i++)
		kernel_post(vs[i]);
	irq.kernel_posted[0] |= 0x00010004ull;  /* vectors 2 and 16: not deliverable */
	lapic_sync(&l);
	for (unsigned w = 0; w < 4; w++)
		CHECK_EQ(irq.kernel_posted[w], 0);
	unsigned n = 0;
	for (unsigned v = 0; v < 256; v += 32)
		n += (unsigned)__builtin_popcount(rd(LAPIC_IRR + (v / 32) * 0x10, 0));
	CHECK_EQ(n, sizeof vs / sizeof vs[0]);
	for (unsigned i = 0; i < sizeof vs / sizeof vs[0]; i++)
		CHECK(bit(LAPIC_IRR, vs[i]));
}

TEST(a_kernel_posted_vector_is_an_edge_even_after_a_level_raise)
{
	setup();
	wr(LAPIC_SVR, 0x100, 0);
	CHECK(lapic_raise(&l, 0x55, true));     /* the IOAPIC, level */
	inject(0x55);
	wr(LAPIC_EOI, 0, 0);
	CHECK_EQ(neoi, 1);
	kernel_post(0x55);                      /* the same vector as an MSI */
	CHECK(bit(LAPIC_IRR, 0x55) && !bit(LAPIC_TMR, 0x55));
	inject(0x55);
	wr(LAPIC_EOI, 0, 0);
	CHECK_EQ(neoi, 1);                      /* no broadcast for an edge */
}

TEST(illegal_vectors_show_in_esr_after_a_write)
{
	setup();
	CHECK(!lapic_raise(&l, 0x10, false));
	CHECK(!pending(0x10));
	CHECK_EQ(rd(LAPIC_ESR, 0), 0);          /* latched, not yet visible */
	wr(LAPIC_ESR, 0, 0);
	CHECK_EQ(rd(LAPIC_ESR, 0), LAPIC_ESR_RECV_ILLEGAL);
	wr(LAPIC_ICR_LO, (1u << 18) | 0x05, 0); /* self IPI, vector 5 */
	wr(LAPIC_ESR, 0, 0);
	CHECK_EQ(rd(LAPIC_ESR, 0), LAPIC_ESR_SEND_ILLEGAL);
	wr(LAPIC_ESR, 0, 0);
	CHECK_EQ(rd(LAPIC_ESR, 0), 0);
}

TEST(ipis_reach_only_this_apic)
{
	setup();
	wr(LAPIC_SVR, 0x100, 0);
	wr(LAPIC_ICR_LO, (1u << 18) | 0xf3, 0);          /* self shorthand */
	CHECK(pending(0xf3));
	wr(LAPIC_ICR_HI, 0x01000000, 0);                 /* APIC 1: not us */
	wr(LAPIC_ICR_LO, 0xf4, 0);
	CHECK(!pending(0xf4));
	wr(LAPIC_ICR_LO, (3u << 18) | 0xf5, 0);          /* all but self */
	CHECK(!pending(0xf5));
	wr(LAPIC_ICR_HI, 0, 0);
	wr(LAPIC_ICR_LO, (4u << 8) | 0xf6, 0);           /* NMI: ignored */
	CHECK(!pending(0xf6));
	wr(LAPIC_ICR_LO, 0xf7, 0);                       /* physical 0: us */
	CHECK(pending(0xf7));
	wr(LAPIC_LDR, 0x01000000, 0);
	wr(LAPIC_ICR_HI, 0x01000000, 0);
	wr(LAPIC_ICR_LO, (1u << 11) | 0xf8, 0);          /* logical, flat */
	CHECK(pending(0xf8));
	CHECK_EQ(rd(LAPIC_ICR_LO, 0) & (1u << 12), 0);   /* always idle */
}

TEST(bad_accesses_are_refused)
{
	setup();
	uint32_t v;
	CHECK_EQ(lapic_read(&l, LAPIC_TPR, 2, 0, &v), -BH_EINVAL);
	CHECK_EQ(lapic_read(&l, LAPIC_TPR + 4, 4, 0, &v), -BH_EINVAL);
	CHECK_EQ(lapic_read(&l, 0x1000, 4, 0, &v), -BH_EINVAL);
	CHECK_EQ(lapic_read(&l, 0x3f0, 4, 0, &v), -BH_ENOENT);
	CHECK_EQ(lapic_read(&l, LAPIC_EOI, 4, 0, &v), -BH_ENOENT);
	CHECK_EQ(lapic_write(&l, LAPIC_VER, 4, 0, 0), -BH_ENOENT);
	CHECK_EQ(lapic_write(&l, LAPIC_IRR, 4, ~0u, 0), -BH_ENOENT);
	CHECK_EQ(lapic_write(&l, LAPIC_TMCCT, 4, 5, 0), -BH_ENOENT);
	CHECK_EQ(lapic_write(&l, LAPIC_SVR, 8, 0x1ff, 0), -BH_EINVAL);
	CHECK_EQ(rd(LAPIC_SVR, 0), 0xff);
	CHECK_EQ(l.bad_accesses, 9);
	/* Reserved bits of writable registers do not stick. */
	wr(LAPIC_SVR, 0x1ff, 0);
	wr(LAPIC_LVT_TIMER, 0xffffffff, 0);
	CHECK_EQ(rd(LAPIC_LVT_TIMER, 0), 0x000700ff);
	wr(LAPIC_LVT_ERROR, 0xffffffff, 0);
	CHECK_EQ(rd(LAPIC_LVT_ERROR, 0), 0x000100ff);
}
