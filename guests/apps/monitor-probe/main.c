/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * monitor-probe: a monitor for a scripted guest (guest.asm), to test the
 * kernel's side of the exit protocol (bulkhead/monitor.h) without Linux,
 * and monitors that misbehave, to test that only their own guest suffers.
 * It runs as the monitor of a Linux VM whose kernel file is guest.asm
 * assembled; its role comes from its VM name, "GUEST.vmm":
 *
 *   mon-basic*  loads the guest, answers each exit and logs it: COM1 bytes,
 *               port reads (0x71 reads 0x42), MMIO writes and reads (a read
 *               gives 0xcafe0000), the report ports; arms a 10 ms periodic
 *               timer on vector 0x30 once the guest reported its MMIO read;
 *               answers the first triple fault with RESET and the second with
 *               POWEROFF, so the guest runs twice.
 *   mon-wild*   loads the guest, then writes one page past its guest's memory
 *               in its own window: its NPT or EPT stops it, and the pair.
 *   mon-mute*   never answers: its guest waits for ever at START, and
 *               nothing else notices.
 *   mon-flood*  answers nothing and calls BH_HC_MONITOR_RUN without waiting,
 *               as fast as it can.
 */
#include <bulkhead/channel.h>
#include <bulkhead/hypercall.h>
#include <bulkhead/monitor.h>
#include <bulkhead/role.h>
#include <bulkhead/runtime.h>

#define GUEST_LOAD      0x100000ull
#define TIMER_VECTOR    0x30u
#define TIMER_HZ        100u
#define PORT_IN_VALUE   0x42u
#define MMIO_READ_VALUE 0xcafe0000u
#define PAGE            0x1000ull

static struct bh_monitor_page *page = (struct bh_monitor_page *)(uintptr_t)BH_MONITOR_PAGE;

static uint8_t *guest_ram(uint64_t gpa)
{
	return (uint8_t *)(uintptr_t)(BH_MONITOR_GUEST_RAM + gpa);
}

static uint64_t page_up(uint64_t a) { return (a + PAGE - 1) & ~(PAGE - 1); }

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

/* Maps the exit page, the guest's memory and its kernel file, and checks
 * the page is what the kernel promised. */
static void map_windows(void)
{
	if (bh_map_range(BH_MONITOR_PAGE, PAGE, true))
		bh_panic("cannot map the exit page");
	if (page->info.magic != BH_MONITOR_MAGIC || page->info.version != BH_MONITOR_VERSION)
		bh_panic("the exit page has magic 0x%llx version %u",
		         (unsigned long long)page->info.magic, page->info.version);
	if (bh_map_range(BH_MONITOR_GUEST_RAM, page->info.guest_memory, true) ||
	    bh_map_range(page->info.kernel_gpa, page_up(page->info.kernel_size), false))
		bh_panic("cannot map the guest's windows");
	bh_printf("monitor for %s: %llu MiB, kernel %llu bytes, tsc %llu kHz\n", page->info.name,
	          (unsigned long long)(page->info.guest_memory >> 20),
	          (unsigned long long)page->info.kernel_size,
	          (unsigned long long)page->info.tsc_khz);
}

/* START: the guest's code at GUEST_LOAD, entry there. */
static void load_guest(struct bh_monitor_regs *r)
{
	memcpy(guest_ram(GUEST_LOAD), (const void *)(uintptr_t)page->info.kernel_gpa,
	       page->info.kernel_size);
	r->rip = GUEST_LOAD;
}

static void arm_timer(void)
{
	uint64_t period = page->info.tsc_khz * 1000 / TIMER_HZ;
	page->irq.timer_vector = TIMER_VECTOR;
	page->irq.timer_period = period;
	page->irq.timer_deadline = rdtsc() + period;
}

static void handle_io(const struct bh_monitor_exit *e, struct bh_monitor_regs *r)
{
	uint32_t mask = e->size == 4 ? 0xffffffffu : e->size == 2 ? 0xffffu : 0xffu;

	if (e->in) {
		r->rax = (r->rax & ~(uint64_t)mask) | (PORT_IN_VALUE & mask);
		bh_printf("io in port 0x%x size %u\n", e->port, e->size);
	} else {
		uint32_t v = (uint32_t)r->rax & mask;
		if (e->port == 0x3f8)
			bh_printf("serial '%c'\n", (char)v);
		else
			bh_printf("io out port 0x%x size %u value 0x%x\n", e->port, e->size, v);
		if (e->port == 0x84)
			arm_timer();
	}
	r->rip = e->next_rip;
}

/* The two MMIO instructions of guest.asm: C7 05 disp32 imm32 (a store of
 * an immediate) and A1 moffs32 (a load into EAX). Paging is off, so RIP
 * is a guest-physical address. */
static bool handle_mmio(const struct bh_monitor_exit *e, struct bh_monitor_regs *r)
{
	const uint8_t *insn = guest_ram(r->rip);

	if (e->write && insn[0] == 0xc7 && insn[1] == 0x05) {
		uint32_t value;
		memcpy(&value, insn + 6, sizeof(value));
		bh_printf("mmio write 0x%llx value 0x%x\n", (unsigned long long)e->gpa, value);
		r->rip += 10;
		return true;
	}
	if (!e->write && insn[0] == 0xa1) {
		bh_printf("mmio read 0x%llx\n", (unsigned long long)e->gpa);
		r->rax = MMIO_READ_VALUE;
		r->rip += 5;
		return true;
	}
	bh_printf("mmio %s 0x%llx: instruction %02x %02x not known\n", e->write ? "write" : "read",
	          (unsigned long long)e->gpa, insn[0], insn[1]);
	return false;
}

static __attribute__((noreturn)) int basic(void)
{
	unsigned resets = 0;

	map_windows();
	for (;;) {
		int64_t ev = bh_monitor_run(BH_WAIT_FOREVER);
		if (ev < 0 || !(ev & BH_EVENT_MONITOR_EXIT))
			continue;
		struct bh_monitor_exit e = page->exit;
		struct bh_monitor_regs r = e.regs;
		uint32_t action = BH_MON_ACTION_RESUME;

		switch (e.reason) {
		case BH_MON_EXIT_START:
			bh_printf("start (seq %u)\n", e.seq);
			load_guest(&r);
			break;
		case BH_MON_EXIT_IO:
			handle_io(&e, &r);
			break;
		case BH_MON_EXIT_MMIO:
			if (!handle_mmio(&e, &r))
				action = BH_MON_ACTION_POWEROFF;
			break;
		case BH_MON_EXIT_SHUTDOWN:
			bh_printf("shutdown after %llu interrupts delivered, timer fired %u times\n",
			          (unsigned long long)page->irq.delivered, page->irq.timer_fired);
			action = resets++ ? BH_MON_ACTION_POWEROFF : BH_MON_ACTION_RESET;
			break;
		default:
			bh_printf("exit reason %u not known\n", e.reason);
			action = BH_MON_ACTION_POWEROFF;
		}
		bh_flush();
		page->reply.regs = r;
		page->reply.action = action;
	}
}

static int wild(void)
{
	map_windows();
	uint64_t beyond = BH_MONITOR_GUEST_RAM + page->info.guest_memory;
	if (bh_map_range(beyond, PAGE, true))
		bh_panic("cannot map past the guest");
	bh_printf("writing past the guest's memory at 0x%llx\n", (unsigned long long)beyond);
	bh_flush();
	*(volatile uint64_t *)(uintptr_t)beyond = 0x5757575757575757ull;
	bh_printf("the write went through\n");
	return 1;
}

static __attribute__((noreturn)) int mute(void)
{
	map_windows();
	bh_printf("never answering\n");
	bh_flush();
	for (;;)
		bh_wait(BH_WAIT_FOREVER);
}

static __attribute__((noreturn)) int flood(void)
{
	map_windows();
	bh_printf("flooding\n");
	bh_flush();
	for (;;)
		bh_monitor_run(BH_WAIT_POLL);
}

static const struct bh_role roles[] = {
	{ "mon-basic*", basic },
	{ "mon-wild*",  wild },
	{ "mon-mute*",  mute },
	{ "mon-flood*", flood },
};

int main(void)
{
	return bh_role_run(roles, sizeof(roles) / sizeof(roles[0]));
}
