/* SPDX-License-Identifier: GPL-2.0-only */
/* Exit decisions shared by the CPU back ends (contracts in guest_exits.h). */
#include "arch/x86/guest_exits.h"

#include <bulkhead/errno.h>

#include "arch/x86/cpu.h"
#include "arch/x86/cpuid_filter.h"
#include "kernel/channel.h"
#include "kernel/hypercall.h"
#include "kernel/log.h"
#include "lib/format.h"

int guest_exit_hypercall(struct vm *vm, struct guest_regs *r, bool user)
{
	struct hypercall hc = {
		.nr = r->rax,
		.arg = { r->rdi, r->rsi, r->rdx, r->r10, r->r8, r->r9 },
	};
	enum hc_next next = HC_RESUME;

	/* Hypercalls belong to the guest kernel (docs/hypercalls.md). */
	int64_t ret = user ? -BH_EPERM : hypercall_dispatch(vm, &hc, &next);
	switch (next) {
	case HC_RESUME: r->rax = (uint64_t)ret; return EXIT_RESUME;
	case HC_YIELD:  r->rax = (uint64_t)ret; return RUN_YIELD;
	case HC_WAIT:   return RUN_WAIT;
	case HC_STOP:   return RUN_STOPPED;
	}
	return RUN_STOPPED;
}

void guest_exit_cpuid(struct vm *vm, struct guest_regs *r)
{
	uint32_t leaf = (uint32_t)r->rax, sub = (uint32_t)r->rcx;
	struct cpuid_regs host = cpuid(leaf, sub);
	struct cpuid_regs v = cpuid_guest_view(leaf, sub, &host, vm->id);

	r->rax = v.eax;
	r->rbx = v.ebx;
	r->rcx = v.ecx;
	r->rdx = v.edx;
}

int guest_exit_hlt(struct vm *vm)
{
	/* No CPU is spent until an event arrives. */
	vm->state = VM_WAITING;
	vm->wait_deadline = UINT64_MAX;
	vm->hlt_wait = true;
	return RUN_WAIT;
}

bool guest_msr_read(uint32_t msr, uint64_t efer, uint64_t pat, uint64_t *value)
{
	switch (msr) {
	case MSR_IA32_TSC:  *value = rdtsc(); return true;
	case MSR_IA32_EFER: *value = efer;    return true;
	case MSR_IA32_PAT:  *value = pat;     return true;
	default:            return false;
	}
}

void guest_describe_msr(char *buf, size_t size, uint32_t msr, bool write)
{
	bh_snprintf(buf, size, "%s of MSR 0x%x refused", write ? "WRMSR" : "RDMSR", msr);
}

void guest_describe_io(char *buf, size_t size, uint16_t port, bool in,
                       unsigned bytes, bool string)
{
	bh_snprintf(buf, size, "I/O port 0x%x %s (%u bytes%s) denied", (unsigned)port,
	            in ? "read" : "write", bytes, string ? ", string" : "");
}

void guest_describe_violation(char *buf, size_t size, const struct vm *vm, const char *table,
                              bool write, bool exec, uint64_t gpa)
{
	const char *channel = channel_taken_at(vm, gpa);
	bh_snprintf(buf, size, "%s violation: %s at guest-physical 0x%llx%s%s%s", table,
	            exec ? "execute" : write ? "write" : "read", (unsigned long long)gpa,
	            channel ? ", in channel " : "", channel ? channel : "",
	            channel ? ", unmapped: its peer is gone" : "");
}

void guest_log_refusal(struct vm *vm, const char *what, uint64_t rip)
{
	if (vm_log_allowed(vm))
		kprintf("vm %s: %s: #GP injected, rip 0x%llx\n", vm->name, what,
		        (unsigned long long)rip);
}

int guest_contain(struct vm *vm, const char *what, uint64_t rip)
{
	vm_stop(vm, "%s at rip 0x%llx", what, (unsigned long long)rip);
	return RUN_STOPPED;
}
