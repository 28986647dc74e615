/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * libFuzzer target: the whole compiler on arbitrary text (lex, parse,
 * resolve, check, emit). Beyond "no crash, no leak, no UB" it asserts:
 *  - whatever the compiler accepts, the kernel's validator accepts
 *    (policy_compile returns -2 otherwise);
 *  - an accepted policy's dump is policy text that compiles again to the
 *    same blob, but for the source lines it records.
 * Seeds: tests/policy/golden and tests/policy/bad; dictionary: policy.dict.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compile.h"
#include "diag.h"
#include "dump.h"
#include "policy/blob.h"

/* The blob with every line field and the checksum zeroed. */
static void normalize(uint8_t *b)
{
	struct bh_policy_header *h = (struct bh_policy_header *)b;
	h->checksum = 0;
	for (uint32_t i = 0; i < h->table[BH_POLICY_T_VMS].count; i++)
		((struct bh_policy_vm *)(b + h->table[BH_POLICY_T_VMS].offset))[i].line = 0;
	for (uint32_t i = 0; i < h->table[BH_POLICY_T_CHANNELS].count; i++)
		((struct bh_policy_channel *)(b + h->table[BH_POLICY_T_CHANNELS].offset))[i].line = 0;
	for (uint32_t i = 0; i < h->table[BH_POLICY_T_LAUNCHES].count; i++)
		((struct bh_policy_launch *)(b + h->table[BH_POLICY_T_LAUNCHES].offset))[i].line = 0;
	for (uint32_t i = 0; i < h->table[BH_POLICY_T_DEVICES].count; i++)
		((struct bh_policy_device *)(b + h->table[BH_POLICY_T_DEVICES].offset))[i].line = 0;
	for (uint32_t i = 0; i < h->table[BH_POLICY_T_LINUX].count; i++)
		((struct bh_policy_linux *)(b + h->table[BH_POLICY_T_LINUX].offset))[i].line = 0;
	for (uint32_t i = 0; i < h->table[BH_POLICY_T_VIRTIO].count; i++)
		((struct bh_policy_virtio *)(b + h->table[BH_POLICY_T_VIRTIO].offset))[i].line = 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct diag d = { 0 };
	uint8_t *blob = NULL, *again = NULL;
	size_t n, n2;
	char *text = NULL;
	size_t text_len = 0;
	const char *why;

	int rc = policy_compile((const char *)data, size, &d, &blob, &n);
	if (rc == -2)
		abort();   /* the compiler emitted a blob the kernel rejects */
	static FILE *null;
	if (!null)
		null = fopen("/dev/null", "w");
	diag_print(&d, "fuzz.policy", null);
	diag_free(&d);
	if (rc != 0)
		return 0;

	FILE *mem = open_memstream(&text, &text_len);
	if (dump(blob, n, mem, &why) != 0)
		abort();
	fclose(mem);
	if (policy_compile(text, text_len, &d, &again, &n2) != 0 || n2 != n)
		abort();   /* the dump does not compile back */
	normalize(blob);
	normalize(again);
	if (memcmp(blob, again, n) != 0)
		abort();   /* ... to the same policy */
	diag_free(&d);
	free(text);
	free(blob);
	free(again);
	return 0;
}
