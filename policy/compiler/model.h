/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The policy as the parser leaves it: one declaration per statement, in
 * source order, each property with where it was written. resolve() then
 * fills in the indices; the checks (checks.h) read it; emit() turns it into
 * the blob (include/bulkhead/policy_blob.h).
 *
 * Each declaration records which properties were written (given) and which
 * of those could not be parsed (bad): a check looks only at properties
 * given and not bad, so one typo yields one error, not a cascade.
 */
#ifndef POLICY_MODEL_H
#define POLICY_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <bulkhead/policy_blob.h>

#include "diag.h"

#define PROP_MAX 16

struct props {
	unsigned given, bad;         /* bit i: property i */
	struct loc at[PROP_MAX];     /* where property i's value starts (first time) */
};

/* Property i is usable: written and parsed. */
static inline bool prop_ok(const struct props *p, unsigned i)
{
	return (p->given & ~p->bad) & (1u << i);
}

/* A name that should denote a declared VM. */
struct ref {
	char *name;
	struct loc at;
	int vm;                      /* VM index after resolve(), or -1 */
};

/* VP_KERNEL and after are a Linux VM's only; VP_IMAGE and VP_RIGHTS are
 * the native kinds' only. */
enum vm_prop {
	VP_KIND, VP_IMAGE, VP_MEMORY, VP_CPU, VP_BOOT, VP_RIGHTS,
	VP_KERNEL, VP_INITRAMFS, VP_CMDLINE, VP_MONITOR, VP_VIRTIO_CONSOLE, VP_VIRTIO_NET,
	VP_COUNT
};
/* The word of a VM property, for messages (parse_props.c). */
const char *vm_prop_word(enum vm_prop i);

enum monitor_prop { MP_IMAGE, MP_MEMORY, MP_COUNT };

/* "monitor { image FILE; memory SIZE; }" of a Linux VM. */
struct monitor_decl {
	struct props p;
	char *image;
	uint64_t memory;
	int image_index;             /* after resolve(), or -1 */
	bool seen;                   /* its block was parsed */
};

/* One virtio device of a Linux VM: its kind and the channel behind it. */
struct virtio_decl {
	uint32_t kind;               /* enum bh_policy_virtio_kind */
	char *channel;
	struct loc at;               /* of the channel's name */
	int channel_index;           /* after resolve(), or -1 */
};

enum cpu_form { CPU_BEST_EFFORT, CPU_PERCENT, CPU_BUDGET };

struct vm_decl {
	char *name;
	struct loc at;               /* of the name */
	struct props p;
	uint32_t kind;               /* enum bh_policy_vm_kind */
	char *image;
	uint64_t memory;
	enum cpu_form cpu;
	bool cpu_pinned;             /* "cpu N ...": runs on CPU cpu_index only */
	uint32_t cpu_index;          /* 0 .. BH_POLICY_MAX_CPUS - 1 */
	uint64_t cpu_percent;
	uint64_t cpu_budget_us, cpu_period_us;
	bool boot;
	uint32_t rights;             /* BH_POLICY_RIGHT_* */
	struct loc right_at[BH_POLICY_RIGHT_COUNT];
	int image_index;             /* after resolve(), or -1; a Linux VM's kernel */
	/* Linux VMs: */
	char *kernel, *initramfs;
	char *cmdline;               /* between the quotes */
	struct monitor_decl monitor;
	struct virtio_decl *virtio;  /* in source order */
	size_t nvirtio, capvirtio;
	int initramfs_index;         /* after resolve(), or -1 */
};

/* "none" (also what a flow not written is), "both", or "FROM -> TO". */
struct flow {
	enum { FLOW_NONE, FLOW_BOTH, FLOW_ONE_WAY } kind;
	struct ref from, to;
};

enum channel_prop { CP_BETWEEN, CP_SIZE, CP_DIRECTION, CP_EVENTS, CP_COUNT };

struct channel_decl {
	char *name;
	struct loc at;
	struct props p;
	struct ref end[2];
	uint64_t size;
	struct flow direction, events;
};

enum launch_prop { LP_VMS, LP_MAX_VMS, LP_MAX_MEMORY, LP_COUNT };

struct launch_decl {
	struct ref vm;               /* the launcher */
	struct props p;
	struct ref *targets;
	size_t ntargets, cap;
	uint64_t max_vms;
	uint64_t max_memory;
};

enum device_prop { DP_PCI, DP_TO, DP_COUNT };

struct device_decl {
	char *name;
	struct loc at;
	struct props p;
	uint32_t address;            /* BH_POLICY_PCI(...) */
	struct ref to;
};

/* "machine iommu required;" (the default) or "machine iommu unprotected;". */
struct iommu_setting {
	bool given;
	struct loc at;               /* of the statement */
	bool unprotected;
};

/* A one-line statement: "machine memory SIZE;", "pool runtime memory SIZE;". */
struct setting {
	bool given, bad;
	struct loc at;               /* of the statement */
	struct loc value_at;         /* of SIZE */
	uint64_t value;
};

/* "machine cpus LIST;": the CPUs VMs without a pin may run on. */
struct cpus_setting {
	bool given;
	struct loc at;               /* of the statement */
	uint32_t mask;               /* bit i: CPU i; 0 when not given (every CPU) */
};

struct policy {
	struct setting machine, pool;
	struct iommu_setting iommu;
	struct cpus_setting cpus;
	struct vm_decl *vms;
	size_t nvms, capvms;
	struct channel_decl *channels;
	size_t nchannels, capchannels;
	struct launch_decl *launches;
	size_t nlaunches, caplaunches;
	struct device_decl *devices;
	size_t ndevices, capdevices;
	/* After resolve(): the distinct image names, in order of first use. */
	char **images;
	size_t nimages, capimages;
};

/* The machine memory the policy may hand out: declared, or the default. */
uint64_t policy_machine_memory(const struct policy *p);

/* Index of the first VM declared with this name, or -1. */
int policy_find_vm(const struct policy *p, const char *name);
/* Index of the first channel declared with this name, or -1. */
int policy_find_channel(const struct policy *p, const char *name);

/* The memory a VM needs: its own, and its monitor's (if it has one that
 * parsed). Its memory property must have parsed. */
uint64_t vm_total_memory(const struct vm_decl *vm);

/* Fills in every ref's VM index and each VM's image index. */
void resolve(struct policy *p);

void policy_free(struct policy *p);

#endif
