/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What a VM makes the kernel log without being stopped: its console text,
 * as whole lines "NAME: text" (and, while the console is attached to it,
 * partial ones "NAME+ text", kernel/console_attach.h), and the lines about its refused accesses.
 * Both are rate-limited per VM (kernel/log_limit.h), and taken only while
 * the console keeps up (log_vm_printf, kernel/log.h), so no VM can take
 * the line from the kernel's events or from other VMs. What is held back
 * is counted and reported in one line once the flood is over.
 */
#include "kernel/vm.h"

#include "arch/time.h"
#include "kernel/console_attach.h"
#include "kernel/log.h"

uint64_t vm_held_back_due = UINT64_MAX;

/* The limits in TSC cycles, converted once: a conversion divides, and a
 * flooding VM comes here often. */
static uint64_t refusal_interval, console_byte_cost;

static void convert_limits(void)
{
	if (refusal_interval)
		return;
	refusal_interval = arch_ns_to_tsc(LOG_LIMIT_INTERVAL_NS);
	console_byte_cost = arch_ns_to_tsc(1000000000ull / CONSOLE_LIMIT_BYTES_PER_SEC);
}

static void report_refusals(struct vm *vm)
{
	if (vm->refusal_limit.suppressed)
		kprintf("vm %s: %llu messages about refused accesses suppressed\n", vm->name,
		        (unsigned long long)vm->refusal_limit.suppressed);
	vm->refusal_limit.suppressed = 0;
}

static void report_console_drops(struct vm *vm)
{
	if (vm->console_dropped_bytes)
		kprintf("vm %s: %llu bytes of console output dropped: it wrote faster than "
		        "the console takes\n", vm->name,
		        (unsigned long long)vm->console_dropped_bytes);
	vm->console_dropped_bytes = 0;
}

/* Something of vm was held back: report it once limit's bucket is full. */
static void held_back(const struct log_limit *limit)
{
	if (limit->full_at < vm_held_back_due)
		vm_held_back_due = limit->full_at;
}

/* Counts bytes the console did not take, for report_console_drops. */
static void drop(struct vm *vm, uint64_t bytes)
{
	vm->console_dropped_bytes += bytes;
	held_back(&vm->console_limit);
}

/* Logs the VM's pending line (an empty one too) unless the console is too
 * far behind; then it is only counted. */
static void emit_line(struct vm *vm)
{
	bool taken = vm->line_len
	             ? log_vm_printf("%s: %.*s\n", vm->name, (int)vm->line_len, vm->line)
	             : log_vm_printf("%s:\n", vm->name);
	if (!taken)
		drop(vm, vm->line_len + 1);
	vm->line_len = 0;
}

void vm_console_flush_partial(struct vm *vm)
{
	if (!vm->line_len)
		return;
	if (!log_vm_printf("%s" VM_CONSOLE_PARTIAL "%.*s\n", vm->name, (int)vm->line_len,
	                   vm->line))
		drop(vm, vm->line_len);
	vm->line_len = 0;
}

/* Whether a control character of an attached VM's text is passed: the
 * ones a shell's line editing moves the cursor with. Escape sequences
 * never are. */
static bool attached_control(char c)
{
	return c == '\r' || c == '\b' || c == '\a';
}

uint64_t vm_console_write(struct vm *vm, const char *s, uint64_t len)
{
	uint64_t n = len < VM_CONSOLE_CHUNK ? len : VM_CONSOLE_CHUNK;

	if (!vm->said_anything && len) {
		/* Launch latency, for make bench (docs/benchmarks.md). */
		vm->said_anything = true;
		kprintf("vm %s: first output %llu cycles after its creation began\n", vm->name,
		        (unsigned long long)(arch_tsc() - vm->created_tsc));
	}
	convert_limits();
	if (!log_limit_allow(&vm->console_limit, arch_tsc(), n * console_byte_cost,
	                     CONSOLE_LIMIT_BURST_BYTES * console_byte_cost)) {
		/* Over its allowance: the whole write is dropped unread, so a
		 * VM that floods costs the kernel next to nothing. */
		drop(vm, len);
		return len;
	}
	bool attached = console_is_attached(vm);
	for (uint64_t i = 0; i < n; i++) {
		char c = s[i];
		if (c == '\n') {
			emit_line(vm);
			continue;
		}
		/* Guest text must not drive the user's terminal: no control
		 * characters or escape sequences reach the console, but for
		 * the cursor moves of the one the user attached to. */
		if (((unsigned char)c < 0x20 || (unsigned char)c >= 0x7f) &&
		    !(attached && attached_control(c)))
			c = (c == '\t') ? ' ' : '?';
		vm->line[vm->line_len++] = c;
		if (vm->line_len == sizeof(vm->line)) {
			if (attached)
				vm_console_flush_partial(vm);   /* invents no newline */
			else
				emit_line(vm);
		}
	}
	if (attached)
		vm_console_flush_partial(vm);   /* a prompt is shown at once */
	return n;
}

void vm_console_stopped(struct vm *vm)
{
	if (vm->line_len)
		emit_line(vm);
	console_attach_vm_stopped(vm);
	report_refusals(vm);
	report_console_drops(vm);
}

bool vm_log_allowed(struct vm *vm)
{
	convert_limits();
	if (!log_limit_allow(&vm->refusal_limit, arch_tsc(), refusal_interval,
	                     LOG_LIMIT_BURST * refusal_interval))
		goto held_back;
	if (!log_vm_room(LOG_LINE_MAX)) {
		vm->refusal_limit.suppressed++;   /* the console is behind */
		goto held_back;
	}
	report_refusals(vm);
	return true;
held_back:
	held_back(&vm->refusal_limit);
	return false;
}

void vm_report_held_back(uint64_t now)
{
	vm_held_back_due = UINT64_MAX;
	vm_for_each(vm) {
		if (vm->refusal_limit.suppressed) {
			if (log_limit_full(&vm->refusal_limit, now))
				report_refusals(vm);
			else
				held_back(&vm->refusal_limit);
		}
		if (vm->console_dropped_bytes) {
			if (log_limit_full(&vm->console_limit, now))
				report_console_drops(vm);
			else
				held_back(&vm->console_limit);
		}
	}
}
