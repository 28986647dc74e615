/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Hypercall numbers and limits: the single definition shared by the kernel
 * and the guest runtime. Specified in docs/hypercalls.md, which a host
 * test (tests/hypervisor/kernel/hypercall_doc_test.c) holds to the list
 * below.
 *
 * Calling convention (native app VMs, guest CPL 0 only):
 *   instruction  VMCALL
 *   number       RAX
 *   arguments    RDI, RSI, RDX, R10, R8, R9   (Linux syscall order)
 *   result       RAX: >= 0 success, < 0 a negated BH_E* (bulkhead/errno.h)
 *   preserved    every other register, RFLAGS and the x87/SSE state
 * Unused argument registers are ignored. Every call validates all of its
 * arguments before it changes anything: a call that fails has no effect.
 * A number that is not assigned, including the reserved ones, returns
 * -BH_ENOSYS. A call from guest CPL > 0 returns -BH_EPERM.
 */
#ifndef BULKHEAD_HYPERCALL_H
#define BULKHEAD_HYPERCALL_H

#include <stdint.h>

/*
 * The hypercall list, the one place each call is written down:
 *   X(number, NAME, handler, right)
 * number   the ABI number: never changes once assigned;
 * NAME     the call is BH_HC_NAME; an X may use it only with # or ##
 *          (NULL is a macro);
 * handler  the kernel function that performs it (kernel/hypercall.c);
 *          guests never expand this column;
 * right    the policy right it needs (BH_POLICY_RIGHT_*,
 *          bulkhead/policy_blob.h), 0 for none.
 * The BH_HC_* numbers below, the kernel's dispatch table and rights gate
 * are made from it, and a host test checks docs/hypercalls.md against it.
 * Numbers run from 0 in ascending order; a number left out is unassigned
 * (-BH_ENOSYS), as reserved ones are. 18 is left out: it is kept for the
 * monitor's call (docs/monitor.md). Each call's arguments and result
 * follow; the errors each can return are in docs/hypercalls.md.
 *
 * NULL           () -> 0. Does nothing; measures the exit path.
 * CONSOLE_WRITE  (const char *buf, uint64_t len) -> len.
 * YIELD          () -> 0. Gives the CPU to the next runnable VM.
 * WAIT           (uint64_t timeout_ns) -> pending event bits (> 0, now
 *                cleared) or -BH_ETIMEDOUT.
 * TIME           () -> monotonic nanoseconds since boot.
 * EXIT           (int64_t status) -> does not return.
 * SELF           (char *name_buf, uint64_t len) -> this VM's id.
 *
 * The channel calls:
 * CHANNEL_FIND   (const char *name, struct bh_channel_info *out) -> the
 *                channel's handle (>= 0, < BH_CHANNELS_PER_VM) if this VM
 *                is one of its two ends; -BH_EPERM otherwise (whether or
 *                not the name exists elsewhere).
 * CHANNEL_NOTIFY (uint64_t handle) -> 0: raises the peer's data event for
 *                that channel, if the policy lets this end signal;
 *                -BH_EPERM if the handle is not held or may not signal,
 *                -BH_EPIPE if the peer is gone.
 *
 * The control calls (docs/cli.md): the control VM's. Names are
 * NUL-terminated guest strings of at most BH_CHANNEL_NAME_MAX bytes.
 * VM_LAUNCH      (const char *template, const char *name) -> the new VM's
 *                id. Launches a VM from a template (a "boot no" VM
 *                declaration) the caller's launch rule names. -BH_EPERM: no
 *                rule names the template; -BH_ENOENT: no such template;
 *                -BH_EEXIST: the name is in use; -BH_EINVAL: bad name;
 *                -BH_EDQUOT: the rule's max-vms or max-memory would be
 *                exceeded; -BH_ENOMEM: the pool or physical memory is
 *                exhausted; -BH_EAGAIN: either of those two, but every
 *                check passes once stopped VMs' memory, being scrubbed, is
 *                back: try again;
 *                -BH_EBUSY: the CPU budgets of the running VMs and the
 *                template's would exceed the CPU.
 * VM_STOP        (const char *name) -> 0. Stops a VM the caller launched.
 *                -BH_ENOENT: no such running VM; -BH_EPERM: not one the
 *                caller may stop.
 * VM_LIST        (struct bh_vm_stat *buf, uint64_t max) -> VMs known
 *                (running or stopped), up to max records written.
 * LOG_READ       (uint64_t *cursor, char *buf, uint64_t len) -> bytes
 *                copied from the kernel log ring at *cursor (bytes since
 *                boot), which advances; a cursor older than the ring skips
 *                to its oldest byte. *cursor == BH_LOG_CURSOR_CONSOLE
 *                starts where the kernel handed the console over: the
 *                first line the console's owner has not seen on COM1.
 * STATS          (struct bh_sys_stats *out) -> 0.
 * CONSOLE_READ   (char *buf, uint64_t len) -> bytes of console input (0 if
 *                none yet): for the control VM, which owns the console,
 *                what is typed; for any other VM, its input queue (below).
 * IMAGES         (struct bh_image_info *buf, uint64_t max) -> the bundle's
 *                guest images (its .elf files), up to max written.
 * CHANNELS       (struct bh_channel_stat *buf, uint64_t max) -> channels
 *                set up, up to max written.
 * SHUTDOWN       () -> does not return: powers the machine off.
 *
 * The monitor call (bulkhead/monitor.h, docs/monitor.md): a Linux guest's
 * monitor only; -BH_EPERM from any other VM.
 * MONITOR_RUN    (uint64_t timeout_ns) -> as WAIT, after taking the
 *                answer to its guest's exit from the exit page; bit
 *                BH_EVENT_MONITOR_EXIT: an exit waits for an answer.
 *
 * The attach calls (docs/cli.md, "attach"): the console's owner connects
 * the console to one VM's console, as a serial console is attached.
 * CONSOLE_ATTACH (const char *name) -> 0. Attaches the console to the
 *                live VM called name ("" detaches): its console text is
 *                logged as it is written, a partial line flagged (see
 *                docs/hypercalls.md), and CONSOLE_SEND feeds its input
 *                queue. -BH_ENOENT: no such live VM; -BH_EPERM: not the
 *                console's owner, or a VM it may not attach to (itself, or
 *                one another VM launched).
 * CONSOLE_SEND   (const char *buf, uint64_t len) -> bytes queued for the
 *                attached VM, which reads them with CONSOLE_READ and is
 *                woken by BH_EVENT_CONSOLE_INPUT; fewer than len when its
 *                queue (BH_CONSOLE_INPUT_QUEUE bytes) is full: it never
 *                waits. len 0 only checks the attachment. -BH_ENOENT:
 *                nothing is attached; -BH_EPIPE: the attached VM has
 *                stopped (the attachment is over).
 * CONSOLE_READ, by a VM that does not own the console, reads its own input
 * queue: what CONSOLE_SEND queued for it.
 *
 * DEVICE_CONFIG  (uint64_t devfn, uint64_t offset, uint64_t size,
 *                uint64_t value, uint64_t write) -> the value read, or 0
 *                for a write. The configuration space of the PCI
 *                functions granted to the caller (a native VM) or to the
 *                caller's guest (a Linux VM's monitor), as that VM sees
 *                them: on bus 0, device 1, 2, ... in the policy's grant
 *                order, function 0 (docs/design.md, "Devices and DMA",
 *                says what is virtualised). size 1, 2 or 4, offset
 *                aligned to it and below 4096 (-BH_EINVAL otherwise).
 *                A devfn with no device reads as all ones and ignores
 *                writes. -BH_EPERM: the VM holds no device. No right
 *                is needed: holding a grant is the right.
 * DEVICE_MMIO    (uint64_t gpa, uint64_t size, uint64_t value,
 *                uint64_t write) -> the value read, or 0 for a write. An
 *                access, by the VM holding the device (or the monitor on
 *                its guest's behalf), to a BAR the kernel keeps rather than
 *                maps: the one holding the MSI-X table (and pending bits).
 *                size 4, gpa aligned (-BH_EINVAL); -BH_ENOENT: no such
 *                BAR of a held device; -BH_EPERM: no device held.
 */
#define BH_HYPERCALLS(X)                                                        \
	X(0,  NULL,           hc_null,              0)                          \
	X(1,  CONSOLE_WRITE,  hc_console_write,     BH_POLICY_RIGHT_CONSOLE)    \
	X(2,  YIELD,          hc_yield,             BH_POLICY_RIGHT_YIELD)      \
	X(3,  WAIT,           hc_wait,              BH_POLICY_RIGHT_WAIT)       \
	X(4,  TIME,           hc_time,              BH_POLICY_RIGHT_TIME)       \
	X(5,  EXIT,           hc_exit,              BH_POLICY_RIGHT_EXIT)       \
	X(6,  SELF,           hc_self,              BH_POLICY_RIGHT_SELF)       \
	X(7,  CHANNEL_FIND,   hc_channel_find,      BH_POLICY_RIGHT_CHANNEL)    \
	X(8,  CHANNEL_NOTIFY, hc_channel_notify,    BH_POLICY_RIGHT_CHANNEL)    \
	X(9,  VM_LAUNCH,      control_launch,       BH_POLICY_RIGHT_LAUNCH)     \
	X(10, VM_STOP,        control_stop,         BH_POLICY_RIGHT_STOP)       \
	X(11, VM_LIST,        control_list,         BH_POLICY_RIGHT_STATS)      \
	X(12, LOG_READ,       control_log_read,     BH_POLICY_RIGHT_LOG)        \
	X(13, STATS,          control_stats,        BH_POLICY_RIGHT_STATS)      \
	X(14, CONSOLE_READ,   control_console_read, BH_POLICY_RIGHT_CONSOLE)    \
	X(15, IMAGES,         control_images,       BH_POLICY_RIGHT_STATS)      \
	X(16, CHANNELS,       control_channels,     BH_POLICY_RIGHT_STATS)      \
	X(17, SHUTDOWN,       control_shutdown,     BH_POLICY_RIGHT_STOP)       \
	X(18, MONITOR_RUN,    monitor_run,          BH_POLICY_RIGHT_WAIT)       \
	X(19, CONSOLE_ATTACH, console_attach_call,  BH_POLICY_RIGHT_STOP)       \
	X(20, CONSOLE_SEND,   console_send_call,    BH_POLICY_RIGHT_STOP)       \
	X(21, DEVICE_CONFIG,  device_config_call,   0)                          \
	X(22, DEVICE_MMIO,    device_mmio_call,     0)

#define BH_HC_NUMBER_(nr, NAME, handler, right) BH_HC_##NAME = (nr),
enum {
	BH_HYPERCALLS(BH_HC_NUMBER_)
	/* One past the highest assigned number (the list is in ascending
	 * order, so this follows its last): a kernel dispatch table's size. */
	BH_HC_COUNT
};
#undef BH_HC_NUMBER_

/* Bit nr set for each assigned number: those below BH_HC_COUNT that are
 * clear are unassigned. */
#define BH_HC_ASSIGNED_BIT_(nr, NAME, handler, right) | (1ull << (nr))
#define BH_HC_ASSIGNED (0ull BH_HYPERCALLS(BH_HC_ASSIGNED_BIT_))

/* BH_HC_LOG_READ's *cursor for "where the console was handed over". */
#define BH_LOG_CURSOR_CONSOLE UINT64_MAX

/* The numbers after the last assigned up to 31 are reserved. */
#define BH_HC_RESERVED_FIRST BH_HC_COUNT
#define BH_HC_RESERVED_LAST  31

/* Most bytes one BH_HC_CONSOLE_WRITE accepts; more is -BH_E2BIG. */
#define BH_CONSOLE_WRITE_MAX 4096u

/* BH_HC_WAIT timeouts. */
#define BH_WAIT_POLL         0ull
#define BH_WAIT_FOREVER      0xffffffffffffffffull

/* Event bits BH_HC_WAIT can return: bits 0..62 (0..59 the channels',
 * then BH_EVENT_CONSOLE_INPUT, and BH_EVENT_MONITOR_EXIT of
 * bulkhead/monitor.h); bit 63 is never set, so a non-zero result is always
 * positive. */
#define BH_EVENT_MASK        0x7fffffffffffffffull

/* Bytes arrived in this VM's console input queue (BH_HC_CONSOLE_SEND):
 * read them with BH_HC_CONSOLE_READ. */
#define BH_EVENT_CONSOLE_INPUT (1ull << 60)
/* Bytes a VM's console input queue holds; more are refused, not waited for. */
#define BH_CONSOLE_INPUT_QUEUE 256u

/*
 * Channels (docs/channels.md). A VM holds at most BH_CHANNELS_PER_VM; the
 * handle h of one is its index in the VM's list, in policy order. Its
 * shared memory is mapped by the kernel's EPT at guest-physical
 * BH_GUEST_CHANNEL_BASE + h * BH_GUEST_CHANNEL_STRIDE (the guest maps it
 * into its own page tables itself). Its events are WAIT bits:
 * BH_EVENT_CHANNEL_DATA(h) when the peer notified, BH_EVENT_CHANNEL_GONE(h)
 * when the peer stopped (later NOTIFYs return -BH_EPIPE). The next WAIT or
 * MONITOR_RUN after the one that returned GONE(h) unmaps the region if
 * the channel is still down: a touch after that stops the VM. A peer
 * launched again brings the channel up again: the kernel scrubs the region,
 * maps it back, raises BH_EVENT_CHANNEL_DATA(h), and CHANNEL_FIND then
 * shows BH_CHANNEL_UP and a larger generation.
 */
#define BH_CHANNELS_PER_VM        30u
#define BH_EVENT_CHANNEL_DATA(h)  (1ull << (2 * (h)))
#define BH_EVENT_CHANNEL_GONE(h)  (1ull << (2 * (h) + 1))
/* Every channel's BH_EVENT_CHANNEL_GONE bit. */
#define BH_EVENT_CHANNEL_GONE_ALL \
	(0xaaaaaaaaaaaaaaaaull & ((1ull << (2 * BH_CHANNELS_PER_VM)) - 1))
#define BH_CHANNEL_NAME_MAX       32u   /* bytes, including the NUL */

/* struct bh_channel_info.flags */
#define BH_CHANNEL_READ    (1u << 0)   /* always set: both ends may read */
#define BH_CHANNEL_WRITE   (1u << 1)   /* this end may write the memory */
#define BH_CHANNEL_SIGNAL  (1u << 2)   /* this end may notify the peer */
#define BH_CHANNEL_EVENTS  (1u << 3)   /* the peer may notify this end */
#define BH_CHANNEL_BOTH    (1u << 4)   /* both ends write: two rings, see docs */
#define BH_CHANNEL_UP      (1u << 5)   /* the peer runs now: NOTIFY reaches it */

struct bh_channel_info {
	uint64_t gpa;       /* guest-physical base of the shared memory */
	uint64_t size;      /* bytes, a page multiple */
	uint32_t flags;     /* BH_CHANNEL_* for this end */
	uint32_t end;       /* 0: first VM of the policy's "between", 1: second */
	uint32_t handle;    /* as returned */
	uint32_t generation;   /* times the channel has come up (both ends
	                        * running): 0 until the peer first runs; each
	                        * time it does the region is zeroed anew */
};

/* struct bh_vm_stat.state */
#define BH_VM_RUNNING  1   /* runnable or running */
#define BH_VM_WAITING  2
#define BH_VM_STOPPED  3

/* struct bh_vm_stat.exits_by_kind: what made a Linux guest exit. */
enum bh_exit_kind {
	BH_EXIT_KIND_IO,         /* port I/O, forwarded to its monitor */
	BH_EXIT_KIND_MMIO,       /* the device window, forwarded */
	BH_EXIT_KIND_HLT,        /* HLT: the guest idles */
	BH_EXIT_KIND_CPUID,
	BH_EXIT_KIND_MSR,
	BH_EXIT_KIND_CR,         /* control registers the kernel keeps (VT-x) */
	BH_EXIT_KIND_WINDOW,     /* the guest became able to take an interrupt */
	BH_EXIT_KIND_PREEMPT,    /* a host interrupt or the end of its slice */
	BH_EXIT_KIND_OTHER,      /* triple fault, refused instructions, ... */
	BH_EXIT_KINDS
};

struct bh_vm_stat {
	uint32_t id;
	uint32_t state;        /* BH_VM_* */
	char     name[32];
	uint64_t memory;       /* bytes */
	uint64_t cpu_ns;       /* CPU time used, its exits' handling included */
	uint64_t exits;
	int64_t  exit_status;  /* when stopped by BH_HC_EXIT */
	uint32_t policy_line;  /* its declaration */
	uint32_t launched;     /* 1: launched at run time, 0: boot VM */
	uint64_t age_ns;       /* since its creation began */
	uint64_t exits_by_kind[BH_EXIT_KINDS];   /* a Linux guest's; 0 for others */
};

struct bh_sys_stats {
	uint64_t mem_free;        /* bytes of RAM the frame allocator holds free */
	uint64_t mem_vms;         /* bytes of RAM held by VMs (memory + channels) */
	uint64_t pool_size;       /* the policy's run-time pool */
	uint64_t pool_used;       /* held by launched VMs */
	uint32_t vms;             /* VMs not stopped */
	uint32_t vms_max;         /* the kernel has no fixed VM limit: vms plus the
	                           * 2 MiB VMs (with kernel_bytes_per_vm each) the
	                           * pool's free memory holds; launch quotas may
	                           * allow fewer */
	uint64_t kernel_bytes_per_vm; /* kernel memory a running 2 MiB VM costs
	                               * (VMCS, EPT, vCPU and VM records); 0 if none runs */
};

struct bh_image_info {
	char     name[48];
	uint64_t size;
	uint8_t  sha256[32];
};

struct bh_channel_stat {
	char     name[32];
	char     end[2][32];
	uint64_t size;
	uint32_t flags;        /* BH_CHANNEL_BOTH if both ways */
	uint32_t gone;         /* bit e: end e is not running (stopped, or
	                        * not started yet) */
};

#endif
