/* SPDX-License-Identifier: GPL-2.0-only */
/* A VM's configuration from its policy declaration
 * (hypervisor/kernel/vm_config.c), on the compiler's blob of
 * tests/policy/golden/full.policy, for boot and launched VMs alike; and
 * which declarations this kernel can start, on golden/linux.policy's. */
#include <bulkhead/errno.h>
#include <bulkhead/policy_blob.h>

#include "check.h"
#include "kernel/vm_config.h"
#include "policy/blob.h"

extern const unsigned char test_blob_full[], test_blob_linux[];
extern const unsigned long test_blob_full_size, test_blob_linux_size;

static uint32_t index_of(const char *name)
{
	int i = policy_vm_find(test_blob_full, name);
	CHECK(i >= 0);
	return (uint32_t)i;
}

TEST(cpu_shares_come_from_exact_microseconds)
{
	CHECK_EQ(cpu_share_ppm(0, 0), 0);                   /* best effort */
	CHECK_EQ(cpu_share_ppm(1000, 10000), 100000);
	CHECK_EQ(cpu_share_ppm(1500, 20000), 75000);
	CHECK_EQ(cpu_share_ppm(1000000, 1000000), 1000000);
	/* Rounded down: three thirds fit in the whole CPU. */
	CHECK_EQ(cpu_share_ppm(1000, 3000), 333333);
	/* The largest figures do not overflow. */
	CHECK_EQ(cpu_share_ppm(UINT32_MAX, UINT32_MAX), 1000000);
}

TEST(a_boot_vm_is_its_declaration)
{
	CHECK_EQ(policy_blob_validate(test_blob_full, test_blob_full_size, NULL), 0);
	uint32_t i = index_of("logger");
	const struct bh_policy_vm *p = policy_vm(test_blob_full, i);
	struct vm_config c;
	vm_config_from_policy(&c, test_blob_full, i, NULL, NULL);
	CHECK_STR_EQ(c.name, "logger");
	CHECK_STR_EQ(c.image, policy_vm_image(test_blob_full, p));
	CHECK_EQ(c.memory, p->memory);
	CHECK_EQ(c.rights, BH_POLICY_RIGHT_WAIT | BH_POLICY_RIGHT_CHANNEL);
	CHECK_EQ(c.budget_us, 1500);                        /* cpu 1500us per 20ms */
	CHECK_EQ(c.period_us, 20000);
	CHECK_EQ(c.cpu_ppm, 75000);
	CHECK_EQ(c.policy_line, p->line);
	CHECK_EQ(c.policy_index, i);
	CHECK(!c.control);
	CHECK(c.launched_by == NULL);
}

TEST(the_boot_control_vm_owns_the_console)
{
	uint32_t i = index_of("control");
	struct vm_config c;
	vm_config_from_policy(&c, test_blob_full, i, NULL, NULL);
	CHECK_STR_EQ(c.name, "control");
	CHECK(c.control);
	CHECK_EQ(c.cpu_ppm, 100000);                        /* cpu 10% */
	CHECK(c.rights & BH_POLICY_RIGHT_LAUNCH);
	/* The console is handed over once, at boot: a launched VM never owns
	 * it, whatever its declaration's kind. */
	struct vm launcher = { .id = 1 };
	vm_config_from_policy(&c, test_blob_full, i, "again", &launcher);
	CHECK(!c.control);
}

TEST(a_launched_vm_takes_its_name_and_launcher)
{
	uint32_t i = index_of("hello2");
	const struct bh_policy_vm *p = policy_vm(test_blob_full, i);
	struct vm launcher = { .id = 1 };
	struct vm_config c;
	vm_config_from_policy(&c, test_blob_full, i, "hi-there", &launcher);
	CHECK_STR_EQ(c.name, "hi-there");
	CHECK_STR_EQ(c.image, "hello.elf");
	CHECK_EQ(c.memory, 8ull << 20);
	CHECK_EQ(c.rights, BH_POLICY_RIGHT_CONSOLE | BH_POLICY_RIGHT_EXIT);
	CHECK_EQ(c.budget_us, 0);
	CHECK_EQ(c.period_us, 0);
	CHECK_EQ(c.cpu_ppm, 0);
	CHECK_EQ(c.policy_line, p->line);
	CHECK_EQ(c.policy_index, i);
	CHECK(c.launched_by == &launcher);
	CHECK(!c.control);
}

TEST(a_linux_declaration_gives_a_linux_config_and_others_native_ones)
{
	struct vm_config c;
	CHECK_EQ(policy_blob_validate(test_blob_linux, test_blob_linux_size, NULL), 0);
	for (uint32_t i = 0; i < policy_vm_count(test_blob_full); i++) {
		vm_config_from_policy(&c, test_blob_full, i, NULL, NULL);
		CHECK_EQ(c.kind, VM_KIND_NATIVE);
	}
	int control = policy_vm_find(test_blob_linux, "control");
	int linux_vm = policy_vm_find(test_blob_linux, "linux");
	CHECK(control >= 0 && linux_vm >= 0);
	vm_config_from_policy(&c, test_blob_linux, (uint32_t)control, NULL, NULL);
	CHECK_EQ(c.kind, VM_KIND_NATIVE);
	vm_config_from_policy(&c, test_blob_linux, (uint32_t)linux_vm, NULL, NULL);
	CHECK_EQ(c.kind, VM_KIND_LINUX);
	CHECK_STR_EQ(c.image, "vmlinux");
}
