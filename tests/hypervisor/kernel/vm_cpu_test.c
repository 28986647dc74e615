/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * VMs and CPUs (hypervisor/kernel/vm_cpu.c): the policy's pins and CPU set
 * checked against the CPUs running, where a new VM is placed, when a CPU is
 * kicked, and which CPU releases a stopped VM. The policies are the
 * compiler's blobs of the golden policies (tests/common/policy/unit.mk);
 * the machine is a few stand-ins below: how many CPUs run and which one
 * calls are set by each test, and kicks, releases and log lines are
 * recorded for it to look at.
 */
#include <stdarg.h>
#include <stdbool.h>

#include <bulkhead/errno.h>
#include <bulkhead/policy_blob.h>

#include "check.h"
#include "arch/smp.h"
#include "arch/virt.h"
#include "kernel/log.h"
#include "kernel/vm_cpu.h"
#include "policy/blob.h"

extern const unsigned char test_blob_full[], test_blob_cpus[];
extern const unsigned long test_blob_full_size, test_blob_cpus_size;

/* ---- the machine, as vm_cpu.c sees it ---- */

static unsigned cpus_running = 1, cpu_calling;

static unsigned kicks, kicked[16];       /* arch_cpu_kick's arguments, in order */
static const struct vm *watched;         /* its events as each kick is sent: */
static uint64_t events_at_kick;
static unsigned releases;                /* arch_vm_release's, in order */
static struct vm *released[16];
static unsigned lines;                   /* kprintf's, one after the other */
static char logged[2048];

unsigned arch_cpu_count(void)
{
	return cpus_running;
}

unsigned arch_cpu_this(void)
{
	return cpu_calling;
}

void arch_cpu_kick(unsigned cpu)
{
	CHECK(kicks < sizeof(kicked) / sizeof(kicked[0]));
	kicked[kicks++] = cpu;
	events_at_kick = watched ? watched->events : 0;
}

void arch_vm_release(struct vm *vm)
{
	CHECK(releases < sizeof(released) / sizeof(released[0]));
	released[releases++] = vm;
}

void kprintf(const char *fmt, ...)
{
	size_t used = strlen(logged);
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(logged + used, sizeof(logged) - used, fmt, ap);
	va_end(ap);
	lines++;
}

/* What kernel/vm.c keeps. */
struct vm *vm_first;
bool vm_reap_pending;

/* ---- the VMs ---- */

#define SLOTS 8u

static struct vm table[SLOTS];

/*
 * Forgets every record, and every release asked of any CPU (vm_cpu.c keeps
 * those between calls: with no VM on the list, releasing them does
 * nothing), then sets the machine: n CPUs, the caller on CPU 0.
 */
static void machine(unsigned n)
{
	memset(table, 0, sizeof(table));
	vm_first = NULL;
	for (unsigned cpu = 0; cpu < 64; cpu++)
		vm_release_stopped(cpu);
	cpus_running = n;
	cpu_calling = 0;
	kicks = releases = lines = 0;
	watched = NULL;
	logged[0] = '\0';
	vm_reap_pending = false;
}

/* Slot i holds a VM in state st on CPU cpu with ppm of its CPU, holding
 * memory; the list links every slot in order. */
static struct vm *put(unsigned i, enum vm_state st, unsigned cpu, uint32_t ppm)
{
	struct vm *v = &table[i];
	*v = (struct vm){ .id = i + 1, .state = st, .cpu = cpu, .cpu_ppm = ppm,
	                  .mem_hpa = 0x40000000ull + i * 0x200000ull, .mem_size = 0x200000 };
	for (unsigned j = 0; j < SLOTS; j++)
		table[j].next = j + 1 < SLOTS ? &table[j + 1] : NULL;
	vm_first = &table[0];
	return v;
}

/* Where vm_place puts an unpinned VM beside the list. */
static unsigned placed(void)
{
	struct vm_config c = { .name = "new", .cpu = VM_CPU_ANY };
	CHECK_EQ(vm_place(&c, vm_first), 0);
	CHECK(c.cpu != VM_CPU_ANY);
	return c.cpu;
}

/* ---- the policy's CPUs ---- */

/* A copy of the blob of size bytes at src with its CPU set ('machine
 * cpus') made mask instead, still one the validator takes. */
static const void *with_cpus(const void *src, unsigned long size, uint32_t mask)
{
	static uint64_t blob[BH_POLICY_MAX_SIZE / 8];
	CHECK(size <= sizeof(blob));
	memcpy(blob, src, size);
	struct bh_policy_header *h = (struct bh_policy_header *)blob;
	h->cpus = mask;
	h->checksum = policy_blob_checksum(blob, size);
	CHECK_EQ(policy_blob_validate(blob, size, NULL), 0);
	return blob;
}

/* The full policy (no pins, no 'machine cpus') with the CPU set mask. */
static const void *full_with_cpus(uint32_t mask)
{
	return with_cpus(test_blob_full, test_blob_full_size, mask);
}

/* The source line of the declaration of VM name in the cpus policy. */
static uint32_t line_in_cpus(const char *name)
{
	int i = policy_vm_find(test_blob_cpus, name);
	CHECK(i >= 0);
	return policy_vm(test_blob_cpus, (uint32_t)i)->line;
}

TEST(a_policy_whose_pins_all_run_is_taken_silently)
{
	CHECK_EQ(policy_blob_validate(test_blob_cpus, test_blob_cpus_size, NULL), 0);
	machine(32);                          /* the highest pin is 31 */
	CHECK_EQ(vm_cpus_init(test_blob_cpus), 0);
	CHECK_EQ(lines, 0);
	machine(1);                           /* no pins at all */
	CHECK_EQ(vm_cpus_init(test_blob_full), 0);
	CHECK_EQ(lines, 0);
}

TEST(a_pin_to_a_missing_cpu_is_refused_naming_the_vm_line_pin_and_count)
{
	char want[160];
	machine(4);
	CHECK_EQ(vm_cpus_init(test_blob_cpus), -BH_EINVAL);
	CHECK_EQ(lines, 1);
	CHECK_EQ(line_in_cpus("last-cpu"), 25);
	snprintf(want, sizeof(want), "policy: vm last-cpu (line %u) is pinned to cpu 31, "
	         "but this machine runs 4 CPUs (0-3)\n", line_in_cpus("last-cpu"));
	CHECK_STR_EQ(logged, want);
}

TEST(every_pin_to_a_missing_cpu_is_logged_in_policy_order)
{
	char want[512];
	machine(2);
	CHECK_EQ(vm_cpus_init(test_blob_cpus), -BH_EINVAL);
	CHECK_EQ(lines, 3);
	snprintf(want, sizeof(want),
	         "policy: vm elsewhere (line %u) is pinned to cpu 2, but this machine runs 2 CPUs (0-1)\n"
	         "policy: vm last-cpu (line %u) is pinned to cpu 31, but this machine runs 2 CPUs (0-1)\n"
	         "policy: vm lx (line %u) is pinned to cpu 3, but this machine runs 2 CPUs (0-1)\n",
	         line_in_cpus("elsewhere"), line_in_cpus("last-cpu"), line_in_cpus("lx"));
	CHECK_STR_EQ(logged, want);
	/* One CPU: every pin but to CPU 0 ("template") is out. */
	machine(1);
	CHECK_EQ(vm_cpus_init(test_blob_cpus), -BH_EINVAL);
	CHECK_EQ(lines, 6);
	snprintf(want, sizeof(want), "policy: vm pinned (line %u) is pinned to cpu 1, "
	         "but this machine runs 1 CPU (0-0)\n", line_in_cpus("pinned"));
	CHECK(strncmp(logged, want, strlen(want)) == 0);
	CHECK(strstr(logged, "vm template") == NULL);
}

TEST(a_cpu_set_naming_no_running_cpu_is_refused)
{
	machine(2);
	CHECK_EQ(vm_cpus_init(full_with_cpus(1u << 3)), -BH_EINVAL);
	CHECK_EQ(lines, 1);
	CHECK_STR_EQ(logged, "policy: machine cpus names no CPU this machine runs (it runs 2)\n");
	/* Both faults at once: both are said. */
	machine(1);
	CHECK_EQ(vm_cpus_init(test_blob_cpus), -BH_EINVAL);   /* its set has CPU 0 */
	unsigned pins = lines;
	machine(1);
	CHECK_EQ(vm_cpus_init(with_cpus(test_blob_cpus, test_blob_cpus_size, 1u << 1)), -BH_EINVAL);
	CHECK_EQ(lines, pins + 1);
	CHECK(strstr(logged, "machine cpus names no CPU this machine runs (it runs 1)\n"));
}

TEST(unpinned_vms_go_only_to_running_cpus_of_the_set)
{
	machine(4);
	CHECK_EQ(vm_cpus_init(full_with_cpus((1u << 0) | (1u << 1) | (1u << 3) | (1u << 5))), 0);
	/* CPU 2, left out of the set, stays empty; CPU 5 does not run. */
	for (unsigned i = 0; i < 6; i++) {
		unsigned cpu = placed();
		CHECK(cpu == 0 || cpu == 1 || cpu == 3);
		put(i, VM_RUNNABLE, cpu, 100000);
	}
	for (unsigned cpu = 0; cpu < 4; cpu++) {
		unsigned on = 0;
		for (unsigned i = 0; i < 6; i++)
			on += table[i].cpu == cpu;
		CHECK_EQ(on, cpu == 2 ? 0 : 2);
	}
	/* A set of CPU 1 alone: there, however empty CPU 0 is. */
	machine(2);
	CHECK_EQ(vm_cpus_init(full_with_cpus(1u << 1)), 0);
	put(0, VM_RUNNABLE, 1, 900000);
	CHECK_EQ(placed(), 1);
	/* No set: every running CPU. */
	machine(3);
	CHECK_EQ(vm_cpus_init(test_blob_full), 0);
	put(0, VM_RUNNABLE, 0, 100000);
	put(1, VM_RUNNABLE, 1, 100000);
	CHECK_EQ(placed(), 2);
}

/* ---- placing a VM ---- */

TEST(a_pinned_vm_keeps_its_pin_however_loaded_that_cpu_is)
{
	struct vm_config c = { .name = "new", .cpu = 1 };
	machine(2);
	CHECK_EQ(vm_cpus_init(full_with_cpus(1u << 0)), 0);   /* a pin may be outside the set */
	put(0, VM_RUNNABLE, 1, 1000000);
	CHECK_EQ(vm_place(&c, vm_first), 0);
	CHECK_EQ(c.cpu, 1);
	c.cpu = 0;
	CHECK_EQ(vm_place(&c, vm_first), 0);
	CHECK_EQ(c.cpu, 0);
}

TEST(a_vm_pinned_to_a_missing_cpu_is_not_placed)
{
	struct vm_config c = { .name = "new", .cpu = 2 };
	machine(2);
	CHECK_EQ(vm_cpus_init(test_blob_full), 0);
	CHECK_EQ(vm_place(&c, vm_first), -BH_EINVAL);
	c.cpu = 31;
	CHECK_EQ(vm_place(&c, vm_first), -BH_EINVAL);
	c.cpu = 1;
	CHECK_EQ(vm_place(&c, vm_first), 0);
}

TEST(an_unpinned_vm_goes_where_the_least_cpu_is_committed)
{
	machine(3);
	CHECK_EQ(vm_cpus_init(test_blob_full), 0);
	put(0, VM_RUNNABLE, 0, 400000);
	put(1, VM_WAITING, 1, 300000);
	put(2, VM_RUNNABLE, 2, 200000);
	put(3, VM_RUNNABLE, 2, 0);            /* more VMs, less committed */
	put(4, VM_RUNNABLE, 2, 0);
	CHECK_EQ(placed(), 2);
	table[1].cpu_ppm = 100000;
	CHECK_EQ(placed(), 1);
}

TEST(on_a_tie_the_cpu_with_fewest_vms_wins)
{
	machine(2);
	CHECK_EQ(vm_cpus_init(test_blob_full), 0);
	CHECK_EQ(placed(), 0);                /* nothing anywhere: the boot CPU */
	put(0, VM_RUNNABLE, 0, 300000);
	put(1, VM_RUNNABLE, 1, 100000);
	put(2, VM_WAITING, 1, 200000);
	CHECK_EQ(placed(), 0);
	put(3, VM_RUNNABLE, 0, 0);            /* best effort: a VM all the same */
	put(4, VM_RUNNABLE, 0, 0);
	CHECK_EQ(placed(), 1);
}

TEST(stopped_vms_commit_no_cpu_and_count_as_no_vm)
{
	machine(2);
	CHECK_EQ(vm_cpus_init(test_blob_full), 0);
	put(0, VM_STOPPED, 0, 900000);
	put(1, VM_RUNNABLE, 1, 100000);
	CHECK_EQ(placed(), 0);
	table[1].cpu_ppm = 0;                 /* tie: 0 VMs on CPU 0, 1 on CPU 1 */
	put(2, VM_STOPPED, 0, 0);
	put(3, VM_STOPPED, 0, 0);
	CHECK_EQ(placed(), 0);
	table[1].state = VM_STOPPED;          /* and none on either */
	CHECK_EQ(placed(), 0);
	table[0].state = VM_RUNNABLE;
	CHECK_EQ(placed(), 1);
}

/* ---- kicks ---- */

TEST(a_kick_goes_only_to_another_cpu)
{
	machine(2);
	struct vm *a = put(0, VM_RUNNABLE, 0, 0), *b = put(1, VM_WAITING, 1, 0);
	vm_kick(a);
	CHECK_EQ(kicks, 0);
	vm_kick(b);
	CHECK_EQ(kicks, 1);
	CHECK_EQ(kicked[0], 1);
	cpu_calling = 1;
	vm_kick(b);
	CHECK_EQ(kicks, 1);
	vm_kick(a);
	CHECK_EQ(kicks, 2);
	CHECK_EQ(kicked[1], 0);
}

TEST(a_signal_raises_the_events_before_it_kicks)
{
	machine(2);
	struct vm *a = put(0, VM_WAITING, 0, 0), *b = put(1, VM_WAITING, 1, 0);
	a->events = 0x4;
	vm_signal(a, 0x1);                    /* on the calling CPU: no kick */
	CHECK_EQ(a->events, 0x5);
	CHECK_EQ(kicks, 0);
	watched = b;
	b->events = 0x2;
	vm_signal(b, 0x8);
	CHECK_EQ(b->events, 0xa);
	CHECK_EQ(kicks, 1);
	CHECK_EQ(kicked[0], 1);
	CHECK_EQ(events_at_kick, 0xa);        /* the kicked CPU finds them */
}

/* ---- releasing stopped VMs ---- */

TEST(only_the_vms_own_cpu_releases_it)
{
	machine(2);
	struct vm *a = put(0, VM_STOPPED, 1, 0);
	vm_release_request(a);                /* from CPU 0 */
	CHECK_EQ(kicks, 1);
	CHECK_EQ(kicked[0], 1);
	vm_release_stopped(0);
	CHECK_EQ(releases, 0);
	CHECK(!a->released);
	CHECK(!vm_reap_pending);
	vm_release_stopped(1);                /* the request waited for CPU 1 */
	CHECK_EQ(releases, 1);
	CHECK(released[0] == a);
	CHECK(a->released);
	CHECK(vm_reap_pending);
	/* Once is enough. */
	vm_reap_pending = false;
	vm_release_stopped(1);
	CHECK_EQ(releases, 1);
	CHECK(!vm_reap_pending);
}

TEST(a_request_on_the_vms_own_cpu_needs_no_kick)
{
	machine(2);
	cpu_calling = 1;
	struct vm *a = put(0, VM_STOPPED, 1, 0);
	vm_release_request(a);
	CHECK_EQ(kicks, 0);
	vm_release_stopped(1);
	CHECK_EQ(releases, 1);
	CHECK(a->released);
}

TEST(only_stopped_unreleased_vms_holding_memory_are_released)
{
	machine(2);
	struct vm *stopped = put(0, VM_STOPPED, 1, 0);
	put(1, VM_RUNNABLE, 1, 0);
	put(2, VM_WAITING, 1, 0);
	put(3, VM_STOPPED, 1, 0)->released = true;   /* released before */
	put(4, VM_STOPPED, 1, 0)->mem_hpa = 0;       /* reaped: never ran */
	struct vm *other = put(5, VM_STOPPED, 0, 0);  /* CPU 0's */
	put(6, VM_FREE, 1, 0);                       /* being created */
	vm_release_request(stopped);
	vm_release_stopped(1);
	CHECK_EQ(releases, 1);
	CHECK(released[0] == stopped);
	CHECK(!other->released);
	for (unsigned i = 1; i < 5; i++)
		CHECK_EQ(table[i].released, i == 3);
	CHECK(!table[6].released);
	/* CPU 0's stopped VM waits for a request for CPU 0. */
	vm_release_stopped(0);
	CHECK_EQ(releases, 1);
	vm_release_request(other);
	CHECK_EQ(kicks, 1);                   /* only the request for CPU 1 */
	vm_release_stopped(0);
	CHECK_EQ(releases, 2);
	CHECK(released[1] == other);
}

TEST(a_request_releases_every_stopped_vm_of_that_cpu)
{
	machine(2);
	struct vm *a = put(0, VM_STOPPED, 1, 0), *b = put(1, VM_RUNNABLE, 1, 0);
	struct vm *c = put(2, VM_STOPPED, 1, 0);
	vm_release_request(a);
	b->state = VM_STOPPED;                /* stopped before CPU 1 looked */
	vm_release_request(b);
	vm_release_stopped(1);
	CHECK_EQ(releases, 3);
	CHECK(released[0] == a && released[1] == b && released[2] == c);
	CHECK(vm_reap_pending);
}
