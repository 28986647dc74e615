/* SPDX-License-Identifier: GPL-2.0-only */
#include "check.h"

#include <stdlib.h>

#include <bulkhead/errno.h>

#include "boot/vm_manifest.h"

static struct vm_manifest_entry e[VM_MANIFEST_MAX];
static size_t n;
static unsigned line;
static const char *why;

static int parse(const char *text)
{
	line = 0;
	why = NULL;
	return vm_manifest_parse(text, strlen(text), e, VM_MANIFEST_MAX, &n, &line, &why);
}

TEST(valid_list_with_comments_and_blank_lines)
{
	CHECK_EQ(parse("# boot VMs\n\nhello hello.elf 2M\n  ticker\tticker.elf 4M\r\nbig big.elf 1G"), 0);
	CHECK_EQ(n, 3);
	CHECK_STR_EQ(e[0].name, "hello");
	CHECK_STR_EQ(e[0].image, "hello.elf");
	CHECK_EQ(e[0].memory, 2ull << 20);
	CHECK_STR_EQ(e[1].name, "ticker");
	CHECK_EQ(e[1].memory, 4ull << 20);
	CHECK_EQ(e[2].memory, 1ull << 30);
}

TEST(empty_list_is_valid)
{
	CHECK_EQ(parse(""), 0);
	CHECK_EQ(n, 0);
	CHECK_EQ(parse("# nothing\n\n"), 0);
	CHECK_EQ(n, 0);
}

TEST(each_bad_line_names_its_problem_and_line)
{
	static const struct { const char *text; const char *want; unsigned line; } cases[] = {
		{ "Hello h.elf 2M\n", "VM name", 1 },
		{ "ok h.elf 2M\nbad/name h.elf 2M\n", "VM name", 2 },
		{ "a\n", "image", 1 },
		{ "a .hidden 2M\n", "image", 1 },
		{ "a h.elf\n", "memory", 1 },
		{ "a h.elf 3M\n", "memory", 1 },
		{ "a h.elf 0M\n", "memory", 1 },
		{ "a h.elf 2G\n", "memory", 1 },
		{ "a h.elf 2K\n", "memory", 1 },
		{ "a h.elf 99999999M\n", "memory", 1 },
		{ "a h.elf 2M extra\n", "after the memory", 1 },
		{ "a h.elf 2M\na g.elf 2M\n", "twice", 2 },
		{ "abcdefghijabcdefghijabcdefghijab h.elf 2M\n", "VM name", 1 },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		CHECK_EQ(parse(cases[i].text), -BH_EINVAL);
		CHECK(why && strstr(why, cases[i].want));
		CHECK_EQ(line, cases[i].line);
		CHECK_EQ(n, 0);
	}
}

TEST(nul_byte_is_rejected)
{
	const char text[] = "a h.elf 2M\nb h\0.elf 2M\n";
	CHECK_EQ(vm_manifest_parse(text, sizeof(text) - 1, e, VM_MANIFEST_MAX, &n, &line, &why),
	         -BH_EINVAL);
	CHECK_EQ(line, 2);
}

TEST(too_many_vms)
{
	char text[2048] = "";
	for (int i = 0; i <= VM_MANIFEST_MAX; i++) {
		char l[64];
		snprintf(l, sizeof(l), "vm%d img.elf 2M\n", i);
		strcat(text, l);
	}
	CHECK_EQ(parse(text), -BH_ENOSPC);
	CHECK_EQ(line, VM_MANIFEST_MAX + 1);
	CHECK_EQ(n, 0);
}

TEST(every_prefix_parses_without_reading_past_it)
{
	const char *text = "hello hello.elf 2M\nticker ticker.elf 4M\n";
	size_t len = strlen(text);
	for (size_t i = 0; i <= len; i++) {
		char *copy = malloc(i ? i : 1);
		memcpy(copy, text, i);
		vm_manifest_parse(copy, i, e, VM_MANIFEST_MAX, &n, &line, &why);
		free(copy);
	}
}
