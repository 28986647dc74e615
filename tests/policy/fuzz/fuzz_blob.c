/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * libFuzzer target: the kernel's blob validator on arbitrary bytes, twice:
 * as they are, and "resealed" (total_size and checksum made to agree with
 * the input) so the fuzzer gets past the CRC to the structural checks.
 * Whatever is accepted is read through every accessor and dumped; ASan
 * and UBSan catch any read the validator did not make safe. The input
 * lives in a heap copy of exactly its size, so reading past it is caught.
 * Seeds: the golden policies, compiled.
 */
#include <stdlib.h>
#include <string.h>

#include <bulkhead/errno.h>

#include "dump.h"
#include "policy/blob.h"

static FILE *null;

static void walk(const void *b, size_t size)
{
	const char *why;
	uint32_t nvms = policy_vm_count(b);

	for (uint32_t i = 0; i < nvms; i++) {
		const struct bh_policy_vm *vm = policy_vm(b, i);
		if (policy_vm_find(b, policy_vm_name(b, vm)) != (int)i)
			abort();   /* names are unique */
		if (strlen(policy_vm_image(b, vm)) >= BH_POLICY_IMAGE_NAME_MAX)
			abort();
		for (uint32_t t = 0; t < nvms; t++)
			(void)policy_may_launch(b, i, t);
	}
	for (uint32_t i = 0; i < policy_channel_count(b); i++) {
		const struct bh_policy_channel *ch = policy_channel(b, i);
		if (ch->end[0] >= nvms || ch->end[1] >= nvms || ch->end[0] == ch->end[1])
			abort();
	}
	for (uint32_t i = 0; i < policy_launch_count(b); i++) {
		const struct bh_policy_launch *r = policy_launch(b, i);
		for (uint32_t j = 0; j < r->target_count; j++)
			if (policy_launch_target(b, r, j) >= nvms)
				abort();
	}
	for (uint32_t i = 0; i < policy_device_count(b); i++)
		if (policy_device(b, i)->vm >= nvms)
			abort();
	for (uint32_t i = 0; i < policy_linux_count(b); i++) {
		const struct bh_policy_linux *lx = policy_linux(b, i);
		if (lx->vm >= nvms || policy_vm(b, lx->vm)->kind != BH_POLICY_VM_LINUX ||
		    policy_linux_for(b, lx->vm) != lx)
			abort();
		if (lx->cmdline != BH_POLICY_NO_STRING &&
		    strlen(policy_string(b, lx->cmdline)) >= BH_POLICY_CMDLINE_MAX)
			abort();
		for (uint32_t j = 0; j < lx->virtio_count; j++) {
			const struct bh_policy_channel *ch = policy_channel(b, policy_virtio(b, lx, j)->channel);
			if (!ch || (ch->end[0] != lx->vm && ch->end[1] != lx->vm))
				abort();
		}
	}
	if (dump(b, size, null, &why) != 0)
		abort();
}

static void validate(const void *b, size_t size)
{
	const char *why = NULL;
	int rc = policy_blob_validate(b, size, &why);
	if (rc == 0)
		walk(b, size);
	else if (rc != -BH_EINVAL || !why)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!null)
		null = fopen("/dev/null", "w");
	uint8_t *b = malloc(size ? size : 1);
	memcpy(b, data, size);
	validate(b, size);
	if (size >= sizeof(struct bh_policy_header) && size <= BH_POLICY_MAX_SIZE) {
		struct bh_policy_header *h = (struct bh_policy_header *)b;
		h->total_size = (uint32_t)size;
		h->checksum = policy_blob_checksum(b, size);
		validate(b, size);
	}
	free(b);
	return 0;
}
