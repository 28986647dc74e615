/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The one gateway between the kernel and a VM's memory. Every guest-physical
 * address a VM hands the kernel (a hypercall argument, a pointer in a
 * structure it wrote) is checked here and nowhere else, so validate-then-use
 * can be audited in one file: no handler pairs a range check with a pointer
 * of its own.
 *
 * Copies are preferred to pointers: a value copied in cannot change between
 * the kernel's check and its use, even when another CPU runs the VM. A
 * pointer (vm_guest_buffer) is for bulk data the kernel only streams into or
 * out of (console bytes, log text), where a guest that races itself can
 * only garble its own data.
 *
 * Guest memory is one contiguous host range mapped at guest-physical 0
 * (vm.h), so a range is valid when it lies inside [0, mem_size) without
 * wrapping. Every function returns -BH_EFAULT, and touches nothing, for a
 * range that is not.
 */
#ifndef KERNEL_VM_COPY_H
#define KERNEL_VM_COPY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct vm;

/* Copies len bytes at guest-physical gpa into the kernel's dst. */
int vm_copy_in(const struct vm *vm, void *dst, uint64_t gpa, uint64_t len);

/* Copies len bytes from the kernel's src to guest-physical gpa. */
int vm_copy_out(const struct vm *vm, uint64_t gpa, const void *src, uint64_t len);

/*
 * Copies a NUL-terminated string of at most max bytes (NUL included) at
 * guest-physical gpa into dst. The copy stops at the end of the VM's memory
 * or at max, whichever comes first; -BH_EFAULT if no NUL was found by then
 * (dst is then not a string). max must be at least 1.
 */
int vm_copy_string(const struct vm *vm, char *dst, uint64_t gpa, size_t max);

/*
 * A host pointer to the guest buffer [gpa, gpa+len), or NULL if the range is
 * not inside the VM's memory. An empty range yields a pointer that must not
 * be dereferenced. For bulk streams only (see above).
 */
void *vm_guest_buffer(const struct vm *vm, uint64_t gpa, uint64_t len);

/* True if [gpa, gpa+len) lies inside the VM's memory (an empty range does). */
bool vm_range_ok(const struct vm *vm, uint64_t gpa, uint64_t len);

/*
 * A guest array of fixed-size records the kernel fills in order (the
 * listing calls: BH_HC_VM_LIST, BH_HC_IMAGES, BH_HC_CHANNELS). The whole
 * buffer is checked when it is opened, before anything is written
 * (validate, then perform); then every record is counted and those that
 * fit are written, so the call can return how many there are.
 */
struct vm_out_array {
	const struct vm *vm;
	uint64_t base;     /* guest-physical */
	uint64_t max;      /* records that fit */
	uint64_t size;     /* bytes a record */
	uint64_t count;    /* records put so far, written or not */
};

/*
 * Opens the array at base for up to want records of size bytes, want
 * capped at cap (what the kernel can have: it keeps the product small).
 * -BH_EFAULT, and *a unusable, if that buffer is not inside vm's memory.
 */
int vm_out_array_open(struct vm_out_array *a, const struct vm *vm, uint64_t base,
                      uint64_t want, uint64_t cap, uint64_t size);

/* Counts one more record and writes it if the array still has room. */
void vm_out_array_put(struct vm_out_array *a, const void *record);

#endif
