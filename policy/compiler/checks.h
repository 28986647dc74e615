/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The policy compiler's checks (docs/style.md, rule 9): one named function per
 * rule, each reporting every violation it finds with its position. They
 * run in the order of policy_checks[] on a resolved model (resolve()), and
 * each looks only at properties that parsed (prop_ok), so a broken value is
 * reported once, by the parser. docs/policy.md lists the rules.
 */
#ifndef POLICY_CHECKS_H
#define POLICY_CHECKS_H

#include <stddef.h>

#include "diag.h"
#include "model.h"

typedef void policy_check_fn(const struct policy *p, struct diag *d);

struct policy_check {
	const char *name;
	const char *rule;             /* one line, for `bulkhead-policy rules` */
	policy_check_fn *fn;
};

extern const struct policy_check policy_checks[];
extern const size_t policy_check_count;

/* Runs every check. */
void run_checks(const struct policy *p, struct diag *d);

/* check_names.c */
policy_check_fn check_names_valid, check_names_unique, check_names_resolved;
/* check_vms.c */
policy_check_fn check_required_properties, check_control_vm_unique,
	check_rights_fit_kind, check_cpu_shares_valid, check_cpu_totals_fit,
	check_vms_started_somehow;
/* check_memory.c */
policy_check_fn check_sizes_page_aligned, check_sizes_in_range, check_memory_totals_fit;
/* check_channels.c */
policy_check_fn check_channel_endpoints_distinct_and_declared, check_channel_direction,
	check_channel_endpoints_have_right;
/* check_launch.c */
policy_check_fn check_launch_images_known, check_launch_rights_consistent,
	check_launch_quotas_fit;
/* check_devices.c */
policy_check_fn check_device_granted_once, check_device_grantee_kind, check_device_count_per_vm,
	check_dma_confined;
/* check_linux.c */
policy_check_fn check_fields_fit_kind, check_cmdline_valid, check_virtio_channels_declared,
	check_virtio_devices_unique, check_linux_channels_backed, check_image_roles_consistent;
/* check_limits.c */
policy_check_fn check_counts_within_blob_limits;

/* ---- Helpers for the checks (checks.c) ---------------------------------- */

/* A declaration's name for messages ("(unnamed)" if it had none). */
const char *shown(const char *name);

/* " (did you mean 'NAME'?)" naming the declared VM closest to name, or "". */
const char *vm_hint(const struct policy *p, const char *name, char *buf, size_t size);

/* The same for the declared channels. */
const char *channel_hint(const struct policy *p, const char *name, char *buf, size_t size);

/* The resolved VM a ref names, or NULL. */
const struct vm_decl *ref_vm(const struct policy *p, const struct ref *r);

/* Whether a VM's kind parsed and is k. */
bool vm_kind_is(const struct vm_decl *vm, uint32_t k);

/* a + b, saturating at UINT64_MAX. */
uint64_t add_sat(uint64_t a, uint64_t b);

/* A CPU share in millionths of the CPU, rounded up (as the kernel's
 * validator sums them), from a VM whose cpu property parsed and is valid;
 * 0 for best effort. */
uint64_t cpu_ppm(const struct vm_decl *vm);

#endif
