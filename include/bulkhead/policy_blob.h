/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The compiled policy blob, version 5: the single definition shared by the
 * policy compiler (policy/compiler/, a host tool) and the kernel's reader
 * (common/policy/blob.c). Specified in docs/policy-blob.md; keep the
 * two in step. The policy language it is compiled from is docs/policy.md.
 *
 * Layout, all little-endian, every table at a multiple of 8 bytes:
 *
 *   struct bh_policy_header                     120 bytes
 *   struct bh_policy_vm       [vms]              48 bytes each
 *   struct bh_policy_channel  [channels]         32 bytes each
 *   struct bh_policy_launch   [launches]         32 bytes each
 *   uint32_t                  [targets]          VM indices of launch rules
 *   struct bh_policy_device   [devices]          24 bytes each
 *   struct bh_policy_image    [images]            8 bytes each
 *   struct bh_policy_linux    [linux]            40 bytes each
 *   struct bh_policy_virtio   [virtio]           16 bytes each
 *   char                      [strings]          NUL-terminated names and
 *                                                command lines
 *   zero padding to a multiple of 8              = total_size
 *
 * The tables follow each other in this order with no gap but the zero
 * padding that aligns each to 8 bytes: a blob has exactly one layout for
 * its counts. References between records are table indices; names are
 * byte offsets into the string table. checksum is the CRC-32 (IEEE 802.3,
 * the one zlib and gzip use) of all total_size bytes with the checksum
 * field taken as zero.
 */
#ifndef BULKHEAD_POLICY_BLOB_H
#define BULKHEAD_POLICY_BLOB_H

#include <stddef.h>
#include <stdint.h>

#include <bulkhead/guest_abi.h>

#define BH_POLICY_MAGIC        "BHPOLICY"   /* 8 bytes in the blob, no NUL */
#define BH_POLICY_MAGIC_SIZE   8u
#define BH_POLICY_VERSION      5u   /* 4: header flags; device grants. 5: CPU
                                       * pins (bh_policy_vm.cpu) and the CPUs
                                       * of VMs without one (header cpus) */
#define BH_POLICY_ALIGN        8u           /* of the blob and of each table */
/* The bundle file (docs/bundle.md) that carries the blob. */
#define BH_POLICY_BUNDLE_NAME  "policy.bin"

/* ---- Limits ------------------------------------------------------------ */

#define BH_POLICY_MAX_SIZE         0x10000u /* bytes in a blob */
#define BH_POLICY_MAX_VMS          64u      /* declared VMs, boot and run-time */
#define BH_POLICY_MAX_BOOT_VMS     32u      /* started at boot, monitors included */
#define BH_POLICY_MAX_CHANNELS     64u
#define BH_POLICY_MAX_LAUNCHES     16u      /* launch rules */
#define BH_POLICY_MAX_TARGETS      256u     /* entries of all launch rules' lists */
#define BH_POLICY_MAX_DEVICES      32u
#define BH_POLICY_MAX_VM_DEVICES   4u       /* devices granted to one VM */
#define BH_POLICY_MAX_IMAGES       64u      /* = BH_BUNDLE_MAX_FILES */
#define BH_POLICY_MAX_STRINGS      32768u   /* bytes in the string table */
#define BH_POLICY_MAX_RUNTIME_VMS  1024u    /* a launch rule's max-vms */
#define BH_POLICY_MAX_VIRTIO       128u     /* virtio devices of all Linux VMs */
#define BH_POLICY_MAX_VM_VIRTIO    16u      /* virtio devices of one Linux VM */

/* A Linux VM's kernel command line: 0..255 printable ASCII characters
 * (0x20..0x7e) but '"', so that 64 of them and every name fit the string
 * table. Linux's own x86 limit is 2048. */
#define BH_POLICY_CMDLINE_MAX      256u     /* bytes, including the NUL */
/* "No string" (a Linux VM without a command line). */
#define BH_POLICY_NO_STRING        0xffffffffu

/* VM, channel and device names: 1..31 of [a-z0-9_-]. */
#define BH_POLICY_NAME_MAX         32u      /* bytes, including the NUL */
/* Image names are bundle file names: 1..47 of [A-Za-z0-9._-], not
 * starting with '.' (docs/bundle.md). */
#define BH_POLICY_IMAGE_NAME_MAX   48u      /* bytes, including the NUL */

/* A VM's memory: the native guest ABI's limits (docs/guest-abi.md). */
#define BH_POLICY_VM_MEMORY_ALIGN  BH_GUEST_MEM_ALIGN   /* 2 MiB */
#define BH_POLICY_VM_MEMORY_MIN    BH_GUEST_MEM_ALIGN
#define BH_POLICY_VM_MEMORY_MAX    BH_GUEST_MEM_MAX     /* 1 GiB */
/* A channel's shared memory: whole pages. */
#define BH_POLICY_CHANNEL_ALIGN    0x1000ull
#define BH_POLICY_CHANNEL_MIN      0x1000ull
#define BH_POLICY_CHANNEL_MAX      0x1000000ull         /* 16 MiB */
/* The machine budget and the run-time pool: multiples of 2 MiB. */
#define BH_POLICY_MEMORY_ALIGN     0x200000ull
#define BH_POLICY_MACHINE_MIN      0x200000ull
#define BH_POLICY_MACHINE_MAX      0x40000000000ull     /* 4 TiB */
/* What the policy may hand out when it does not say (machine memory):
 * fits the 256 MiB test machines with room for firmware and kernel. */
#define BH_POLICY_MACHINE_DEFAULT  0x8000000ull         /* 128 MiB */

/* CPU budgets: budget_us of every period_us. "cpu N%" is N% of the
 * default period. A budget of 0 (and period 0) is best effort. */
#define BH_POLICY_CPU_PERIOD_DEFAULT_US 10000u    /* 10 ms, the scheduler's slice */
#define BH_POLICY_CPU_PERIOD_MIN_US     1000u     /* 1 ms */
#define BH_POLICY_CPU_PERIOD_MAX_US     1000000u  /* 1 s */

/* CPUs: indices from 0 (the boot CPU) to BH_POLICY_MAX_CPUS - 1, so that
 * the header's cpus mask has a bit for each. A VM is pinned to one CPU, or
 * has BH_POLICY_CPU_ANY and runs on one of the header's cpus, which the
 * kernel picks at boot. Whether the machine has a pinned CPU is found at
 * boot. */
#define BH_POLICY_MAX_CPUS 32u
#define BH_POLICY_CPU_ANY  0xffffffffu

/* ---- Enumerations ------------------------------------------------------- */

/* VM kinds. 0 is never valid, so a zeroed record is caught. A LINUX VM
 * has a struct bh_policy_linux record (its initramfs, command line,
 * monitor and virtio devices); its bh_policy_vm.image is its kernel.
 * There is no driver kind (blob versions up to 3 reserved 4 for one): a
 * driver VM is a Linux VM that holds a device grant. */
enum bh_policy_vm_kind {
	BH_POLICY_VM_NATIVE  = 1,   /* native app VM (docs/guest-abi.md) */
	BH_POLICY_VM_CONTROL = 2,   /* native, may hold the control rights */
	BH_POLICY_VM_LINUX   = 3,   /* a stock Linux kernel and its monitor */
};
#define BH_POLICY_VM_KIND_LAST  BH_POLICY_VM_LINUX

/* struct bh_policy_header.flags */
/* The machine has no IOMMU that can confine device DMA, and the policy
 * accepts that (test platforms only): the kernel grants devices anyway,
 * unconfined, and says so on every boot. Without it a kernel that finds
 * no IOMMU refuses every device grant. */
#define BH_POLICY_F_DMA_UNPROTECTED (1u << 0)
#define BH_POLICY_FLAGS             BH_POLICY_F_DMA_UNPROTECTED

/* struct bh_policy_vm.flags */
#define BH_POLICY_VM_BOOT       (1u << 0)   /* started at boot */
#define BH_POLICY_VM_FLAGS      BH_POLICY_VM_BOOT

/* Hypercall rights (struct bh_policy_vm.rights): a VM may make a call only
 * if it holds the right the call needs (docs/policy.md lists which).
 * BH_HC_NULL needs none: it has no effect. */
#define BH_POLICY_RIGHT_CONSOLE (1u << 0)   /* BH_HC_CONSOLE_WRITE */
#define BH_POLICY_RIGHT_YIELD   (1u << 1)   /* BH_HC_YIELD */
#define BH_POLICY_RIGHT_WAIT    (1u << 2)   /* BH_HC_WAIT */
#define BH_POLICY_RIGHT_TIME    (1u << 3)   /* BH_HC_TIME */
#define BH_POLICY_RIGHT_EXIT    (1u << 4)   /* BH_HC_EXIT */
#define BH_POLICY_RIGHT_SELF    (1u << 5)   /* BH_HC_SELF */
#define BH_POLICY_RIGHT_CHANNEL (1u << 6)   /* the channel calls */
#define BH_POLICY_RIGHT_LAUNCH  (1u << 7)   /* launch a VM its launch rule names */
#define BH_POLICY_RIGHT_STOP    (1u << 8)   /* stop a VM its launch rule names */
#define BH_POLICY_RIGHT_LOG     (1u << 9)   /* read the kernel log */
#define BH_POLICY_RIGHT_STATS   (1u << 10)  /* read VM statistics */
#define BH_POLICY_RIGHT_COUNT   11u
#define BH_POLICY_RIGHTS_ALL    ((1u << BH_POLICY_RIGHT_COUNT) - 1)
/* Rights only a control VM may hold. */
#define BH_POLICY_RIGHTS_CONTROL \
	(BH_POLICY_RIGHT_LAUNCH | BH_POLICY_RIGHT_STOP | BH_POLICY_RIGHT_LOG | BH_POLICY_RIGHT_STATS)

/* struct bh_policy_channel.flags: what each end may do. end[0] is the
 * first VM of "between A and B", end[1] the second. */
#define BH_POLICY_CH_WRITE_01   (1u << 0)   /* end 0 may write, end 1 reads */
#define BH_POLICY_CH_WRITE_10   (1u << 1)   /* end 1 may write, end 0 reads */
#define BH_POLICY_CH_EVENT_01   (1u << 2)   /* end 0 may signal end 1 */
#define BH_POLICY_CH_EVENT_10   (1u << 3)   /* end 1 may signal end 0 */
#define BH_POLICY_CH_FLAGS      0xfu
#define BH_POLICY_CH_WRITE      (BH_POLICY_CH_WRITE_01 | BH_POLICY_CH_WRITE_10)

/* struct bh_policy_device.kind */
enum bh_policy_device_kind {
	BH_POLICY_DEVICE_PCI = 1,
};
#define BH_POLICY_DEVICE_KIND_LAST BH_POLICY_DEVICE_PCI

/* struct bh_policy_virtio.kind: the device a Linux VM's monitor presents,
 * backed by a channel. */
enum bh_policy_virtio_kind {
	BH_POLICY_VIRTIO_CONSOLE = 1,   /* virtio-console */
	BH_POLICY_VIRTIO_NET     = 2,   /* virtio-net: Ethernet frames */
};
#define BH_POLICY_VIRTIO_KIND_LAST BH_POLICY_VIRTIO_NET

/* PCI address in struct bh_policy_device.address. */
#define BH_POLICY_PCI(seg, bus, dev, fn) \
	((uint32_t)(seg) << 16 | (uint32_t)(bus) << 8 | (uint32_t)(dev) << 3 | (uint32_t)(fn))
#define BH_POLICY_PCI_SEG(a)  ((a) >> 16)
#define BH_POLICY_PCI_BUS(a)  (((a) >> 8) & 0xffu)
#define BH_POLICY_PCI_DEV(a)  (((a) >> 3) & 0x1fu)
#define BH_POLICY_PCI_FN(a)   ((a) & 0x7u)

/* ---- Records ------------------------------------------------------------ */

/* A table: where it starts (bytes from the blob's start) and how many
 * records it holds (for the string table: bytes). */
struct bh_policy_table {
	uint32_t offset;
	uint32_t count;
};

enum bh_policy_table_id {
	BH_POLICY_T_VMS,
	BH_POLICY_T_CHANNELS,
	BH_POLICY_T_LAUNCHES,
	BH_POLICY_T_TARGETS,
	BH_POLICY_T_DEVICES,
	BH_POLICY_T_IMAGES,
	BH_POLICY_T_LINUX,
	BH_POLICY_T_VIRTIO,
	BH_POLICY_T_STRINGS,
	BH_POLICY_T_COUNT,
};

struct bh_policy_header {
	char     magic[BH_POLICY_MAGIC_SIZE];  /* BH_POLICY_MAGIC */
	uint32_t version;          /* BH_POLICY_VERSION */
	uint32_t header_size;      /* sizeof(struct bh_policy_header) */
	uint32_t total_size;       /* bytes in the blob, header included */
	uint32_t checksum;         /* CRC-32 of the blob with this field 0 */
	uint32_t flags;            /* BH_POLICY_F_* */
	uint32_t cpus;             /* mask of the CPUs VMs without a pin may run on; 0: every CPU */
	uint64_t machine_memory;   /* bytes the policy may hand out in all */
	uint64_t pool_memory;      /* bytes of the run-time pool; 0: none */
	struct bh_policy_table table[BH_POLICY_T_COUNT];
};

struct bh_policy_vm {
	uint32_t name;             /* string offset */
	uint32_t line;             /* source line of its name, from 1 */
	uint32_t kind;             /* enum bh_policy_vm_kind */
	uint32_t flags;            /* BH_POLICY_VM_* */
	uint32_t image;            /* index into the image table */
	uint32_t rights;           /* BH_POLICY_RIGHT_* */
	uint64_t memory;           /* bytes */
	uint32_t cpu_budget_us;    /* 0: best effort */
	uint32_t cpu_period_us;    /* 0 iff cpu_budget_us is 0 */
	uint32_t cpu;              /* the CPU it is pinned to, or BH_POLICY_CPU_ANY */
	uint32_t reserved2;        /* 0 */
};

struct bh_policy_channel {
	uint32_t name;             /* string offset */
	uint32_t line;             /* source line of its name */
	uint32_t end[2];           /* VM indices, distinct */
	uint64_t size;             /* bytes of shared memory */
	uint32_t flags;            /* BH_POLICY_CH_* */
	uint32_t reserved;         /* 0 */
};

/* Launcher vm may launch, and stop, VMs made from the declarations
 * targets[first_target .. first_target + target_count), at most max_vms
 * at once holding at most max_memory of the pool between them. */
struct bh_policy_launch {
	uint32_t vm;               /* the launcher, a VM index */
	uint32_t line;             /* source line of the launcher's name */
	uint32_t first_target;     /* index into the targets table */
	uint32_t target_count;     /* >= 1 */
	uint32_t max_vms;
	uint32_t reserved;         /* 0 */
	uint64_t max_memory;       /* bytes */
};

/* A PCI function granted to one VM: a native VM, or the guest of a Linux
 * VM (whose monitor forwards its config accesses). The grantee may be a
 * launch template; then the device goes to its one running instance. */
struct bh_policy_device {
	uint32_t name;             /* string offset */
	uint32_t line;             /* source line of its name */
	uint32_t kind;             /* enum bh_policy_device_kind */
	uint32_t vm;               /* the VM it is granted to: native or Linux */
	uint32_t address;          /* PCI: BH_POLICY_PCI(seg, bus, dev, fn) */
	uint32_t reserved;         /* 0 */
};

struct bh_policy_image {
	uint32_t name;             /* string offset: a bundle file name */
	uint32_t reserved;         /* 0 */
};

/* What a Linux VM has beyond its bh_policy_vm record: one per VM of kind
 * linux, in VM order. Its monitor is a separate VM the kernel creates with
 * it, holding exactly the guest's memory, its exits and the channels of
 * its virtio devices, virtio[first_virtio .. first_virtio + virtio_count);
 * the monitor runs in its guest's CPU budget. */
struct bh_policy_linux {
	uint32_t vm;               /* the Linux VM, a VM index */
	uint32_t line;             /* source line of its monitor property */
	uint32_t initramfs;        /* index into the image table */
	uint32_t cmdline;          /* string offset, or BH_POLICY_NO_STRING */
	uint32_t monitor_image;    /* index into the image table */
	uint32_t first_virtio;     /* index into the virtio table */
	uint32_t virtio_count;     /* 0 .. BH_POLICY_MAX_VM_VIRTIO */
	uint32_t reserved;         /* 0 */
	uint64_t monitor_memory;   /* bytes */
};

/* A virtio device of a Linux VM, presented by its monitor. */
struct bh_policy_virtio {
	uint32_t line;             /* source line of the device's channel name */
	uint32_t kind;             /* enum bh_policy_virtio_kind */
	uint32_t channel;          /* a channel index; the VM is one of its ends */
	uint32_t reserved;         /* 0 */
};

_Static_assert(sizeof(struct bh_policy_header) == 120, "policy header layout");
_Static_assert(offsetof(struct bh_policy_header, checksum) == 20, "policy checksum offset");
_Static_assert(offsetof(struct bh_policy_header, machine_memory) == 32, "policy memory offset");
_Static_assert(offsetof(struct bh_policy_header, table) == 48, "policy table offset");
_Static_assert(offsetof(struct bh_policy_header, cpus) == 28, "policy CPU set offset");
_Static_assert(BH_POLICY_MAX_CPUS <= 32, "the header's cpus mask has a bit for each CPU");
_Static_assert(sizeof(struct bh_policy_vm) == 48, "policy VM record layout");
_Static_assert(offsetof(struct bh_policy_vm, memory) == 24, "policy VM memory offset");
_Static_assert(offsetof(struct bh_policy_vm, cpu) == 40, "policy VM CPU offset");
_Static_assert(sizeof(struct bh_policy_channel) == 32, "policy channel record layout");
_Static_assert(sizeof(struct bh_policy_launch) == 32, "policy launch record layout");
_Static_assert(sizeof(struct bh_policy_device) == 24, "policy device record layout");
_Static_assert(sizeof(struct bh_policy_image) == 8, "policy image record layout");
_Static_assert(sizeof(struct bh_policy_linux) == 40, "policy Linux record layout");
_Static_assert(offsetof(struct bh_policy_linux, monitor_memory) == 32, "policy monitor memory offset");
_Static_assert(sizeof(struct bh_policy_virtio) == 16, "policy virtio record layout");
/* Every table at its limit, and the padding after each, fits a blob. */
_Static_assert(sizeof(struct bh_policy_header) +
               BH_POLICY_MAX_VMS * sizeof(struct bh_policy_vm) +
               BH_POLICY_MAX_CHANNELS * sizeof(struct bh_policy_channel) +
               BH_POLICY_MAX_LAUNCHES * sizeof(struct bh_policy_launch) +
               BH_POLICY_MAX_TARGETS * sizeof(uint32_t) +
               BH_POLICY_MAX_DEVICES * sizeof(struct bh_policy_device) +
               BH_POLICY_MAX_IMAGES * sizeof(struct bh_policy_image) +
               BH_POLICY_MAX_VMS * sizeof(struct bh_policy_linux) +
               BH_POLICY_MAX_VIRTIO * sizeof(struct bh_policy_virtio) +
               BH_POLICY_MAX_STRINGS + BH_POLICY_T_COUNT * BH_POLICY_ALIGN <= BH_POLICY_MAX_SIZE,
               "a blob at every limit fits BH_POLICY_MAX_SIZE");

#endif
