/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The kernel's reader of the compiled policy blob
 * (include/bulkhead/policy_blob.h, docs/policy-blob.md). Pure and
 * freestanding: the kernel, the host unit tests, the fuzzers and the
 * policy compiler (which checks its own output with it, and dumps blobs
 * through it) all build this same file.
 *
 * The kernel never parses policy text. It validates the blob once, fails
 * closed if anything is wrong, and from then on only looks things up with
 * the accessors below, which trust what the validator proved.
 */
#ifndef POLICY_BLOB_H
#define POLICY_BLOB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <bulkhead/policy_blob.h>

/*
 * Returns 0 if the size bytes at blob are a policy blob this kernel can
 * enforce, else -BH_EINVAL and *why (if not NULL) points at a static
 * sentence naming the first problem. blob must be 8-byte aligned.
 *
 * Checked, in this order:
 *  1. the header: size, alignment, magic, version, header_size,
 *     total_size == size <= BH_POLICY_MAX_SIZE, the CRC-32, flags known;
 *  2. the layout: each table where docs/policy-blob.md puts it, counts
 *     within the BH_POLICY_MAX_* limits, padding zero, the string table
 *     nothing but non-empty NUL-terminated strings;
 *  3. every record's structure: names are in-bounds, NUL-terminated,
 *     well-formed string offsets; indices are in range; enums and flags
 *     are known values; CPU pins below BH_POLICY_MAX_CPUS or
 *     BH_POLICY_CPU_ANY; reserved fields are zero; names, launchers and
 *     device addresses are unique; images are each used;
 *     one Linux record per Linux VM in VM order, its virtio list in place
 *     and each device's channel ending at that VM, no channel twice per VM;
 *  4. what the kernel relies on: at most one control VM, control rights
 *     only on it, no rights on Linux VMs, memory (monitors' too) and
 *     channel sizes aligned and in range, CPU budgets valid, the shares
 *     of the boot VMs pinned to each CPU <= 100%, and those of the boot
 *     VMs without a pin <= 100% together, boot VMs and their monitors
 *     <= BH_POLICY_MAX_BOOT_VMS,
 *     boot VM memory (monitors' too) + channels + pool <= machine memory,
 *     native channel ends holding the channel right and Linux ends backing
 *     a virtio device with it, launchers being the control VM with the
 *     launch right, launch targets native or Linux and fitting their
 *     rule's quota (<= pool), devices granted to native or Linux VMs, at
 *     most BH_POLICY_MAX_VM_DEVICES to one VM.
 *
 * The validator reads nothing but the blob: whether the bundle holds the
 * images, and the machine the granted PCI functions and an IOMMU to
 * confine them (unless BH_POLICY_F_DMA_UNPROTECTED), is found where VMs
 * are started and devices granted.
 */
int policy_blob_validate(const void *blob, size_t size, const char **why);

/*
 * The CRC-32 the header's checksum field must hold: over size bytes at
 * blob, with the 4 bytes of the checksum field taken as zero. size must be
 * at least sizeof(struct bh_policy_header).
 */
uint32_t policy_blob_checksum(const void *blob, size_t size);

/* ---- Accessors: only for a blob policy_blob_validate accepted ----------- */

const struct bh_policy_header *policy_header(const void *blob);
/* The header's BH_POLICY_F_* flags (only known ones: validated). */
uint32_t policy_flags(const void *blob);

/* The string at offset off of the string table (a validated name). */
const char *policy_string(const void *blob, uint32_t off);

uint32_t policy_vm_count(const void *blob);
/* VM i, or NULL if i >= policy_vm_count(). */
const struct bh_policy_vm *policy_vm(const void *blob, uint32_t i);
/* The index of the VM called name, or -BH_ENOENT. */
int policy_vm_find(const void *blob, const char *name);
const char *policy_vm_name(const void *blob, const struct bh_policy_vm *vm);
/* The bundle file name of the VM's image. */
const char *policy_vm_image(const void *blob, const struct bh_policy_vm *vm);

uint32_t policy_channel_count(const void *blob);
const struct bh_policy_channel *policy_channel(const void *blob, uint32_t i);

uint32_t policy_launch_count(const void *blob);
const struct bh_policy_launch *policy_launch(const void *blob, uint32_t i);
/* The launch rule whose launcher is VM index vm, or NULL (it may launch
 * nothing). */
const struct bh_policy_launch *policy_launch_for(const void *blob, uint32_t vm);
/* The VM index of entry j of rule's target list (j < target_count). */
uint32_t policy_launch_target(const void *blob, const struct bh_policy_launch *rule,
                              uint32_t j);
/* Whether VM launcher's rule names VM target: launcher may launch and
 * stop VMs made from declaration target. */
bool policy_may_launch(const void *blob, uint32_t launcher, uint32_t target);

uint32_t policy_device_count(const void *blob);
const struct bh_policy_device *policy_device(const void *blob, uint32_t i);

uint32_t policy_image_count(const void *blob);
const struct bh_policy_image *policy_image(const void *blob, uint32_t i);

uint32_t policy_linux_count(const void *blob);
/* Linux record i, or NULL if i >= policy_linux_count(). */
const struct bh_policy_linux *policy_linux(const void *blob, uint32_t i);
/* The Linux record of VM index vm, or NULL (vm is not a Linux VM). */
const struct bh_policy_linux *policy_linux_for(const void *blob, uint32_t vm);
/* Entry j of a Linux VM's virtio list (j < virtio_count). */
const struct bh_policy_virtio *policy_virtio(const void *blob, const struct bh_policy_linux *lx,
                                             uint32_t j);
/* The memory VM index vm needs: its own, plus its monitor's if it is a
 * Linux VM. */
uint64_t policy_vm_total_memory(const void *blob, uint32_t vm);

#endif
