/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Hypercall numbers and limits: the single definition shared by the kernel
 * and the guest runtime. Specified in docs/hypercalls.md; keep the two in
 * step.
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

/* () -> 0. Does nothing; measures the exit path. */
#define BH_HC_NULL          0
/* (const char *buf, uint64_t len) -> len. */
#define BH_HC_CONSOLE_WRITE 1
/* () -> 0. Gives the CPU to the next runnable VM. */
#define BH_HC_YIELD         2
/* (uint64_t timeout_ns) -> pending event bits (> 0, now cleared) or
 * -BH_ETIMEDOUT. */
#define BH_HC_WAIT          3
/* () -> monotonic nanoseconds since boot. */
#define BH_HC_TIME          4
/* (int64_t status) -> does not return. */
#define BH_HC_EXIT          5
/* (char *name_buf, uint64_t len) -> this VM's id. */
#define BH_HC_SELF          6

/* (const char *name, struct bh_channel_info *out) -> the channel's handle
 * (>= 0, < BH_CHANNELS_PER_VM) if this VM is one of its two ends;
 * -BH_EPERM otherwise (whether or not the name exists elsewhere). Needs
 * the "channel" right. */
#define BH_HC_CHANNEL_FIND   7
/* (uint64_t handle) -> 0: raises the peer's data event for that channel,
 * if the policy lets this end signal; -BH_EPERM if the handle is not held
 * or may not signal, -BH_EPIPE if the peer is gone. Needs "channel". */
#define BH_HC_CHANNEL_NOTIFY 8
/*
 * Control calls (docs/cli.md, docs/hypercalls.md): the control VM's. Each
 * needs the policy right named; names are NUL-terminated guest strings of
 * at most BH_CHANNEL_NAME_MAX bytes.
 */
/* (const char *template, const char *name) -> the new VM's id. Launches
 * a VM from a template (a "boot no" VM declaration) the caller's launch
 * rule names. -BH_EPERM: no rule names the template; -BH_ENOENT: no such
 * template; -BH_EEXIST: the name is in use; -BH_EINVAL: bad name;
 * -BH_EDQUOT: the rule's max-vms or max-memory would be exceeded;
 * -BH_ENOMEM: the pool or physical memory is exhausted; -BH_EBUSY: the CPU
 * budgets of the running VMs and the template's would exceed the CPU.
 * Right "launch". */
#define BH_HC_VM_LAUNCH      9
/* (const char *name) -> 0. Stops a VM the caller launched. -BH_ENOENT: no
 * such running VM; -BH_EPERM: not one the caller may stop. Right "stop". */
#define BH_HC_VM_STOP        10
/* (struct bh_vm_stat *buf, uint64_t max) -> VMs known (running or
 * stopped), up to max records written. Right "stats". */
#define BH_HC_VM_LIST        11
/* (uint64_t *cursor, char *buf, uint64_t len) -> bytes copied from the
 * kernel log ring at *cursor (bytes since boot), which advances; a cursor
 * older than the ring skips to its oldest byte. *cursor ==
 * BH_LOG_CURSOR_CONSOLE starts where the kernel handed the console over:
 * the first line the console's owner has not seen on COM1. Right "log". */
#define BH_HC_LOG_READ       12
#define BH_LOG_CURSOR_CONSOLE UINT64_MAX
/* (struct bh_sys_stats *out) -> 0. Right "stats". */
#define BH_HC_STATS          13
/* (char *buf, uint64_t len) -> bytes of console input (0 if none yet).
 * Only the control VM, which owns the console. Right "console". */
#define BH_HC_CONSOLE_READ   14
/* (struct bh_image_info *buf, uint64_t max) -> the bundle's guest images
 * (its .elf files), up to max written. Right "stats". */
#define BH_HC_IMAGES         15
/* (struct bh_channel_stat *buf, uint64_t max) -> channels set up, up to
 * max written. Right "stats". */
#define BH_HC_CHANNELS       16
/* () -> does not return: powers the machine off. Right "stop". */
#define BH_HC_SHUTDOWN       17
/* Numbers 18..31 are reserved. */
#define BH_HC_RESERVED_FIRST 18
#define BH_HC_RESERVED_LAST  31
/* One past the highest assigned number: a kernel dispatch table size. */
#define BH_HC_COUNT          18

/* Most bytes one BH_HC_CONSOLE_WRITE accepts; more is -BH_E2BIG. */
#define BH_CONSOLE_WRITE_MAX 4096u

/* BH_HC_WAIT timeouts. */
#define BH_WAIT_POLL         0ull
#define BH_WAIT_FOREVER      0xffffffffffffffffull

/* Event bits BH_HC_WAIT can return: bits 0..62, assigned by the channel
 * calls; bit 63 is never set, so a non-zero result is always positive. */
#define BH_EVENT_MASK        0x7fffffffffffffffull

/*
 * Channels (docs/channels.md). A VM holds at most BH_CHANNELS_PER_VM; the
 * handle h of one is its index in the VM's list, in policy order. Its
 * shared memory is mapped by the kernel's EPT at guest-physical
 * BH_GUEST_CHANNEL_BASE + h * BH_GUEST_CHANNEL_STRIDE (the guest maps it
 * into its own page tables itself). Its events are WAIT bits:
 * BH_EVENT_CHANNEL_DATA(h) when the peer notified, BH_EVENT_CHANNEL_GONE(h)
 * when the peer stopped (for good: later NOTIFYs return -BH_EPIPE).
 */
#define BH_CHANNELS_PER_VM        31u
#define BH_EVENT_CHANNEL_DATA(h)  (1ull << (2 * (h)))
#define BH_EVENT_CHANNEL_GONE(h)  (1ull << (2 * (h) + 1))
#define BH_CHANNEL_NAME_MAX       32u   /* bytes, including the NUL */

/* struct bh_channel_info.flags */
#define BH_CHANNEL_READ    (1u << 0)   /* always set: both ends may read */
#define BH_CHANNEL_WRITE   (1u << 1)   /* this end may write the memory */
#define BH_CHANNEL_SIGNAL  (1u << 2)   /* this end may notify the peer */
#define BH_CHANNEL_EVENTS  (1u << 3)   /* the peer may notify this end */
#define BH_CHANNEL_BOTH    (1u << 4)   /* both ends write: two rings, see docs */

struct bh_channel_info {
	uint64_t gpa;       /* guest-physical base of the shared memory */
	uint64_t size;      /* bytes, a page multiple */
	uint32_t flags;     /* BH_CHANNEL_* for this end */
	uint32_t end;       /* 0: first VM of the policy's "between", 1: second */
	uint32_t handle;    /* as returned */
	uint32_t reserved;  /* 0 */
};

/* struct bh_vm_stat.state */
#define BH_VM_RUNNING  1   /* runnable or running */
#define BH_VM_WAITING  2
#define BH_VM_STOPPED  3

struct bh_vm_stat {
	uint32_t id;
	uint32_t state;        /* BH_VM_* */
	char     name[32];
	uint64_t memory;       /* bytes */
	uint64_t cpu_ns;       /* CPU time used */
	uint64_t exits;
	int64_t  exit_status;  /* when stopped by BH_HC_EXIT */
	uint32_t policy_line;  /* its declaration */
	uint32_t launched;     /* 1: launched at run time, 0: boot VM */
};

struct bh_sys_stats {
	uint64_t mem_free;        /* bytes of RAM the frame allocator holds free */
	uint64_t mem_vms;         /* bytes of RAM held by VMs (memory + channels) */
	uint64_t pool_size;       /* the policy's run-time pool */
	uint64_t pool_used;       /* held by launched VMs */
	uint32_t vms;             /* VMs not stopped */
	uint32_t vms_max;
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
	uint32_t gone;         /* bit e: end e has stopped */
};

#endif
