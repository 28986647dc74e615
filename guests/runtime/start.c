/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * From _start to main (contract: rt.h). The start-info page is checked
 * before anything uses it: a kernel/runtime version mismatch must end the
 * VM with a message, not wander off with a wrong memory layout.
 */
#include <bulkhead/runtime.h>

#include "rt.h"
#include "vmcall.h"

static const struct bh_start_info *start_info;
bool rt_hypercall_vmmcall;

/* AMD's CPUs (and Hygon's, built on them) name VMMCALL the hypercall
 * instruction; CPUID's vendor leaf passes the kernel's filter unchanged
 * (docs/guest-abi.md). */
static bool cpu_wants_vmmcall(void)
{
	uint32_t a, b, c, d;
	asm volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(0), "c"(0));
	(void)a;
	/* "AuthenticAMD" and "HygonGenuine" as EBX, EDX, ECX. */
	return (b == 0x68747541u && d == 0x69746e65u && c == 0x444d4163u) ||
	       (b == 0x6f677948u && d == 0x6e65476eu && c == 0x656e6975u);
}

const struct bh_start_info *bh_start_info(void)
{
	return start_info;
}

static bool start_info_ok(const struct bh_start_info *si)
{
	return si->magic == BH_START_INFO_MAGIC &&
	       si->version == BH_START_INFO_VERSION &&
	       strnlen(si->name, sizeof(si->name)) < sizeof(si->name);
}

int64_t bh_runtime_start(const struct bh_start_info *si)
{
	rt_hypercall_vmmcall = cpu_wants_vmmcall();
	if ((uintptr_t)si != BH_GUEST_START_INFO || !start_info_ok(si)) {
		bh_printf("runtime: start-info page at %p is not version %u; "
		          "not running main\n", (const void *)si,
		          BH_START_INFO_VERSION);
		return -BH_EINVAL;
	}
	start_info = si;
	rt_malloc_init(si);
	return main();
}
