/* SPDX-License-Identifier: GPL-2.0-only */
/* BH_HC_VM_LAUNCH's admission (hypervisor/kernel/launch_check.c) and the
 * live-VM lookup it uses (vm_live.c), on a VM list built here (slot i of
 * a table, linked in order): every check at its edge, and the order the
 * checks answer in. */
#include <bulkhead/errno.h>

#include "check.h"
#include "kernel/launch_check.h"

#define MIB (1ull << 20)

#define SLOTS 16u

static struct vm table[SLOTS];
static struct vm *launcher;
static const struct bh_policy_launch rule = { .max_vms = 3, .max_memory = 16 * MIB };

/* Slot i holds a VM called name, in state st. */
static struct vm *put(unsigned i, const char *name, enum vm_state st, uint32_t ppm,
                      struct vm *by, uint64_t mem)
{
	struct vm *v = &table[i];
	*v = (struct vm){ .id = i + 1, .state = st, .cpu_ppm = ppm, .launched_by = by,
	                  .mem_hpa = mem ? 0x40000000ull + i * 0x10000000ull : 0,
	                  .mem_size = mem };
	strcpy(v->name, name);
	return v;
}

/* A fresh table: the control VM (10% of the CPU) launches. */
static void reset(void)
{
	memset(table, 0, sizeof(table));
	launcher = put(0, "control", VM_RUNNABLE, 100000, NULL, 2 * MIB);
}

/* The table as the kernel's list: every slot, in order. */
static struct vm *list(void)
{
	for (unsigned i = 0; i < SLOTS; i++)
		table[i].next = i + 1 < SLOTS ? &table[i + 1] : NULL;
	return &table[0];
}

static struct vm_config ask(const char *name, uint64_t mem, uint32_t ppm)
{
	return (struct vm_config){ .name = name, .memory = mem, .cpu_ppm = ppm,
	                           .launched_by = launcher };
}

static int check(const char *name, uint64_t mem, uint32_t ppm, uint64_t pool_free)
{
	struct vm_config c = ask(name, mem, ppm);
	return launch_check(&c, &rule, pool_free, list());
}

TEST(a_launch_that_fits_everywhere_is_admitted)
{
	reset();
	CHECK_EQ(check("hello", 2 * MIB, 0, 64 * MIB), 0);
	CHECK_EQ(check("hello", 2 * MIB, 900000, 64 * MIB), 0);
}

TEST(only_live_vms_hold_their_names)
{
	reset();
	put(1, "hello", VM_RUNNABLE, 0, launcher, 2 * MIB);
	CHECK_EQ(check("hello", 2 * MIB, 0, 64 * MIB), -BH_EEXIST);
	CHECK(vm_find_live(list(), "hello") == &table[1]);
	table[1].state = VM_WAITING;
	CHECK_EQ(check("hello", 2 * MIB, 0, 64 * MIB), -BH_EEXIST);
	table[1].state = VM_STOPPED;   /* still holding memory: no longer its name */
	CHECK_EQ(check("hello", 2 * MIB, 0, 64 * MIB), 0);
	CHECK(vm_find_live(list(), "hello") == NULL);
	CHECK(vm_find_live(list(), "control") == launcher);
	CHECK(vm_find_live(list(), "hell") == NULL);
	CHECK(!vm_is_live(&table[2]));   /* a free slot */
}

TEST(the_pool_must_hold_the_whole_vm)
{
	reset();
	CHECK_EQ(check("a", 8 * MIB, 0, 8 * MIB), 0);             /* exactly what is free */
	CHECK_EQ(check("a", 8 * MIB, 0, 8 * MIB - 1), -BH_ENOMEM);
	CHECK_EQ(check("a", 2 * MIB, 0, 0), -BH_ENOMEM);
}

TEST(quota_counts_the_launchers_vms_until_reclaimed)
{
	reset();
	put(1, "a", VM_RUNNABLE, 0, launcher, 2 * MIB);
	put(2, "b", VM_STOPPED, 0, launcher, 2 * MIB);            /* stopped, not yet reaped */
	CHECK_EQ(check("c", 2 * MIB, 0, 64 * MIB), 0);            /* the 3rd of max 3 */
	put(3, "c", VM_WAITING, 0, launcher, 2 * MIB);
	CHECK_EQ(check("d", 2 * MIB, 0, 64 * MIB), -BH_EAGAIN);   /* reached, until b is reaped */
	table[2].mem_hpa = 0;                                     /* b reaped */
	CHECK_EQ(check("d", 2 * MIB, 0, 64 * MIB), 0);
	put(6, "dd", VM_RUNNABLE, 0, launcher, 2 * MIB);
	CHECK_EQ(check("g", 2 * MIB, 0, 64 * MIB), -BH_EDQUOT);   /* three running: for good */
	memset(&table[6], 0, sizeof(table[6]));
	/* Boot VMs and other launchers' VMs are not the launcher's. */
	put(4, "e", VM_RUNNABLE, 0, NULL, 8 * MIB);
	put(5, "f", VM_RUNNABLE, 0, &table[4], 8 * MIB);
	CHECK_EQ(check("d", 2 * MIB, 0, 64 * MIB), 0);
}

TEST(quota_memory_may_be_reached_exactly)
{
	reset();
	put(1, "a", VM_RUNNABLE, 0, launcher, 10 * MIB);
	CHECK_EQ(check("b", 6 * MIB, 0, 64 * MIB), 0);            /* 16 MiB of 16 */
	CHECK_EQ(check("b", 6 * MIB + 1, 0, 64 * MIB), -BH_EDQUOT);
	CHECK_EQ(check("b", 8 * MIB, 0, 64 * MIB), -BH_EDQUOT);
}

TEST(cpu_shares_may_sum_to_exactly_the_whole_cpu)
{
	reset();                                                  /* control: 100000 */
	put(1, "a", VM_RUNNABLE, 400000, launcher, 2 * MIB);
	CHECK_EQ(check("b", 2 * MIB, 500000, 64 * MIB), 0);       /* 100% */
	CHECK_EQ(check("b", 2 * MIB, 500001, 64 * MIB), -BH_EBUSY);
	table[1].state = VM_WAITING;                              /* still counts */
	CHECK_EQ(check("b", 2 * MIB, 500001, 64 * MIB), -BH_EBUSY);
	table[1].state = VM_STOPPED;                              /* no longer counts */
	CHECK_EQ(check("b", 2 * MIB, 900000, 64 * MIB), 0);
	CHECK_EQ(check("b", 2 * MIB, 900001, 64 * MIB), -BH_EBUSY);
	CHECK_EQ(CPU_PPM_ALL, 1000000);
}

/* As check, for a VM placed on CPU cpu. */
static int check_on(unsigned cpu, const char *name, uint32_t ppm)
{
	struct vm_config c = ask(name, 2 * MIB, ppm);
	c.cpu = cpu;
	return launch_check(&c, &rule, 64 * MIB, list());
}

TEST(cpu_shares_are_summed_on_the_cpu_the_vm_is_placed_on)
{
	reset();                                                  /* control: 10% on CPU 0 */
	put(1, "a", VM_RUNNABLE, 700000, launcher, 2 * MIB);      /* 80% on CPU 0 */
	CHECK_EQ(check_on(1, "b", 500000), 0);
	CHECK_EQ(check_on(0, "b", 500000), -BH_EBUSY);
	CHECK_EQ(check_on(0, "b", 200000), 0);                    /* CPU 0 exactly full */
	/* CPU 1's own VMs count on CPU 1, and only there. */
	put(2, "c", VM_WAITING, 600000, NULL, 2 * MIB)->cpu = 1;
	CHECK_EQ(check_on(1, "b", 400000), 0);                    /* CPU 1 exactly full */
	CHECK_EQ(check_on(1, "b", 400001), -BH_EBUSY);
	CHECK_EQ(check_on(0, "b", 200000), 0);
	CHECK_EQ(check_on(2, "b", 1000000), 0);                   /* a CPU of its own */
}

TEST(stopped_vms_hold_no_share_of_their_cpu)
{
	reset();
	put(1, "a", VM_STOPPED, 900000, launcher, 2 * MIB)->cpu = 1;   /* not yet reaped */
	put(2, "b", VM_STOPPED, 950000, NULL, 0);                      /* reaped, CPU 0 */
	CHECK_EQ(check_on(1, "c", 1000000), 0);
	CHECK_EQ(check_on(0, "c", 900000), 0);
	CHECK_EQ(check_on(0, "c", 900001), -BH_EBUSY);                 /* the control VM's 10% */
	table[1].state = VM_RUNNABLE;
	CHECK_EQ(check_on(1, "c", 100000), 0);
	CHECK_EQ(check_on(1, "c", 100001), -BH_EBUSY);
}

TEST(checks_answer_in_the_documented_order)
{
	reset();
	put(1, "a", VM_RUNNABLE, 900000, launcher, 8 * MIB);
	put(2, "b", VM_RUNNABLE, 0, launcher, 8 * MIB);
	/* Everything wrong at once: the name is said first. */
	CHECK_EQ(check("a", 32 * MIB, 500000, 4 * MIB), -BH_EEXIST);
	/* Then the pool, even with the quota reached too. */
	CHECK_EQ(check("c", 32 * MIB, 500000, 4 * MIB), -BH_ENOMEM);
	/* Then the quota, before the CPU. */
	CHECK_EQ(check("c", 2 * MIB, 500000, 64 * MIB), -BH_EDQUOT);
	table[2].mem_hpa = 0;
	table[2].state = VM_STOPPED;
	CHECK_EQ(check("c", 2 * MIB, 500000, 64 * MIB), -BH_EBUSY);
}

/* No table limits the count: a rule of 1024 VMs admits the 301st launch
 * and refuses only at its own quota. */
TEST(a_quota_of_hundreds_counts_every_launched_vm)
{
	static struct vm many[302];
	const struct bh_policy_launch big = { .max_vms = 301, .max_memory = 1024 * MIB };
	struct vm *control = &many[0];

	memset(many, 0, sizeof(many));
	*control = (struct vm){ .id = 1, .state = VM_RUNNABLE, .cpu_ppm = 100000 };
	strcpy(control->name, "control");
	for (unsigned i = 1; i <= 300; i++) {
		many[i] = (struct vm){ .id = i + 1, .state = VM_WAITING, .launched_by = control,
		                       .mem_hpa = 0x40000000ull + i * 0x200000ull,
		                       .mem_size = 2 * MIB };
		many[i - 1].next = &many[i];
	}
	struct vm_config c = { .name = "hello", .memory = 2 * MIB, .launched_by = control };
	CHECK_EQ(launch_check(&c, &big, 512 * MIB, many), 0);
	many[300].next = &many[301];
	many[301] = many[300];
	many[301].id = 302;
	many[301].next = NULL;
	CHECK_EQ(launch_check(&c, &big, 512 * MIB, many), -BH_EDQUOT);
}

/* A Linux VM is a pair: the guest, and its monitor in monitor_memory. */
static struct vm *put_linux(unsigned i, const char *name, uint64_t mem, uint64_t monitor_mem)
{
	struct vm *g = put(i, name, VM_RUNNABLE, 0, launcher, mem);
	struct vm *m = put(i + 1, "its-monitor", VM_RUNNABLE, 0, launcher, monitor_mem);
	g->kind = VM_KIND_LINUX;
	m->kind = VM_KIND_MONITOR;
	g->pair = m;
	m->pair = g;
	return g;
}

static int check_linux(const char *name, uint64_t mem, uint64_t monitor_mem, uint64_t pool_free)
{
	struct vm_config c = ask(name, mem, 0);
	c.kind = VM_KIND_LINUX;
	c.monitor_memory = monitor_mem;
	return launch_check(&c, &rule, pool_free, list());
}

TEST(a_linux_vm_needs_room_for_its_monitor_too)
{
	reset();
	CHECK_EQ(check_linux("lx", 8 * MIB, 2 * MIB, 10 * MIB), 0);
	CHECK_EQ(check_linux("lx", 8 * MIB, 2 * MIB, 10 * MIB - 1), -BH_ENOMEM);
	CHECK_EQ(check_linux("lx", 8 * MIB, 0, 10 * MIB - 1), 0);   /* a native VM's 0 */
}

TEST(a_linux_vms_monitor_memory_counts_in_the_quota)
{
	reset();
	put(1, "a", VM_RUNNABLE, 0, launcher, 6 * MIB);
	CHECK_EQ(check_linux("lx", 8 * MIB, 2 * MIB, 64 * MIB), 0);          /* 16 MiB of 16 */
	CHECK_EQ(check_linux("lx", 8 * MIB, 2 * MIB + 1, 64 * MIB), -BH_EDQUOT);
	CHECK_EQ(check_linux("lx", 8 * MIB + 1, 2 * MIB, 64 * MIB), -BH_EDQUOT);
}

TEST(a_running_monitor_counts_in_memory_but_not_as_a_vm)
{
	reset();
	put_linux(1, "lx", 6 * MIB, 2 * MIB);
	put(3, "a", VM_RUNNABLE, 0, launcher, 2 * MIB);
	/* The pair and "a" are two VMs of max 3, holding 10 MiB of 16. */
	CHECK_EQ(check("b", 6 * MIB, 0, 64 * MIB), 0);
	CHECK_EQ(check("b", 6 * MIB + 1, 0, 64 * MIB), -BH_EDQUOT);
	put(4, "b", VM_RUNNABLE, 0, launcher, 2 * MIB);
	CHECK_EQ(check("c", 2 * MIB, 0, 64 * MIB), -BH_EDQUOT);   /* now three */
	/* Stopped and reaped, the pair's memory and count are free again. */
	table[1].state = table[2].state = VM_STOPPED;
	table[1].mem_hpa = table[2].mem_hpa = 0;
	CHECK_EQ(check("c", 12 * MIB, 0, 64 * MIB), 0);
	/* A monitor still holds its memory until reaped, stopped or not:
	 * stopped, it is only a matter of time. */
	table[2].mem_hpa = 0x50000000ull;
	CHECK_EQ(check("c", 12 * MIB, 0, 64 * MIB), -BH_EAGAIN);
	CHECK_EQ(check("c", 10 * MIB, 0, 64 * MIB), 0);
}

TEST(a_monitor_is_the_launchers_only_if_it_launched_the_pair)
{
	reset();
	put_linux(1, "lx", 6 * MIB, 8 * MIB);
	table[1].launched_by = table[2].launched_by = NULL;   /* a boot VM's pair */
	CHECK_EQ(check("b", 16 * MIB, 0, 64 * MIB), 0);
}

TEST(a_launch_that_fits_once_stopped_vms_are_reaped_is_asked_again)
{
	reset();
	/* The pool: 4 MiB free, and a stopped 8 MiB VM being scrubbed. */
	put(1, "a", VM_STOPPED, 0, launcher, 8 * MIB);
	CHECK_EQ(check("b", 12 * MIB, 0, 4 * MIB), -BH_EAGAIN);   /* 4 + 8 will be free */
	CHECK_EQ(check("b", 12 * MIB + 1, 0, 4 * MIB), -BH_ENOMEM);
	/* Another launcher's stopped VM frees pool memory too, but never
	 * this launcher's quota. */
	table[1].launched_by = &table[3];
	put(3, "other", VM_RUNNABLE, 0, NULL, 2 * MIB);
	CHECK_EQ(check("b", 12 * MIB, 0, 4 * MIB), -BH_EAGAIN);
	/* A stopped boot VM's memory is not the pool's. */
	table[1].launched_by = NULL;
	CHECK_EQ(check("b", 12 * MIB, 0, 4 * MIB), -BH_ENOMEM);
	/* The quota's memory: 14 of 16 MiB held, 8 of them stopped. */
	reset();
	put(1, "a", VM_RUNNABLE, 0, launcher, 6 * MIB);
	put(2, "s", VM_STOPPED, 0, launcher, 8 * MIB);
	CHECK_EQ(check("b", 10 * MIB, 0, 64 * MIB), -BH_EAGAIN);
	CHECK_EQ(check("b", 10 * MIB + 1, 0, 64 * MIB), -BH_EDQUOT);
}

TEST(a_launch_refused_for_good_once_the_memory_is_back_is_not_asked_again)
{
	reset();
	/* The pool is short now, but with the stopped VM's memory back the
	 * quota would refuse it for good: that is what the user hears. */
	put(1, "a", VM_RUNNABLE, 0, launcher, 12 * MIB);
	put(2, "s", VM_STOPPED, 0, launcher, 2 * MIB);
	CHECK_EQ(check("b", 6 * MIB, 0, 4 * MIB), -BH_ENOMEM);
	CHECK_EQ(check("b", 4 * MIB, 0, 2 * MIB), -BH_EAGAIN);    /* 12 + 4 of 16 once s is back */
	/* Nor when the CPU would be over-committed then. */
	CHECK_EQ(check("b", 4 * MIB, 950000, 2 * MIB), -BH_ENOMEM);
}
