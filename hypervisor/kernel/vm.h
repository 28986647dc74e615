/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The VM object (docs/design.md, "Objects the kernel knows"): one vCPU for now,
 * its memory as one contiguous host range mapped at guest-physical 0 by its
 * EPT and nowhere else, a state, and CPU-time accounting. Generic; the CPU
 * back end's state (VT-x or AMD-V) hangs off `arch`.
 */
#ifndef KERNEL_VM_H
#define KERNEL_VM_H

#include <stdbool.h>
#include <stdint.h>

#include <bulkhead/hypercall.h>

#include "kernel/log_limit.h"
#include "lib/byte_fifo.h"

struct frame_alloc;

#define VM_NAME_MAX 32   /* bytes including the NUL (= BH_POLICY_NAME_MAX) */

/* What runs in a VM. A Linux VM is a pair (kernel/linux_vm.h): the guest,
 * which makes no hypercalls and whose exits that need emulation go to its
 * monitor, a native VM the kernel creates with it (docs/monitor.md). */
enum vm_kind {
	VM_KIND_NATIVE = 0,   /* an app built against the runtime */
	VM_KIND_LINUX,        /* a stock Linux kernel, booted through PVH */
	VM_KIND_MONITOR,      /* the monitor of a Linux guest */
};

struct bh_monitor_page;

/* What the policy says a VM is (one struct bh_policy_vm, resolved by
 * vm_config_from_policy, kernel/vm_config.h). */
struct vm_config {
	const char *name;
	const char *image;        /* bundle file name */
	uint64_t memory;          /* bytes, multiple of 2 MiB */
	uint32_t rights;          /* BH_POLICY_RIGHT_* */
	uint32_t budget_us;       /* CPU budget per period; 0: best effort */
	uint32_t period_us;
	uint32_t cpu_ppm;         /* the budget's share of the CPU, ppm */
	uint32_t policy_line;     /* where the policy declares it */
	uint32_t policy_index;    /* its declaration's index in the policy */
	bool control;             /* a boot VM of kind control: owns the console */
	struct vm *launched_by;   /* NULL for a boot VM */
	enum vm_kind kind;        /* VM_KIND_LINUX: no image; starts at reset */
	uint64_t monitor_memory;  /* a Linux VM's monitor's, bytes; else 0 */
	/* The CPU it is pinned to (policy "cpu N"), or VM_CPU_ANY; vm_place
	 * turns VM_CPU_ANY into the CPU chosen for it. */
	uint32_t cpu;
};

#define VM_CPU_ANY 0xffffffffu   /* = BH_POLICY_CPU_ANY */

enum vm_state {
	VM_FREE = 0,      /* being created: not yet a VM */
	VM_RUNNABLE,      /* wants the CPU */
	VM_WAITING,       /* in BH_HC_WAIT or HLT: costs no CPU until an event or its deadline */
	VM_STOPPED,       /* exited or contained; holds its memory until vm_reap */
};

/* A channel this VM holds: its handle is the index in vm->chan. */
struct vm_channel {
	uint32_t index;   /* into the kernel's channel table */
	uint8_t end;      /* 0 or 1: which end of it this VM is */
};

struct vm {
	unsigned id;                  /* the smallest not held by another record; 0 is never a VM */
	char name[VM_NAME_MAX];
	enum vm_state state;
	struct vm *next;              /* the VM list, in id order (kernel/vm_table.h) */
	/* Where its memory and the kernel's records of it (this one, the
	 * vCPU, VMCS or VMCB, EPT or NPT) come from: the run-time pool for a
	 * launched VM, the general allocator for a boot VM (mm/pool.h). */
	struct frame_alloc *frames;
	struct vm *due_next;          /* the chain sched_due_waiters returns */
	/* The CPU it runs on, for good (kernel/vm_cpu.h): only that CPU runs
	 * it, changes its vCPU state, and releases it once it stopped. */
	unsigned cpu;
	bool released;                /* stopped, and unreachable from its CPU */
	bool reaping;                 /* vm_reap is scrubbing it, the lock let go between pieces */

	uint64_t mem_hpa;             /* host-physical base, 2 MiB aligned */
	uint64_t mem_size;            /* bytes, multiple of 2 MiB */

	uint64_t events;              /* pending event bits, cleared by BH_HC_WAIT */
	uint64_t gone_told;           /* channel GONE bits a wait returned (kernel/channel.h) */
	uint64_t wait_deadline;       /* TSC value; UINT64_MAX = no deadline */
	bool hlt_wait;                /* waiting in HLT, not in a hypercall */

	uint32_t rights;              /* hypercall rights, BH_POLICY_RIGHT_* */
	uint32_t policy_line;
	uint32_t policy_index;        /* its declaration in the policy */
	bool control;                 /* the control VM: owns the console */
	uint32_t cpu_ppm;             /* its CPU budget's share, for launch admission */
	struct vm *launched_by;       /* the launcher, or NULL for a boot VM */
	uint64_t kernel_bytes;        /* kernel memory it costs (VMCS, EPT, ...) */
	uint64_t created_tsc;         /* when vm_create began: for launch latency */
	bool said_anything;           /* has written to the console yet */
	struct log_limit refusal_limit;   /* lines about its refusals (vm_log_allowed) */
	struct log_limit console_limit;   /* its console bytes (vm_console_write) */
	uint64_t console_dropped_bytes;   /* not taken, since last reported */

	/* CPU budget: budget cycles in every period; budget 0 = best effort. */
	uint64_t budget_tsc, period_tsc;
	uint64_t period_start, period_used;

	uint64_t cpu_tsc;             /* TSC cycles it held the CPU (guest + exit handling) */
	uint64_t exits;               /* VM exits taken */
	uint64_t exits_by_kind[BH_EXIT_KINDS];   /* a Linux guest's, by cause */
	int64_t exit_status;          /* BH_HC_EXIT's argument, once stopped */

	struct vm_channel chan[30];   /* BH_CHANNELS_PER_VM */
	uint32_t nchan;

	struct byte_fifo input;       /* console input for it (kernel/console_attach.h) */
	uint8_t input_buf[BH_CONSOLE_INPUT_QUEUE];
	char line[160];               /* console output awaiting its newline */
	uint32_t line_len;

	/* A Linux pair (kernel/linux_vm.h, kernel/monitor.h). */
	enum vm_kind kind;
	struct vm *pair;              /* the guest's monitor, or the monitor's guest */
	struct bh_monitor_page *mon_page;   /* the pair's exit page, kernel address */
	bool awaiting_monitor;        /* a guest whose exit waits for the answer */

	void *arch;                   /* the CPU back end's vCPU state, opaque here */
};

/* What an exit leaves for the scheduler to do (returned by arch_vm_run). */
enum vm_run_result {
	RUN_PREEMPTED,    /* slice used up or interrupt: pick the next VM */
	RUN_YIELD,        /* the VM gave up the CPU */
	RUN_WAIT,         /* the VM waits (state is VM_WAITING) */
	RUN_STOPPED,      /* the VM was stopped (state is VM_STOPPED) */
};

/* The VM list: every record, live or stopped, in id order. */
extern struct vm *vm_first;

/* The list records of launched VMs whose own records are freed
 * (kernel/vm_history.h). */
struct vm_history;
extern struct vm_history vm_past;

/* v's record for BH_HC_VM_LIST. */
struct bh_vm_stat;
void vm_list_record(const struct vm *v, struct bh_vm_stat *s);

/* Runs the statement after it for each VM record v, in id order. The body
 * must not free v, nor let the kernel lock go (vm_reap lets it go, and
 * another CPU may free records meanwhile: a body that calls it leaves the
 * walk at once, as vm_reap_stopped does). */
#define vm_for_each(v) for (struct vm *v = vm_first; v; v = v->next)

/* The record with this id, live or stopped, or NULL. */
struct vm *vm_by_id(unsigned id);

/* A live VM is runnable or waiting: it has not stopped and may run again.
 * Only live VMs hold their name (a stopped one's may be taken again), count
 * toward the CPU budgets, and can be a channel's end. */
static inline bool vm_is_live(const struct vm *v)
{
	return v->state == VM_RUNNABLE || v->state == VM_WAITING;
}

/* The live VM called name in the list from first, or NULL
 * (kernel/vm_live.c, pure). At most one live VM has a given name. */
struct vm *vm_find_live(const struct vm *first, const char *name);

/* Set by vm_stop: some stopped VM still holds resources to reap. */
extern bool vm_reap_pending;

/* VMs with a CPU budget, created and not yet reaped: while there are none
 * the scheduler need not look for one. */
extern unsigned vm_budgeted_count;

/*
 * Builds a VM as the policy describes it, from its ELF image: memory from
 * the frame allocator (zeroed), image loaded, start-info page and guest page
 * tables written, arch state (EPT, VMCS) set up; the VM is left runnable. On
 * any failure logs why, frees what it took, and returns a negative error.
 */
int vm_create(const struct vm_config *c, const void *image, uint64_t image_size);

/*
 * Stops the VM for good (logging why): it never runs again. What it holds
 * (memory, EPT, VMCS, channels) stays until the scheduler calls vm_reap,
 * outside any exit handler; vm_reap_pending says one is due.
 */
void vm_stop(struct vm *vm, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/*
 * Releases what a stopped VM holds: its VT-x or AMD-V state and EPT or NPT, and its memory,
 * scrubbed before it returns to the frame allocator. The record stays,
 * VM_STOPPED, so the VM can still be listed, until vm_reap_stopped frees
 * it. The scrub lets the kernel lock go between 1 MiB pieces (marked
 * vm->reaping meanwhile), so the other CPUs' exits wait for one piece, not
 * for all of a large VM: the caller must expect anything else to have
 * changed when it returns.
 */
void vm_reap(struct vm *vm);

/* Reaps every stopped VM that still holds resources (vm_reap), then frees
 * the records of reaped launched VMs, keeping their list records in
 * vm_past (kernel/vm_history.h): a launched VM costs the pool nothing once
 * reaped. Records stay that are still named as a launcher (launched_by),
 * and boot VMs' (one per boot declaration; channels name them). Called
 * by the scheduler between runs. */
void vm_reap_stopped(void);

/* ---- vm_console.c: what a VM makes the kernel log ---------------------- */

/*
 * Whether a log line the VM causes without being stopped (a refused access)
 * may be written now: a few at once, then one a second (kernel/log_limit.h),
 * and only while the console keeps up (log_vm_room). When one may after
 * some were held back, first logs "vm NAME: N messages about refused
 * accesses suppressed".
 */
bool vm_log_allowed(struct vm *vm);

/*
 * Guest console output (BH_HC_CONSOLE_WRITE by a VM that does not own the
 * console): takes up to VM_CONSOLE_CHUNK bytes of s, so one call's work is
 * bounded, and logs each whole line as "NAME: text" while the console
 * keeps up. While the console is attached to the VM (kernel/console_attach.h)
 * the text that has no newline yet is logged too at the end of each write,
 * as "NAME+ text" (VM_CONSOLE_PARTIAL): a reader that joins a VM's partial
 * lines to the next line of it has the VM's text as written. A write
 * beyond the VM's allowance (CONSOLE_LIMIT_*) is dropped whole, unread.
 * Returns the bytes taken: dropped or not, min(len, chunk) or len.
 */
#define VM_CONSOLE_CHUNK 1024
uint64_t vm_console_write(struct vm *vm, const char *s, uint64_t len);

/* What follows a VM's name in a partial line: not ": ", and no name
 * (a-z 0-9 _ -) has a "+". */
#define VM_CONSOLE_PARTIAL "+ "

/* Logs the VM's pending text, if any, as a partial line. */
void vm_console_flush_partial(struct vm *vm);

/* Logs the stopping VM's partial line and what was held back from it. */
void vm_console_stopped(struct vm *vm);

/* The TSC value from which a VM's held-back lines can be reported (the
 * earliest of their buckets to be full again), UINT64_MAX if none are
 * held back: the scheduler calls vm_report_held_back once it has passed,
 * so a flood costs its passes one comparison. */
extern uint64_t vm_held_back_due;

/* Reports, for each VM whose flood has ended by TSC value now (its bucket
 * is full again), how many lines were held back. */
void vm_report_held_back(uint64_t now);

#endif
