/* SPDX-License-Identifier: GPL-2.0-only */
/* VMs and CPUs (contract in vm_cpu.h). */
#include "kernel/vm_cpu.h"

#include <bulkhead/errno.h>
#include <bulkhead/policy_blob.h>

#include "arch/smp.h"
#include "arch/virt.h"
#include "kernel/log.h"
#include "kernel/vm_table.h"
#include "policy/blob.h"

_Static_assert(VM_CPU_ANY == BH_POLICY_CPU_ANY, "one 'no pin' value");

static uint64_t unpinned_cpus;      /* the running CPUs unpinned VMs may use */
uint64_t vm_release_requested;

static uint64_t running_cpus(void)
{
	unsigned n = arch_cpu_count();
	return n >= 64 ? ~0ull : (1ull << n) - 1;
}

int vm_cpus_init(const void *policy)
{
	unsigned n = arch_cpu_count();
	int rc = 0;

	for (uint32_t i = 0; i < policy_vm_count(policy); i++) {
		const struct bh_policy_vm *p = policy_vm(policy, i);
		if (p->cpu != BH_POLICY_CPU_ANY && p->cpu >= n) {
			kprintf("policy: vm %s (line %u) is pinned to cpu %u, but this machine runs "
			        "%u CPU%s (0-%u)\n", policy_vm_name(policy, p), p->line, p->cpu, n,
			        n == 1 ? "" : "s", n - 1);
			rc = -BH_EINVAL;
		}
	}
	uint32_t mask = policy_header(policy)->cpus;
	unpinned_cpus = (mask ? mask : ~0ull) & running_cpus();
	if (!unpinned_cpus) {
		kprintf("policy: machine cpus names no CPU this machine runs (it runs %u)\n", n);
		rc = -BH_EINVAL;
	}
	return rc;
}

int vm_place(struct vm_config *c, const struct vm *first)
{
	if (c->cpu != VM_CPU_ANY)
		return c->cpu < arch_cpu_count() ? 0 : -BH_EINVAL;
	uint64_t best_ppm = UINT64_MAX;
	unsigned best_count = 0;
	for (unsigned cpu = 0; cpu < arch_cpu_count(); cpu++) {
		if (!(unpinned_cpus & (1ull << cpu)))
			continue;
		uint64_t ppm = 0;
		unsigned count = 0;
		for (const struct vm *v = first; v; v = v->next) {
			if (v->cpu != cpu || !vm_is_live(v))
				continue;
			ppm += v->cpu_ppm;
			count++;
		}
		if (ppm < best_ppm || (ppm == best_ppm && count < best_count)) {
			best_ppm = ppm;
			best_count = count;
			c->cpu = cpu;
		}
	}
	if (c->cpu == VM_CPU_ANY)
		c->cpu = 0;   /* before vm_cpus_init: the boot CPU alone */
	return 0;
}

void vm_kick(const struct vm *vm)
{
	if (vm->cpu != arch_cpu_this())
		arch_cpu_kick(vm->cpu);
}

void vm_signal(struct vm *vm, uint64_t events)
{
	vm->events |= events;
	vm_kick(vm);
}

void vm_release_request(const struct vm *vm)
{
	vm_release_requested |= 1ull << vm->cpu;
	vm_kick(vm);
}

void vm_release_stopped(unsigned cpu)
{
	if (!(vm_release_requested & (1ull << cpu)))
		return;
	vm_release_requested &= ~(1ull << cpu);
	vm_for_each(v) {
		if (v->cpu != cpu || v->state != VM_STOPPED || v->released || !v->mem_hpa)
			continue;
		arch_vm_release(v);
		v->released = true;
		vm_reap_pending = true;
	}
}
