/* SPDX-License-Identifier: GPL-2.0-only */
/* The guest-memory gateway (hypervisor/kernel/vm_copy.c) on a host buffer
 * standing in for a VM's memory; ASan catches any access outside it. */
#include <stdlib.h>

#include <bulkhead/errno.h>

#include "check.h"
#include "kernel/vm.h"
#include "kernel/vm_copy.h"

#define MEM 4096u

static struct vm make_vm(uint8_t **mem)
{
	struct vm vm = { 0 };
	*mem = calloc(1, MEM);
	vm.mem_hpa = (uint64_t)(uintptr_t)*mem;
	vm.mem_size = MEM;
	return vm;
}

TEST(copies_inside_memory_round_trip)
{
	uint8_t *mem;
	struct vm vm = make_vm(&mem);
	uint32_t v = 0xdeadbeef, back = 0;
	CHECK_EQ(vm_copy_out(&vm, 100, &v, sizeof(v)), 0);
	CHECK_EQ(mem[100], 0xef);
	CHECK_EQ(vm_copy_in(&vm, &back, 100, sizeof(back)), 0);
	CHECK_EQ(back, v);
	CHECK_EQ(vm_copy_out(&vm, MEM - 4, &v, 4), 0);   /* the last bytes */
	free(mem);
}

TEST(ranges_past_the_end_or_wrapping_fault_and_touch_nothing)
{
	uint8_t *mem;
	struct vm vm = make_vm(&mem);
	uint64_t v = ~0ull, out = 7;
	CHECK_EQ(vm_copy_out(&vm, MEM - 4, &v, 8), -BH_EFAULT);
	CHECK_EQ(mem[MEM - 4], 0);
	CHECK_EQ(vm_copy_in(&vm, &out, MEM, 1), -BH_EFAULT);
	CHECK_EQ(out, 7);
	CHECK_EQ(vm_copy_in(&vm, &out, ~0ull - 2, 8), -BH_EFAULT);
	CHECK_EQ(vm_copy_in(&vm, &out, 8, ~0ull - 4), -BH_EFAULT);
	CHECK(vm_guest_buffer(&vm, 1, MEM) == NULL);
	CHECK(vm_guest_buffer(&vm, 0, MEM) == mem);
	free(mem);
}

TEST(empty_ranges_are_fine_anywhere_and_copy_nothing)
{
	uint8_t *mem;
	struct vm vm = make_vm(&mem);
	CHECK_EQ(vm_copy_in(&vm, NULL, ~0ull, 0), 0);
	CHECK_EQ(vm_copy_out(&vm, MEM + 100, NULL, 0), 0);
	CHECK(vm_range_ok(&vm, ~0ull, 0));
	free(mem);
}

TEST(strings_need_their_nul_within_max_and_memory)
{
	uint8_t *mem;
	struct vm vm = make_vm(&mem);
	char name[8];
	memcpy(mem + 10, "hello", 6);
	CHECK_EQ(vm_copy_string(&vm, name, 10, sizeof(name)), 0);
	CHECK_STR_EQ(name, "hello");
	memcpy(mem + 20, "toolongname", 12);
	CHECK_EQ(vm_copy_string(&vm, name, 20, sizeof(name)), -BH_EFAULT);
	memset(mem + MEM - 3, 'x', 3);     /* runs off the end: no NUL */
	CHECK_EQ(vm_copy_string(&vm, name, MEM - 3, sizeof(name)), -BH_EFAULT);
	mem[MEM - 1] = 0;                  /* "xx" ends at the last byte */
	CHECK_EQ(vm_copy_string(&vm, name, MEM - 3, sizeof(name)), 0);
	CHECK_STR_EQ(name, "xx");
	CHECK_EQ(vm_copy_string(&vm, name, MEM, sizeof(name)), -BH_EFAULT);
	free(mem);
}

TEST(out_arrays_check_the_whole_buffer_first_and_count_every_record)
{
	uint8_t *mem;
	struct vm vm = make_vm(&mem);
	struct vm_out_array a;
	uint32_t rec;

	/* 3 records asked, 2 allowed: only 8 bytes must fit, at the very end. */
	CHECK_EQ(vm_out_array_open(&a, &vm, MEM - 8, 3, 2, sizeof(rec)), 0);
	CHECK_EQ(a.max, 2);
	for (rec = 1; rec <= 5; rec++)
		vm_out_array_put(&a, &rec);
	CHECK_EQ(a.count, 5);
	CHECK_EQ(mem[MEM - 8], 1);
	CHECK_EQ(mem[MEM - 4], 2);
	/* One record too many for the memory: refused before any write. */
	CHECK_EQ(vm_out_array_open(&a, &vm, MEM - 8, 3, 3, sizeof(rec)), -BH_EFAULT);
	/* No room at all is fine anywhere: records are only counted. */
	CHECK_EQ(vm_out_array_open(&a, &vm, ~0ull, 0, 16, sizeof(rec)), 0);
	vm_out_array_put(&a, &rec);
	CHECK_EQ(a.count, 1);
	free(mem);
}
