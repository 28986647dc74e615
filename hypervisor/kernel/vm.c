/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * VM creation from a configuration (kernel/vm_config.h), stopping and
 * reaping (console output: kernel/vm_console.c). Creation validates
 * everything (image, memory) before it takes anything, and gives back all
 * it took if a later step fails. A VM's record is pages of its own frame
 * source (vm->frames) on the VM list (kernel/vm_table.h), not a table slot.
 */
#include "kernel/vm.h"

#include <stdarg.h>

#include <bulkhead/errno.h>
#include <bulkhead/guest_abi.h>
#include <bulkhead/hypercall.h>
#include <bulkhead/policy_blob.h>

#include "arch/smp.h"
#include "arch/time.h"
#include "arch/virt.h"
#include "boot/elf64.h"
#include "kernel/channel.h"
#include "kernel/device.h"
#include "kernel/console_in.h"
#include "kernel/kernel_lock.h"
#include "kernel/linux_vm.h"
#include "kernel/log.h"
#include "kernel/vm_copy.h"
#include "kernel/vm_cpu.h"
#include "kernel/vm_history.h"
#include "kernel/vm_table.h"
#include "lib/format.h"
#include "lib/string.h"
#include "mm/phys.h"
#include "mm/pool.h"
#include "mm/records.h"

#define TWO_MIB (2ull << 20)

struct vm *vm_first;
bool vm_reap_pending;
unsigned vm_budgeted_count;
struct vm_history vm_past;
_Static_assert(BH_POLICY_NAME_MAX == VM_NAME_MAX, "policy and kernel agree on name length");
_Static_assert(sizeof(((struct vm *)0)->chan) / sizeof(((struct vm *)0)->chan[0]) == BH_CHANNELS_PER_VM,
               "a VM's channel list holds what the ABI allows");

#define SCRUB_CHUNK (1ull << 20)

/*
 * Zeroes all of vm's memory. Up to 1 GiB takes long enough for the UART's
 * 16-byte receive FIFO to overflow, so the console's input is drained
 * between 1 MiB pieces (kernel/console_in.h). With pass_lock the kernel
 * lock is let go between pieces too (vm_reap): nobody reaches the memory
 * any more, and the other CPUs' exits should not wait for all of it.
 */
static void scrub(struct vm *vm, bool pass_lock)
{
	for (uint64_t off = 0; off < vm->mem_size; off += SCRUB_CHUNK) {
		uint64_t n = vm->mem_size - off < SCRUB_CHUNK ? vm->mem_size - off : SCRUB_CHUNK;
		memset(vm_guest_buffer(vm, off, n), 0, n);
		console_in_poll();
		if (pass_lock)
			kernel_lock_pass();
	}
}

/* Boot VMs' memory comes from the general allocator, launched VMs' only
 * from the run-time pool (mm/pool.h). */
static struct frame_alloc *memory_source(const struct vm *launched_by)
{
	return launched_by ? &pool_frames : &phys_frames;
}

struct vm *vm_by_id(unsigned id)
{
	return vm_table_find(vm_first, id);
}

/* A zeroed record from `from`, not yet on the list; NULL if it has no page. */
static struct vm *vm_record_alloc(struct frame_alloc *from)
{
	struct vm *vm = record_alloc(from, sizeof(*vm));
	if (vm)
		vm->frames = from;
	return vm;
}

static void vm_record_free(struct vm *vm)
{
	record_free(vm->frames, vm, sizeof(*vm));
}

static void write_start_info(struct vm *vm, uint64_t image_end)
{
	struct bh_start_info *si = vm_guest_buffer(vm, BH_GUEST_START_INFO, sizeof(*si));
	si->magic = BH_START_INFO_MAGIC;
	si->version = BH_START_INFO_VERSION;
	si->vm_id = vm->id;
	memcpy(si->name, vm->name, sizeof(si->name));
	si->mem_size = vm->mem_size;
	si->image_end = image_end;
	si->stack_top = vm->mem_size;
	si->stack_size = BH_GUEST_STACK_SIZE;
	si->tsc_hz = arch_tsc_hz();
}

static uint64_t page_down(uint64_t a) { return a & ~(PAGE_SIZE - 1); }
static uint64_t page_up(uint64_t a) { return (a + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1); }

/*
 * The guest's own page tables give each segment its ELF rights: text
 * read+execute, read-only data read-only, the rest read+write, never
 * executable. Returns the PML4's address, or 0 if segments share a page
 * with different rights.
 */
static uint64_t build_guest_paging(struct vm *vm, const struct elf64_info *info)
{
	struct guest_range exec[ELF64_MAX_SEGMENTS], ro[ELF64_MAX_SEGMENTS + 1];
	int nexec = 0, nro = 0;

	ro[nro++] = (struct guest_range){ BH_GUEST_START_INFO, BH_GUEST_START_INFO + PAGE_SIZE };
	for (unsigned i = 0; i < info->nsegments; i++) {
		const struct elf64_segment *s = &info->segments[i];
		struct guest_range r = { page_down(s->addr), page_up(s->addr + s->memsz) };
		if (s->flags & ELF64_PF_X)
			exec[nexec++] = r;
		else if (!(s->flags & ELF64_PF_W))
			ro[nro++] = r;
	}
	return arch_guest_build_paging(vm, exec, nexec, ro, nro);
}

/* ", cpu N" for the created line where there is more than one CPU. */
static const char *cpu_note(const struct vm *vm)
{
	static char text[16];
	if (arch_cpu_count() == 1)
		return "";
	bh_snprintf(text, sizeof(text), ", cpu %u", vm->cpu);
	return text;
}

int vm_create(const struct vm_config *c, const void *image, uint64_t image_size)
{
	uint64_t start_tsc = arch_tsc();
	struct elf64_info info;
	const char *why;

	if (strnlen(c->name, VM_NAME_MAX) >= VM_NAME_MAX || c->memory < TWO_MIB ||
	    c->memory % TWO_MIB || c->memory > BH_GUEST_MEM_MAX) {
		kprintf("vm %s: not started: bad name or memory size\n", c->name);
		return -BH_EINVAL;
	}
	bool is_linux = c->kind == VM_KIND_LINUX;   /* no image: its monitor loads it */
	const struct elf64_limits lim = {
		.min_addr = BH_GUEST_IMAGE_BASE,
		.max_addr = c->memory - BH_GUEST_STACK_SIZE < BH_GUEST_IMAGE_LIMIT
		            ? c->memory - BH_GUEST_STACK_SIZE : BH_GUEST_IMAGE_LIMIT,
	};
	if (!is_linux && elf64_check(image, image_size, &lim, &info, &why)) {
		kprintf("vm %s: not started: image %s rejected: %s\n", c->name, c->image, why);
		return -BH_EINVAL;
	}
	struct frame_alloc *from = memory_source(c->launched_by);
	const char *where = c->launched_by ? " in the run-time pool" : "";
	struct vm *vm = vm_record_alloc(from);
	if (!vm) {
		kprintf("vm %s: not started: no page left for its VM record%s\n", c->name, where);
		return -BH_ENOMEM;
	}
	uint64_t mem = frame_alloc(from, c->memory / PAGE_SIZE, TWO_MIB / PAGE_SIZE);
	if (!mem) {
		kprintf("vm %s: not started: no %llu MiB of contiguous memory left%s\n",
		        c->name, (unsigned long long)(c->memory >> 20), where);
		vm_record_free(vm);
		return -BH_ENOMEM;
	}

	vm->mem_hpa = mem;
	vm->mem_size = c->memory;
	/* Zeroed before the record is in the table, where no CPU sees it: a
	 * launched VM's zeroing lets the kernel lock go between pieces, so
	 * the other CPUs' exits do not wait for all of a large VM. Not a boot
	 * VM's (the other CPUs would start running the boot VMs made so far
	 * before the channels are set up), nor a monitor's (its guest,
	 * already in the table, must not run before it exists). The checks
	 * made before (the name, the quota, the CPU) stay true meanwhile:
	 * launches come only from the one control VM, this call is its only
	 * one in flight, and no other CPU stops it (it stops only itself). */
	scrub(vm, c->launched_by && c->kind != VM_KIND_MONITOR);
	vm_table_insert(&vm_first, vm, &vm_past);
	memcpy(vm->name, c->name, strlen(c->name) + 1);
	vm->created_tsc = start_tsc;
	vm->rights = c->rights;
	vm->policy_line = c->policy_line;
	vm->policy_index = c->policy_index;
	vm->control = c->control;
	vm->cpu_ppm = c->cpu_ppm;
	vm->cpu = c->cpu == VM_CPU_ANY ? 0 : c->cpu;
	vm->launched_by = c->launched_by;
	if (c->budget_us) {
		vm->budget_tsc = arch_ns_to_tsc(c->budget_us * 1000ull);
		vm->period_tsc = arch_ns_to_tsc(c->period_us * 1000ull);
	}
	vm->kind = c->kind;
	struct arch_guest_start start = { .pvh = true };
	uint64_t cr3 = 1;   /* a Linux guest builds its own page tables */
	if (!is_linux) {
		elf64_load(image, image_size, &info, vm_guest_buffer(vm, 0, vm->mem_size), 0);
		write_start_info(vm, page_up(info.image_end));
		cr3 = build_guest_paging(vm, &info);
		start = (struct arch_guest_start){
			.rip = info.entry, .rsp = vm->mem_size, .rdi = BH_GUEST_START_INFO, .cr3 = cr3,
		};
	}
	int rc = cr3 ? arch_vm_setup(vm, &start) : -BH_EINVAL;
	if (!rc && c->kind != VM_KIND_MONITOR) {
		rc = devices_vm_created(vm);   /* logs why it failed */
		if (rc) {
			arch_vm_teardown(vm);
			scrub(vm, false);
			frame_free(from, mem, vm->mem_size / PAGE_SIZE);
			vm_table_remove(&vm_first, vm);
			vm_record_free(vm);
			return rc;
		}
	}
	if (rc) {
		kprintf("vm %s: not started: %s%s (error %d)\n", c->name,
		        !cr3 ? "its segments share pages with different rights" :
		        rc == -BH_ENOMEM ? "no memory for its vCPU, VMCS or EPT" :
		        "its vCPU could not be set up", rc == -BH_ENOMEM ? where : "", rc);
		scrub(vm, false);
		frame_free(from, mem, vm->mem_size / PAGE_SIZE);
		vm_table_remove(&vm_first, vm);
		vm_record_free(vm);
		return rc;
	}
	vm->state = VM_RUNNABLE;
	/* A Linux guest's loader is not done with it yet (linux_vm.c). */
	if (!is_linux)
		arch_vm_hand_over(vm);
	vm_kick(vm);   /* its CPU may be idle with nothing to wait for */
	if (vm->budget_tsc)
		vm_budgeted_count++;
	vm->kernel_bytes = arch_vm_kernel_bytes(vm) + RECORD_PAGES_FOR(sizeof(*vm)) * PAGE_SIZE;
	if (is_linux)
		kprintf("vm %s: created: id %u, %llu MiB at host 0x%llx, at reset (policy line %u%s)\n",
		        vm->name, vm->id, (unsigned long long)(vm->mem_size >> 20),
		        (unsigned long long)vm->mem_hpa, vm->policy_line, cpu_note(vm));
	else
		kprintf("vm %s: created: id %u, %llu MiB at host 0x%llx, entry 0x%llx (policy line %u%s)\n",
		        vm->name, vm->id, (unsigned long long)(vm->mem_size >> 20),
		        (unsigned long long)vm->mem_hpa, (unsigned long long)info.entry, vm->policy_line,
		        cpu_note(vm));
	return 0;
}

void vm_stop(struct vm *vm, const char *fmt, ...)
{
	char why[160];
	va_list ap;

	va_start(ap, fmt);
	bh_vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	vm_console_stopped(vm);
	vm->state = VM_STOPPED;
	/* Its CPU releases it (it may be running it right now: the kick
	 * makes it exit at once); only then is it reaped. */
	vm_release_request(vm);
	arch_cpu_kick(0);   /* the boot CPU powers off once no VM can run */
	if (vm->control)
		log_console_take_back();   /* nobody shows the log any more */
	kprintf("vm %s: stopped: %s\n", vm->name, why);
	channels_vm_stopped(vm);
	/* A Linux guest and its monitor live and die together. */
	if (vm->pair && vm_is_live(vm->pair))
		vm_stop(vm->pair, "its %s stopped", vm->kind == VM_KIND_MONITOR ? "monitor" : "guest");
}

static uint32_t list_state(const struct vm *v)
{
	return v->state == VM_STOPPED ? BH_VM_STOPPED :
	       v->state == VM_WAITING ? BH_VM_WAITING : BH_VM_RUNNING;
}

void vm_list_record(const struct vm *v, struct bh_vm_stat *s)
{
	*s = (struct bh_vm_stat){
		.id = v->id, .state = list_state(v), .memory = v->mem_size,
		.cpu_ns = arch_tsc_to_ns(v->cpu_tsc), .exits = v->exits,
		.exit_status = v->exit_status, .policy_line = v->policy_line,
		.launched = v->launched_by != NULL,
		.age_ns = arch_tsc_to_ns(arch_tsc() - v->created_tsc),
	};
	memcpy(s->exits_by_kind, v->exits_by_kind, sizeof(s->exits_by_kind));
	memcpy(s->name, v->name, sizeof(s->name));
}

/* Frees the records vm_table_expired allows, their list records kept. */
static void forget_expired(void)
{
	struct vm *old;
	while ((old = vm_table_expired(vm_first))) {
		struct bh_vm_stat s;
		vm_list_record(old, &s);
		vm_history_add(&vm_past, &s);
		vm_table_remove(&vm_first, old);
		vm_record_free(old);
	}
}

void vm_reap_stopped(void)
{
again:
	vm_for_each(v) {
		if (v->state == VM_STOPPED && v->mem_hpa && !v->reaping && v->released &&
		    (!v->pair || v->pair->released)) {
			vm_reap(v);
			goto again;   /* the lock was let go: the list may have changed */
		}
	}
	forget_expired();
}

void vm_reap(struct vm *vm)
{
	/* Reaped, or being reaped by another CPU that let the lock go. */
	if (!vm->mem_hpa || vm->reaping)
		return;
	/* From here the lock goes only in the scrubs (a Linux guest's
	 * monitor's first), each after everything that reaches that memory
	 * is gone; meanwhile no CPU reaps this VM again. */
	vm->reaping = true;
	/* Its devices stop reaching its memory before anything is freed,
	 * and are free to be granted again before the first lock pass (a
	 * launch typed right behind the stop takes them). */
	devices_vm_reaped(vm);
	/* A monitor maps its guest's memory: it goes first, so no mapping
	 * outlives the memory it reaches (one another CPU is scrubbing has
	 * no mapping left: its EPT went before its scrub began). */
	if (vm->kind == VM_KIND_LINUX && vm->pair)
		vm_reap(vm->pair);
	arch_vm_teardown(vm);
	linux_vm_reaped(vm);
	channels_vm_reaped(vm);
	/* The monitor is reaped now, or being reaped by another CPU with its
	 * EPT gone: the pointers go before the lock does, as a reaped
	 * monitor's record may be freed by any CPU from the first pass on. */
	if (vm->kind == VM_KIND_LINUX && vm->pair) {
		vm->pair->pair = NULL;
		vm->pair = NULL;
	}
	/* Scrubbed before reuse: nothing of this tenant reaches the next.
	 * Nothing reaches it now, nor reaps it again (reaping): the lock
	 * may go between pieces. */
	scrub(vm, true);
	frame_free(vm->frames, vm->mem_hpa, vm->mem_size / PAGE_SIZE);
	vm->mem_hpa = 0;
	vm->reaping = false;
	if (vm->budget_tsc)
		vm_budgeted_count--;
	kprintf("vm %s: reclaimed (%llu MiB, %llu exits, %llu cycles on the CPU)\n", vm->name,
	        (unsigned long long)(vm->mem_size >> 20), (unsigned long long)vm->exits,
	        (unsigned long long)vm->cpu_tsc);
	if (vm->kind == VM_KIND_LINUX) {
		const uint64_t *k = vm->exits_by_kind;
		kprintf("vm %s: exits by kind: io %llu, mmio %llu, hlt %llu, cpuid %llu, msr %llu, "
		        "cr %llu, window %llu, preempt %llu, other %llu\n", vm->name,
		        (unsigned long long)k[BH_EXIT_KIND_IO], (unsigned long long)k[BH_EXIT_KIND_MMIO],
		        (unsigned long long)k[BH_EXIT_KIND_HLT], (unsigned long long)k[BH_EXIT_KIND_CPUID],
		        (unsigned long long)k[BH_EXIT_KIND_MSR], (unsigned long long)k[BH_EXIT_KIND_CR],
		        (unsigned long long)k[BH_EXIT_KIND_WINDOW],
		        (unsigned long long)k[BH_EXIT_KIND_PREEMPT], (unsigned long long)k[BH_EXIT_KIND_OTHER]);
	}
}
