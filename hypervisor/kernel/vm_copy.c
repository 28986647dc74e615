/* SPDX-License-Identifier: GPL-2.0-only */
#include "kernel/vm_copy.h"

#include <bulkhead/errno.h>

#include "kernel/vm.h"
#include "lib/string.h"

bool vm_range_ok(const struct vm *vm, uint64_t gpa, uint64_t len)
{
	return len == 0 || (gpa <= vm->mem_size && len <= vm->mem_size - gpa);
}

void *vm_guest_buffer(const struct vm *vm, uint64_t gpa, uint64_t len)
{
	if (!vm_range_ok(vm, gpa, len))
		return NULL;
	return (void *)(uintptr_t)(vm->mem_hpa + (len ? gpa : 0));
}

int vm_copy_in(const struct vm *vm, void *dst, uint64_t gpa, uint64_t len)
{
	const void *src = vm_guest_buffer(vm, gpa, len);
	if (!src)
		return -BH_EFAULT;
	if (len)
		memcpy(dst, src, len);
	return 0;
}

int vm_copy_out(const struct vm *vm, uint64_t gpa, const void *src, uint64_t len)
{
	void *dst = vm_guest_buffer(vm, gpa, len);
	if (!dst)
		return -BH_EFAULT;
	if (len)
		memcpy(dst, src, len);
	return 0;
}

int vm_copy_string(const struct vm *vm, char *dst, uint64_t gpa, size_t max)
{
	uint64_t avail = gpa < vm->mem_size ? vm->mem_size - gpa : 0;
	size_t n = avail < max ? (size_t)avail : max;
	if (!n || vm_copy_in(vm, dst, gpa, n))
		return -BH_EFAULT;
	return memchr(dst, 0, n) ? 0 : -BH_EFAULT;
}

int vm_out_array_open(struct vm_out_array *a, const struct vm *vm, uint64_t base,
                      uint64_t want, uint64_t cap, uint64_t size)
{
	uint64_t max = want < cap ? want : cap;
	if (!vm_range_ok(vm, base, max * size))
		return -BH_EFAULT;
	*a = (struct vm_out_array){ .vm = vm, .base = base, .max = max, .size = size };
	return 0;
}

void vm_out_array_put(struct vm_out_array *a, const void *record)
{
	if (a->count < a->max)
		vm_copy_out(a->vm, a->base + a->count * a->size, record, a->size);
	a->count++;
}
