/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The exit protocol between the kernel and a Linux VM's monitor
 * (docs/monitor.md, "The exit protocol"): the single definition shared by
 * the kernel and vmm/.
 *
 * A Linux VM is a pair: the guest, which runs a stock kernel and makes no
 * hypercalls, and its monitor, a native VM built from the policy's monitor
 * image. The kernel handles what isolation needs (second-level paging,
 * interrupt injection, the guest's timer deadline, CPUID and MSRs, HLT)
 * and forwards every other exit to the monitor through the exit page, one
 * 4 KiB page the kernel allocates for the pair and maps into the monitor
 * only, at BH_MONITOR_PAGE. The guest never sees it.
 *
 * The monitor's guest-physical space (beside its own memory at 0 and its
 * channels at BH_GUEST_CHANNEL_BASE, bulkhead/hypercall.h):
 *   BH_MONITOR_PAGE        the exit page, read/write
 *   BH_MONITOR_FILES       the guest's kernel, then its initramfs, each
 *                          starting on a 2 MiB boundary, read-only
 *                          (struct bh_monitor_info says where)
 *   BH_MONITOR_GUEST_RAM   the guest's memory, read/write: guest-physical
 *                          address a of the guest is BH_MONITOR_GUEST_RAM + a
 * The monitor maps these into its own page tables itself (bh_map_range).
 *
 * The loop. The monitor calls BH_HC_MONITOR_RUN(timeout_ns). The kernel
 * first applies the monitor's answer to the exit in the page, if the
 * guest waits for one (exit.reason != BH_MON_EXIT_NONE and reply.action
 * != BH_MON_ACTION_NONE), re-reads the posted interrupts, and then waits,
 * like BH_HC_WAIT, until the guest takes a forwarded exit (result bit
 * BH_EVENT_MONITOR_EXIT), a channel event arrives, or the timeout passes
 * (-BH_ETIMEDOUT). While an exit waits for its answer the guest does not
 * run: a monitor that never answers stalls its own guest and nothing else.
 *
 * Everything the monitor writes is read by the kernel once, copied,
 * and checked: a hostile monitor can make its guest do anything the guest
 * could do itself, and nothing more.
 */
#ifndef BULKHEAD_MONITOR_H
#define BULKHEAD_MONITOR_H

#include <stdint.h>

#include <bulkhead/guest_abi.h>

/* The monitor's guest-physical windows (all above any monitor's memory,
 * BH_GUEST_MEM_MAX, and its channels). */
#define BH_MONITOR_PAGE        0x60000000ull
#define BH_MONITOR_FILES       0x80000000ull
#define BH_MONITOR_FILES_MAX   0x40000000ull   /* 1 GiB for both files */
#define BH_MONITOR_GUEST_RAM   0x100000000ull  /* 4 GiB */

/* The guest's device window: an access to guest-physical
 * [BH_LINUX_MMIO_BASE, BH_LINUX_MMIO_LIMIT) that is not RAM is forwarded
 * as BH_MON_EXIT_MMIO (the local APIC at 0xfee00000, the IOAPIC at
 * 0xfec00000, the virtio-mmio windows). So is an access to the granted
 * devices' window below it, [BH_GUEST_DEVICE_BASE, BH_LINUX_MMIO_BASE)
 * (bulkhead/guest_abi.h), where it is not a BAR the kernel mapped: the
 * monitor relays those with BH_HC_DEVICE_MMIO (the MSI-X table). Anywhere
 * else, an access outside the guest's memory stops the guest. The guest's
 * memory ends below both. */
#define BH_LINUX_MMIO_BASE     0xfe000000ull
#define BH_LINUX_MMIO_LIMIT    0xff000000ull
#define BH_LINUX_MEM_MAX       0xc0000000ull   /* 3 GiB */
#define BH_LINUX_FORWARDED(gpa) ((gpa) >= BH_GUEST_DEVICE_BASE && (gpa) < BH_LINUX_MMIO_LIMIT)

/* The ECAM (PCI Express enhanced configuration) window of a guest that is
 * granted PCI functions (info.pci_devices > 0): bus 0 only, 4 KiB per
 * function, configuration offset = devfn << 12 | register. It lies in the
 * device window, so every access is forwarded to the monitor, which
 * passes it on with BH_HC_DEVICE_CONFIG. The granted functions' memory
 * BARs lie below it, in [BH_GUEST_DEVICE_BASE, BH_GUEST_DEVICE_LIMIT)
 * (bulkhead/guest_abi.h), mapped by the kernel. */
#define BH_LINUX_ECAM_BASE     0xfe000000ull
#define BH_LINUX_ECAM_SIZE     0x100000ull     /* 1 MiB: bus 0 */

/* BH_HC_MONITOR_RUN's result bit: a forwarded exit waits in the page.
 * (Bits 0-61 are the channel events of bulkhead/hypercall.h.) */
#define BH_EVENT_MONITOR_EXIT  (1ull << 62)

/* What the monitor is told about its guest, written by the kernel when the
 * pair is created (the kernel never reads it back). */
#define BH_MONITOR_MAGIC       0x524f54494e4f4d42ull  /* "BMONITOR" little-endian */
#define BH_MONITOR_VERSION     2u
#define BH_MONITOR_CMDLINE_MAX 512u
#define BH_MONITOR_VIRTIO_MAX  8u

/* struct bh_monitor_virtio.kind: as enum bh_policy_virtio_kind. */
#define BH_MON_VIRTIO_CONSOLE  1u
#define BH_MON_VIRTIO_NET      2u

struct bh_monitor_virtio {
	uint32_t kind;            /* BH_MON_VIRTIO_* */
	uint32_t channel;         /* the monitor's handle of the backing channel
	                           * (BH_HC_CHANNEL_FIND with channel_name gives
	                           * it too), written as the monitor's VM takes
	                           * the channel at its start, whether or not the
	                           * other end runs; BH_MON_NO_CHANNEL if it could
	                           * not be mapped */
	char     channel_name[32];
};
#define BH_MON_NO_CHANNEL      0xffffffffu

struct bh_monitor_info {
	uint64_t magic;           /* BH_MONITOR_MAGIC */
	uint32_t version;         /* BH_MONITOR_VERSION */
	uint32_t vcpus;           /* 1 */
	char     name[32];        /* the guest's VM name, NUL-terminated */
	uint64_t guest_memory;    /* bytes of guest RAM, at guest-physical 0 */
	uint64_t tsc_khz;         /* the TSC's frequency: the guest's RDTSC runs at it */
	uint64_t kernel_gpa;      /* the kernel image (ELF vmlinux), in the monitor's space */
	uint64_t kernel_size;
	uint64_t initramfs_gpa;   /* the initramfs, in the monitor's space; size 0: none */
	uint64_t initramfs_size;
	uint32_t virtio_count;    /* entries of virtio[] in use */
	uint32_t pci_devices;     /* PCI functions granted to the guest, on
	                           * virtual bus 0 as devices 1, 2, ...; 0: the
	                           * guest is shown no PCI at all */
	struct bh_monitor_virtio virtio[BH_MONITOR_VIRTIO_MAX];
	char     cmdline[BH_MONITOR_CMDLINE_MAX];  /* the policy's, NUL-terminated */
};

/* The guest's registers at the exit. The monitor may change the general
 * registers and rip; the kernel ignores changes to the rest. */
struct bh_monitor_regs {
	uint64_t rax, rcx, rdx, rbx, rsp, rbp, rsi, rdi;
	uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
	uint64_t rip;
	uint64_t rflags;          /* read-only */
	uint64_t cr0, cr2, cr3, cr4, efer;   /* read-only */
	uint64_t cs_base;         /* read-only */
	uint32_t cs_flags;        /* read-only: BH_MON_CS_* */
	uint32_t cpl;             /* read-only: 0-3 */
};
#define BH_MON_CS_L            (1u << 0)   /* 64-bit code segment */
#define BH_MON_CS_DB           (1u << 1)   /* default operand size 32 */

/* struct bh_monitor_exit.reason */
enum bh_monitor_exit_reason {
	BH_MON_EXIT_NONE = 0,     /* no exit waits (the guest runs or halts) */
	BH_MON_EXIT_START = 1,    /* the guest is at reset: load it, set rip and
	                           * rbx, answer RESUME. It starts in 32-bit
	                           * protected mode, paging off, flat segments,
	                           * interrupts off (the PVH start state). */
	BH_MON_EXIT_IO = 2,       /* port I/O (every port of a Linux guest) */
	BH_MON_EXIT_MMIO = 3,     /* an access in the device window: gpa, write */
	BH_MON_EXIT_SHUTDOWN = 4, /* triple fault: the guest reset itself */
};

struct bh_monitor_exit {
	uint32_t reason;          /* enum bh_monitor_exit_reason */
	uint32_t seq;             /* counts forwarded exits */
	/* BH_MON_EXIT_IO */
	uint16_t port;
	uint8_t  size;            /* 1, 2 or 4 bytes */
	uint8_t  in;              /* 1: IN (the monitor writes rax), 0: OUT */
	uint8_t  string;          /* 1: INS/OUTS (the monitor moves the data) */
	uint8_t  rep;             /* 1: with a REP prefix (count in rcx) */
	uint8_t  reserved[2];
	/* BH_MON_EXIT_MMIO */
	uint64_t gpa;             /* guest-physical address of the access */
	uint32_t write;           /* 1: a write, 0: a read (or fetch) */
	uint32_t reserved2;
	/* Where the instruction that exited ends, 0 if the CPU did not say
	 * (MMIO: the monitor decodes it from guest memory). */
	uint64_t next_rip;
	struct bh_monitor_regs regs;
};

/* struct bh_monitor_reply.action */
enum bh_monitor_action {
	BH_MON_ACTION_NONE = 0,       /* not answered yet: the guest keeps waiting */
	BH_MON_ACTION_RESUME = 1,     /* take regs' general registers and rip, go on */
	BH_MON_ACTION_RESET = 2,      /* reboot: back to the reset state, then START */
	BH_MON_ACTION_POWEROFF = 3,   /* stop the pair: the guest powered off */
};

struct bh_monitor_reply {
	uint32_t action;          /* enum bh_monitor_action; the kernel sets it
	                           * back to NONE when it takes the answer */
	uint32_t reserved;
	struct bh_monitor_regs regs;   /* with RESUME: the guest's new registers */
};

/*
 * Interrupts and the timer. The monitor holds the guest's interrupt
 * controllers (local APIC, IOAPIC) and asks the kernel to deliver a vector
 * by setting its bit in pending[] (vectors 32-255; lower bits are
 * ignored); the kernel injects the highest pending vector once the guest
 * can take an interrupt, clears its bit and counts it in delivered, and
 * wakes a guest halted in HLT. Bits set while the guest runs are seen at
 * its next entry, or at once through BH_HC_MONITOR_RUN.
 *
 * The guest's local APIC timer is a deadline the monitor sets and the
 * kernel keeps: at TSC value timer_deadline (0: disarmed) the kernel posts
 * timer_vector itself, without a round trip through the monitor, and then
 * re-arms timer_deadline += timer_period if timer_period is not 0 (a
 * periodic timer) or disarms it.
 *
 * A device granted to the guest signals through MSI, which the kernel
 * receives and posts itself: it sets bit v in pending[] and then in
 * kernel_posted[], in that order. The monitor's local APIC takes
 * kernel_posted[] (exchanging it with 0) and puts those vectors in its IRR
 * as edge-triggered, so its IRR, ISR and EOI stay exact for vectors it did
 * not raise. (The order matters: the monitor counts a taken vector whose
 * pending[] bit is clear as injected, in service.)
 */
struct bh_monitor_irq {
	uint64_t pending[4];      /* bit v of the 256: vector v wants delivery */
	uint64_t delivered;       /* vectors injected so far (kernel writes) */
	uint64_t timer_deadline;  /* TSC value, 0: none */
	uint64_t timer_period;    /* TSC cycles, 0: one-shot */
	uint32_t timer_vector;    /* 32-255 */
	uint32_t timer_fired;     /* times the kernel posted it (kernel writes) */
	uint64_t kernel_posted[4];   /* bit v: the kernel posted device vector v
	                              * (kernel sets, monitor takes) */
};

/* The exit page: one per guest vCPU. */
struct bh_monitor_page {
	struct bh_monitor_info info;        /* offset 0 */
	uint8_t pad0[1024 - sizeof(struct bh_monitor_info)];
	struct bh_monitor_exit exit;        /* offset 1024, kernel writes */
	uint8_t pad1[512 - sizeof(struct bh_monitor_exit)];
	struct bh_monitor_reply reply;      /* offset 1536, monitor writes */
	uint8_t pad2[512 - sizeof(struct bh_monitor_reply)];
	struct bh_monitor_irq irq;          /* offset 2048, both */
	uint8_t pad3[2048 - sizeof(struct bh_monitor_irq)];
};

_Static_assert(sizeof(struct bh_monitor_page) == 4096, "the exit page is one page");
_Static_assert(sizeof(struct bh_monitor_info) <= 1024, "monitor info fits its slot");

#endif
