/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The kernel's side of the monitor exit protocol (hypervisor/kernel/
 * monitor.c; include/bulkhead/monitor.h, docs/hypercalls.md "Monitor
 * call"), on a guest and monitor pair and an exit page built here, with
 * the back end, vm_stop and hypercall_wait replaced by the recording
 * stand-ins of monitor_fakes.c. The page is the monitor's to write at any
 * time, so tests also fill it with hostile values.
 */
#include <bulkhead/errno.h>
#include <bulkhead/hypercall.h>

#include "check.h"
#include "kernel/monitor.h"
#include "monitor_fakes.h"

#define EXIT_RESUME (-1)   /* what the back ends' exit handlers return to resume */
#define MONITOR_EXIT_EVENT (1ull << 62)

static struct vm guest, mon;
static struct bh_monitor_page page __attribute__((aligned(4096)));
static struct bh_monitor_irq *const irq = &page.irq;

/* A fresh pair: the guest runs, its monitor is in BH_HC_MONITOR_RUN. */
static void pair(void)
{
	fake_forget();
	memset(&page, 0, sizeof(page));
	guest = (struct vm){ .id = 1, .state = VM_RUNNABLE, .kind = VM_KIND_LINUX,
	                     .pair = &mon, .mon_page = &page, .wait_deadline = UINT64_MAX };
	mon = (struct vm){ .id = 2, .state = VM_RUNNABLE, .kind = VM_KIND_MONITOR,
	                   .pair = &guest, .mon_page = &page, .wait_deadline = UINT64_MAX };
	strcpy(guest.name, "linux");
	strcpy(mon.name, "linux-monitor");
}

/* BH_HC_MONITOR_RUN(timeout_ns) by vm. */
static int64_t run_by(struct vm *vm, uint64_t timeout_ns, enum hc_next *next)
{
	const uint64_t arg[6] = { timeout_ns };
	return monitor_run(vm, arg, next);
}

static int64_t run(void)
{
	enum hc_next next = HC_RESUME;
	return run_by(&mon, 1000000, &next);
}

/* The guest executes IN from the UART's line status register. */
static const struct bh_monitor_exit uart_in = {
	.reason = BH_MON_EXIT_IO, .port = 0x3fd, .size = 1, .in = 1, .next_rip = 0x1000105,
};

/* The guest's registers at its exit, each distinct. */
static void guest_registers(void)
{
	fake.cpu = (struct bh_monitor_regs){
		.rax = 0xa0, .rcx = 0xc0, .rdx = 0xd0, .rbx = 0xb0, .rsp = 0x8000, .rbp = 0x8100,
		.rsi = 0x51, .rdi = 0xd1, .r8 = 8, .r9 = 9, .r10 = 10, .r11 = 11, .r12 = 12,
		.r13 = 13, .r14 = 14, .r15 = 15, .rip = 0x1000104, .rflags = 0x202,
		.cr0 = 0x80050033, .cr2 = 0x7000, .cr3 = 0x3000, .cr4 = 0x20, .efer = 0xd01,
		.cs_base = 0, .cs_flags = BH_MON_CS_L, .cpl = 0,
	};
}

static bool in_page(const void *p)
{
	const char *c = p;
	return c >= (const char *)&page && c < (const char *)(&page + 1);
}

static bool irq_is_zero(void)
{
	static const struct bh_monitor_irq zero;
	return memcmp(irq, &zero, sizeof(zero)) == 0;
}

/* ---- forwarding --------------------------------------------------------- */

TEST(forwarding_makes_the_guest_wait_and_tells_the_monitor)
{
	pair();
	guest_registers();
	mon.events = 1;                              /* a channel event already pending */
	page.reply.action = BH_MON_ACTION_RESUME;    /* a stale answer */
	struct bh_monitor_exit e = uart_in;
	e.seq = 77;                                  /* the kernel counts, not the caller */

	CHECK_EQ(monitor_forward(&guest, &e), RUN_WAIT);
	CHECK_EQ(guest.state, VM_WAITING);
	CHECK(guest.awaiting_monitor);
	CHECK(guest.hlt_wait);                       /* woken without a hypercall result */
	CHECK_EQ(guest.wait_deadline, UINT64_MAX);   /* only the answer wakes it */
	CHECK_EQ(mon.events, 1 | MONITOR_EXIT_EVENT);
	CHECK_EQ(page.reply.action, BH_MON_ACTION_NONE);

	CHECK_EQ(page.exit.reason, BH_MON_EXIT_IO);
	CHECK_EQ(page.exit.seq, 1);
	CHECK_EQ(page.exit.port, 0x3fd);
	CHECK_EQ(page.exit.size, 1);
	CHECK_EQ(page.exit.in, 1);
	CHECK_EQ(page.exit.next_rip, 0x1000105);
	CHECK_EQ(fake.get_regs, 1);
	CHECK(fake.regs_vm == &guest);
	CHECK(memcmp(&page.exit.regs, &fake.cpu, sizeof(fake.cpu)) == 0);
}

TEST(each_forwarded_exit_replaces_the_last_and_counts)
{
	pair();
	monitor_forward(&guest, &uart_in);
	guest_registers();
	monitor_forward(&guest, &(struct bh_monitor_exit){ .reason = BH_MON_EXIT_MMIO,
	                                                  .gpa = 0xfee000b0, .write = 1 });
	CHECK_EQ(page.exit.seq, 2);
	CHECK_EQ(page.exit.reason, BH_MON_EXIT_MMIO);
	CHECK_EQ(page.exit.gpa, 0xfee000b0);
	CHECK_EQ(page.exit.write, 1);
	CHECK_EQ(page.exit.port, 0);                 /* nothing left of the IN */
	CHECK_EQ(page.exit.next_rip, 0);
	CHECK_EQ(page.exit.regs.rip, 0x1000104);
	CHECK_EQ(page.exit.regs.r15, 15);
}

/* ---- BH_HC_MONITOR_RUN ------------------------------------------------- */

TEST(only_a_monitor_may_call_monitor_run)
{
	pair();
	monitor_forward(&guest, &uart_in);
	page.reply.action = BH_MON_ACTION_RESUME;
	enum hc_next next = HC_RESUME;

	struct vm native = { .id = 3, .state = VM_RUNNABLE, .kind = VM_KIND_NATIVE };
	CHECK_EQ(run_by(&native, 0, &next), -BH_EPERM);
	native.pair = &guest;                        /* a pair link alone is not enough */
	CHECK_EQ(run_by(&native, 0, &next), -BH_EPERM);
	CHECK_EQ(run_by(&guest, 0, &next), -BH_EPERM);   /* the guest itself */
	mon.pair = NULL;                             /* a monitor without its guest */
	CHECK_EQ(run_by(&mon, 0, &next), -BH_EPERM);

	/* Nothing was taken or waited for. */
	CHECK_EQ(next, HC_RESUME);
	CHECK_EQ(fake.waits, 0);
	CHECK_EQ(fake.set_regs, 0);
	CHECK_EQ(page.reply.action, BH_MON_ACTION_RESUME);
	CHECK_EQ(guest.state, VM_WAITING);
	CHECK(guest.awaiting_monitor);
}

TEST(resume_takes_the_registers_and_lets_the_guest_run)
{
	pair();
	guest_registers();
	monitor_forward(&guest, &uart_in);
	page.reply.regs = page.exit.regs;
	page.reply.regs.rax = 0x60;                  /* the LSR: THR empty, data ready */
	page.reply.regs.r15 = 0x1515;
	page.reply.regs.rip = page.exit.next_rip;
	page.reply.action = BH_MON_ACTION_RESUME;

	enum hc_next next = HC_RESUME;
	int64_t rc = run_by(&mon, 1234567, &next);

	CHECK_EQ(fake.set_regs, 1);
	CHECK(fake.regs_vm == &guest);
	CHECK(!in_page(fake.set_from));              /* a copy, not the monitor's page */
	CHECK_EQ(fake.cpu.rax, 0x60);
	CHECK_EQ(fake.cpu.r15, 0x1515);
	CHECK_EQ(fake.cpu.rip, 0x1000105);
	CHECK_EQ(fake.cpu.rcx, 0xc0);
	CHECK_EQ(guest.state, VM_RUNNABLE);
	CHECK(!guest.awaiting_monitor);
	CHECK_EQ(page.exit.reason, BH_MON_EXIT_NONE);
	CHECK_EQ(page.reply.action, BH_MON_ACTION_NONE);
	/* Then it waits as BH_HC_WAIT, with the caller's timeout: here the
	 * forwarded exit's event is still pending, so it returns at once. */
	CHECK_EQ(fake.waits, 1);
	CHECK_EQ(fake.wait_timeout, 1234567);
	CHECK_EQ(rc, MONITOR_EXIT_EVENT);
	CHECK_EQ(mon.events, 0);
}

TEST(an_answer_is_taken_once)
{
	pair();
	monitor_forward(&guest, &uart_in);
	page.reply.action = BH_MON_ACTION_RESUME;
	run();
	CHECK_EQ(fake.set_regs, 1);
	/* The monitor answers again with nothing waiting: ignored. */
	page.reply.action = BH_MON_ACTION_RESUME;
	page.reply.regs.rip = 0xbad;
	run();
	CHECK_EQ(fake.set_regs, 1);
	CHECK(fake.cpu.rip != 0xbad);
	CHECK_EQ(guest.state, VM_RUNNABLE);
	page.reply.action = BH_MON_ACTION_RESET;
	run();
	CHECK_EQ(fake.resets, 0);
	page.reply.action = BH_MON_ACTION_POWEROFF;
	run();
	CHECK_EQ(fake.stops, 0);
	CHECK_EQ(guest.state, VM_RUNNABLE);
}

TEST(no_answer_or_an_unknown_action_leaves_the_guest_waiting)
{
	const uint32_t actions[] = { BH_MON_ACTION_NONE, 4, 5, 0x100, 0x80000000u, 0xffffffffu };
	for (unsigned i = 0; i < sizeof(actions) / sizeof(actions[0]); i++) {
		pair();
		monitor_forward(&guest, &uart_in);
		page.reply.action = actions[i];
		enum hc_next next = HC_RESUME;
		run_by(&mon, 0, &next);
		CHECK_EQ(guest.state, VM_WAITING);
		CHECK(guest.awaiting_monitor);
		CHECK_EQ(page.exit.reason, BH_MON_EXIT_IO);
		CHECK_EQ(fake.set_regs + fake.resets + fake.stops, 0);
		CHECK(next != HC_STOP);
		CHECK_EQ(fake.waits, 1);
		/* A real answer afterwards still works. */
		page.reply.action = BH_MON_ACTION_RESUME;
		run();
		CHECK_EQ(guest.state, VM_RUNNABLE);
		CHECK_EQ(fake.set_regs, 1);
	}
}

TEST(reset_restarts_the_guest_and_forwards_start)
{
	pair();
	guest_registers();
	monitor_forward(&guest, &uart_in);
	irq->pending[0] = 1ull << 40;
	irq->pending[3] = ~0ull;
	irq->timer_deadline = 1234;
	irq->timer_period = 10;
	irq->timer_vector = 0xec;
	irq->delivered = 9;
	irq->timer_fired = 3;
	mon.events = 0;                              /* the monitor took the first exit */
	page.reply.action = BH_MON_ACTION_RESET;

	int64_t rc = run();

	CHECK_EQ(fake.resets, 1);
	CHECK(fake.reset_vm == &guest);
	CHECK_EQ(fake.set_regs, 0);
	CHECK(irq_is_zero());                        /* no interrupt or timer survives */
	CHECK_EQ(page.exit.reason, BH_MON_EXIT_START);
	CHECK_EQ(page.exit.seq, 2);
	CHECK_EQ(page.exit.regs.rax, 0);             /* the reset state's registers */
	CHECK_EQ(page.exit.regs.cr0, 0x11);
	CHECK_EQ(page.exit.regs.rflags, 0x2);
	CHECK_EQ(page.reply.action, BH_MON_ACTION_NONE);
	CHECK_EQ(guest.state, VM_WAITING);
	CHECK(guest.awaiting_monitor);
	CHECK_EQ(rc, MONITOR_EXIT_EVENT);            /* the START waits for the monitor */

	/* Its answer starts the guest. */
	page.reply.regs.rip = 0x1000000;
	page.reply.action = BH_MON_ACTION_RESUME;
	run();
	CHECK_EQ(guest.state, VM_RUNNABLE);
	CHECK_EQ(fake.cpu.rip, 0x1000000);
}

TEST(poweroff_stops_the_pair)
{
	pair();
	monitor_forward(&guest, &uart_in);
	page.reply.action = BH_MON_ACTION_POWEROFF;
	enum hc_next next = HC_RESUME;
	int64_t rc = run_by(&mon, BH_WAIT_FOREVER, &next);
	CHECK_EQ(rc, 0);
	CHECK_EQ(next, HC_STOP);
	CHECK_EQ(guest.state, VM_STOPPED);
	CHECK_EQ(mon.state, VM_STOPPED);
	CHECK_STR_EQ(fake.stop_why, "powered off");
	CHECK_EQ(fake.waits, 0);                     /* a stopped monitor does not wait */
	CHECK_EQ(fake.set_regs + fake.resets, 0);
}

TEST(an_answer_for_a_stopped_guest_is_not_taken)
{
	pair();
	monitor_forward(&guest, &uart_in);
	guest.state = VM_STOPPED;                    /* stopped while it waited */
	page.reply.action = BH_MON_ACTION_RESUME;
	run();
	CHECK_EQ(fake.set_regs, 0);
	CHECK_EQ(guest.state, VM_STOPPED);
	page.reply.action = BH_MON_ACTION_RESET;
	run();
	CHECK_EQ(fake.resets, 0);
	CHECK_EQ(guest.state, VM_STOPPED);
}

/* ---- the timer ---------------------------------------------------------- */

static void arm(uint64_t deadline, uint64_t period, uint32_t vector)
{
	irq->timer_deadline = deadline;
	irq->timer_period = period;
	irq->timer_vector = vector;
}

TEST(the_timer_waits_for_its_deadline)
{
	pair();
	arm(1000, 0, 0xec);
	CHECK_EQ(monitor_timer_deadline(&guest), 1000);
	monitor_timer_tick(&guest, 0);
	monitor_timer_tick(&guest, 999);
	CHECK_EQ(irq->timer_fired, 0);
	CHECK_EQ(monitor_pending_vector(&guest), -1);
	CHECK_EQ(irq->timer_deadline, 1000);
	/* Disarmed (0), it never fires. */
	arm(0, 100, 0xec);
	monitor_timer_tick(&guest, UINT64_MAX);
	CHECK_EQ(irq->timer_fired, 0);
	CHECK_EQ(monitor_timer_deadline(&guest), 0);
	CHECK_EQ(monitor_pending_vector(&guest), -1);
}

TEST(a_one_shot_timer_posts_its_vector_once_and_disarms)
{
	pair();
	arm(1000, 0, 0x30);
	monitor_timer_tick(&guest, 1000);            /* at the deadline */
	CHECK_EQ(irq->pending[0], 1ull << 48);
	CHECK_EQ(irq->pending[1] | irq->pending[2] | irq->pending[3], 0);
	CHECK_EQ(irq->timer_fired, 1);
	CHECK_EQ(monitor_timer_deadline(&guest), 0);
	monitor_timer_tick(&guest, 1001);
	monitor_timer_tick(&guest, 1000000);
	CHECK_EQ(irq->timer_fired, 1);
	/* Late, it fires once all the same. */
	arm(2000, 0, 0x31);
	monitor_timer_tick(&guest, 9000);
	CHECK_EQ(irq->pending[0], 3ull << 48);
	CHECK_EQ(irq->timer_fired, 2);
	CHECK_EQ(monitor_timer_deadline(&guest), 0);
}

TEST(a_periodic_timer_re_arms_from_its_deadline)
{
	pair();
	arm(1000, 100, 0xef);                        /* vector 239: word 3, bit 47 */
	monitor_timer_tick(&guest, 1000);
	CHECK_EQ(irq->pending[3], 1ull << 47);
	CHECK_EQ(irq->timer_fired, 1);
	CHECK_EQ(monitor_timer_deadline(&guest), 1100);
	monitor_timer_tick(&guest, 1099);
	CHECK_EQ(irq->timer_fired, 1);
	monitor_timer_tick(&guest, 1100);
	CHECK_EQ(irq->timer_fired, 2);
	CHECK_EQ(monitor_timer_deadline(&guest), 1200);
	/* A little late: the next deadline keeps the period's phase. */
	monitor_timer_tick(&guest, 1250);
	CHECK_EQ(irq->timer_fired, 3);
	CHECK_EQ(monitor_timer_deadline(&guest), 1300);
	CHECK_EQ(irq->pending[3], 1ull << 47);       /* still one vector pending */
}

TEST(a_periodic_timer_far_behind_fires_once_and_restarts_from_now)
{
	pair();
	arm(1000, 100, 0x40);
	monitor_timer_tick(&guest, 100000);          /* 990 periods missed */
	CHECK_EQ(irq->timer_fired, 1);
	CHECK_EQ(monitor_timer_deadline(&guest), 100100);
	monitor_timer_tick(&guest, 100099);
	CHECK_EQ(irq->timer_fired, 1);
	/* Exactly one period behind is behind too. */
	pair();
	arm(1000, 100, 0x40);
	monitor_timer_tick(&guest, 1100);
	CHECK_EQ(irq->timer_fired, 1);
	CHECK_EQ(monitor_timer_deadline(&guest), 1200);
}

TEST(timer_vectors_outside_32_to_255_are_not_posted)
{
	const uint32_t bad[] = { 0, 2, 8, 14, 31, 256, 0x1000, 0x80000020u, 0xffffffffu };
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		pair();
		arm(1000, 0, bad[i]);
		monitor_timer_tick(&guest, 1000);
		CHECK_EQ(irq->pending[0] | irq->pending[1] | irq->pending[2] | irq->pending[3], 0);
		CHECK_EQ(irq->timer_fired, 0);
		CHECK_EQ(monitor_timer_deadline(&guest), 0);
		arm(1000, 100, bad[i]);
		monitor_timer_tick(&guest, 1000);
		CHECK_EQ(irq->pending[0] | irq->pending[1] | irq->pending[2] | irq->pending[3], 0);
		CHECK_EQ(irq->timer_fired, 0);
		CHECK_EQ(monitor_timer_deadline(&guest), 1100);   /* still keeps time */
	}
	pair();
	arm(1000, 0, 32);
	monitor_timer_tick(&guest, 1000);
	CHECK_EQ(irq->pending[0], 1ull << 32);
	pair();
	arm(1000, 0, 255);
	monitor_timer_tick(&guest, 1000);
	CHECK_EQ(irq->pending[3], 1ull << 63);
}

TEST(huge_timer_values_neither_fire_early_nor_wrap_into_the_past)
{
	/* A deadline at the end of time never comes. */
	pair();
	arm(UINT64_MAX, 100, 0x40);
	monitor_timer_tick(&guest, UINT64_MAX - 1);
	CHECK_EQ(irq->timer_fired, 0);

	/* A period of centuries fires once, then not again soon. */
	const uint64_t periods[] = { UINT64_MAX, UINT64_MAX - 500, 1ull << 63 };
	for (unsigned i = 0; i < sizeof(periods) / sizeof(periods[0]); i++) {
		pair();
		arm(1000, periods[i], 0x40);
		monitor_timer_tick(&guest, 1000);
		CHECK_EQ(irq->timer_fired, 1);
		CHECK(monitor_timer_deadline(&guest) > 1000);
		monitor_timer_tick(&guest, 1001);
		monitor_timer_tick(&guest, 2000000);
		CHECK_EQ(irq->timer_fired, 1);
		/* Far behind, the same. */
		pair();
		arm(1000, periods[i], 0x40);
		monitor_timer_tick(&guest, 5000);
		CHECK_EQ(irq->timer_fired, 1);
		CHECK(monitor_timer_deadline(&guest) > 5000);
	}

	/* Near the end of time a periodic timer stays armed, in the future
	 * as far as it can be, rather than wrapping to 0 (disarmed) or the past. */
	pair();
	arm(UINT64_MAX - 10, 100, 0x40);
	monitor_timer_tick(&guest, UINT64_MAX - 5);
	CHECK_EQ(irq->timer_fired, 1);
	CHECK_EQ(monitor_timer_deadline(&guest), UINT64_MAX);
}

/* ---- pending vectors ---------------------------------------------------- */

TEST(the_pending_vector_is_the_highest_from_32)
{
	pair();
	CHECK_EQ(monitor_pending_vector(&guest), -1);
	irq->pending[0] = 0xffffffffull;             /* exception vectors: ignored */
	CHECK_EQ(monitor_pending_vector(&guest), -1);
	irq->pending[0] |= 1ull << 32;
	CHECK_EQ(monitor_pending_vector(&guest), 32);
	irq->pending[0] |= 1ull << 33;
	CHECK_EQ(monitor_pending_vector(&guest), 33);
	irq->pending[0] |= 1ull << 63;
	CHECK_EQ(monitor_pending_vector(&guest), 63);
	irq->pending[1] = 1;
	CHECK_EQ(monitor_pending_vector(&guest), 64);
	irq->pending[2] = 1ull << 63;
	CHECK_EQ(monitor_pending_vector(&guest), 191);
	irq->pending[3] = 1ull << 63;
	CHECK_EQ(monitor_pending_vector(&guest), 255);
	memset(irq->pending, 0xff, sizeof(irq->pending));
	CHECK_EQ(monitor_pending_vector(&guest), 255);
}

TEST(a_delivered_vector_is_cleared_and_counted)
{
	pair();
	irq->pending[0] = 3ull << 40;                /* 40 and 41 */
	irq->pending[3] = 1ull << 8 | 1ull << 63;    /* 200 and 255 */
	monitor_vector_delivered(&guest, 255);
	CHECK_EQ(irq->delivered, 1);
	CHECK_EQ(irq->pending[3], 1ull << 8);
	CHECK_EQ(monitor_pending_vector(&guest), 200);
	monitor_vector_delivered(&guest, 200);
	CHECK_EQ(monitor_pending_vector(&guest), 41);
	monitor_vector_delivered(&guest, 41);
	CHECK_EQ(irq->pending[0], 1ull << 40);       /* its neighbour stays */
	CHECK_EQ(monitor_pending_vector(&guest), 40);
	monitor_vector_delivered(&guest, 40);
	CHECK_EQ(monitor_pending_vector(&guest), -1);
	CHECK_EQ(irq->delivered, 4);
	CHECK_EQ(irq->pending[0] | irq->pending[1] | irq->pending[2] | irq->pending[3], 0);
}

/* ---- HLT ---------------------------------------------------------------- */

TEST(hlt_with_nothing_pending_waits_for_the_timer)
{
	pair();
	CHECK_EQ(monitor_guest_hlt(&guest, true), RUN_WAIT);
	CHECK_EQ(guest.state, VM_WAITING);
	CHECK(guest.hlt_wait);
	CHECK(!guest.awaiting_monitor);
	CHECK_EQ(guest.wait_deadline, UINT64_MAX);   /* no timer armed */
	pair();
	arm(5000, 0, 0xec);
	CHECK_EQ(monitor_guest_hlt(&guest, true), RUN_WAIT);
	CHECK_EQ(guest.wait_deadline, 5000);
	CHECK(!guest.awaiting_monitor);
	CHECK_EQ(fake.waits, 0);                     /* no round trip to the monitor */
	CHECK_EQ(mon.events, 0);
}

TEST(hlt_with_a_vector_pending_goes_on_if_interrupts_are_on)
{
	pair();
	irq->pending[1] = 1ull << 1;                 /* vector 0x41 */
	CHECK_EQ(monitor_guest_hlt(&guest, true), EXIT_RESUME);
	CHECK_EQ(guest.state, VM_RUNNABLE);
	CHECK(!guest.hlt_wait);
	/* With RFLAGS.IF clear the vector cannot be taken: it halts. */
	CHECK_EQ(monitor_guest_hlt(&guest, false), RUN_WAIT);
	CHECK_EQ(guest.state, VM_WAITING);
	CHECK(guest.hlt_wait);
	/* Exception vectors are never pending. */
	pair();
	irq->pending[0] = 0xffffffffull;
	CHECK_EQ(monitor_guest_hlt(&guest, true), RUN_WAIT);
}

TEST(monitor_run_wakes_a_halted_guest_when_a_vector_is_pending)
{
	pair();
	monitor_guest_hlt(&guest, true);
	run();
	CHECK_EQ(guest.state, VM_WAITING);           /* nothing new: still halted */
	irq->pending[0] = 0xffffffffull;
	run();
	CHECK_EQ(guest.state, VM_WAITING);           /* exception bits wake nothing */
	irq->pending[1] |= 1ull << 16;               /* vector 0x50 */
	run();
	CHECK_EQ(guest.state, VM_RUNNABLE);
	CHECK_EQ(fake.set_regs, 0);
}

TEST(a_halted_guests_wake_up_follows_a_new_timer_deadline)
{
	pair();
	monitor_guest_hlt(&guest, true);
	CHECK_EQ(guest.wait_deadline, UINT64_MAX);
	irq->timer_deadline = 7000;
	run();
	CHECK_EQ(guest.state, VM_WAITING);
	CHECK_EQ(guest.wait_deadline, 7000);
	irq->timer_deadline = 3000;                  /* moved earlier */
	run();
	CHECK_EQ(guest.wait_deadline, 3000);
	irq->timer_deadline = 0;                     /* disarmed */
	run();
	CHECK_EQ(guest.wait_deadline, UINT64_MAX);
	CHECK_EQ(guest.state, VM_WAITING);
}

TEST(a_guest_waiting_for_an_answer_is_not_woken_by_vectors_or_the_timer)
{
	pair();
	monitor_forward(&guest, &uart_in);
	irq->pending[1] = 1ull << 16;
	irq->timer_deadline = 7000;
	run();
	CHECK_EQ(guest.state, VM_WAITING);
	CHECK(guest.awaiting_monitor);
	CHECK_EQ(guest.wait_deadline, UINT64_MAX);
}

TEST(a_running_guest_is_left_alone)
{
	pair();
	irq->pending[1] = 1ull << 16;
	irq->timer_deadline = 7000;
	guest.wait_deadline = 42;
	run();
	CHECK_EQ(guest.state, VM_RUNNABLE);
	CHECK_EQ(guest.wait_deadline, 42);
}

/* ---- a hostile page ----------------------------------------------------- */

TEST(a_page_of_all_ones_is_survived)
{
	pair();
	page.exit.seq = UINT32_MAX;                  /* the monitor may write the exit too */
	monitor_forward(&guest, &uart_in);
	CHECK_EQ(page.exit.seq, 0);
	memset(&page.reply, 0xff, sizeof(page.reply));
	memset(irq, 0xff, sizeof(*irq));

	run();                                       /* action 0xffffffff: no answer */
	CHECK_EQ(guest.state, VM_WAITING);
	CHECK(guest.awaiting_monitor);
	CHECK_EQ(fake.set_regs + fake.resets + fake.stops, 0);
	CHECK_EQ(guest.wait_deadline, UINT64_MAX);

	CHECK_EQ(monitor_pending_vector(&guest), 255);
	monitor_timer_tick(&guest, UINT64_MAX - 1);  /* deadline not reached */
	monitor_timer_tick(&guest, UINT64_MAX);      /* vector 0xffffffff: not posted */
	CHECK_EQ(irq->timer_fired, 0xffffffffu);
	monitor_vector_delivered(&guest, 255);
	CHECK_EQ(irq->delivered, 0);                 /* a counter, wrapping */
	CHECK_EQ(monitor_pending_vector(&guest), 254);

	/* Halted under such a page: the pending vectors wake it. */
	pair();
	monitor_guest_hlt(&guest, true);
	memset(irq, 0xff, sizeof(*irq));
	run();
	CHECK_EQ(guest.state, VM_RUNNABLE);
}

TEST(huge_deadlines_in_the_page_keep_a_halted_guest_asleep)
{
	pair();
	irq->timer_deadline = UINT64_MAX - 1;
	CHECK_EQ(monitor_guest_hlt(&guest, true), RUN_WAIT);
	CHECK_EQ(guest.wait_deadline, UINT64_MAX - 1);
	irq->timer_deadline = UINT64_MAX;
	run();
	CHECK_EQ(guest.wait_deadline, UINT64_MAX);
	CHECK_EQ(guest.state, VM_WAITING);
}
