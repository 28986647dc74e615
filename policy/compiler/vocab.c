/* SPDX-License-Identifier: GPL-2.0-only */
#include "vocab.h"

#include <stdio.h>
#include <string.h>

#include <bulkhead/policy_blob.h>

const char *const right_names[BH_POLICY_RIGHT_COUNT] = {
	"console", "yield", "wait", "time", "exit", "self",
	"channel", "launch", "stop", "log", "stats",
};

static const char *const kind_names[BH_POLICY_VM_KIND_LAST + 1] = {
	[BH_POLICY_VM_NATIVE] = "native",
	[BH_POLICY_VM_CONTROL] = "control",
	[BH_POLICY_VM_LINUX] = "linux",
};

static int word_eq(const char *w, size_t n, const char *s)
{
	return strlen(s) == n && memcmp(w, s, n) == 0;
}

uint32_t vm_kind_from_word(const char *w, size_t n)
{
	for (uint32_t k = 1; k <= BH_POLICY_VM_KIND_LAST; k++)
		if (word_eq(w, n, kind_names[k]))
			return k;
	return 0;
}

const char *vm_kind_name(uint32_t kind)
{
	return kind >= 1 && kind <= BH_POLICY_VM_KIND_LAST ? kind_names[kind] : "?";
}

int right_from_word(const char *w, size_t n)
{
	for (int i = 0; i < (int)BH_POLICY_RIGHT_COUNT; i++)
		if (word_eq(w, n, right_names[i]))
			return i;
	return -1;
}

const char *format_size(uint64_t bytes, char *buf, size_t size)
{
	static const struct { uint64_t unit; char suffix; } units[] = {
		{ 1ull << 30, 'G' }, { 1ull << 20, 'M' }, { 1ull << 10, 'K' },
	};
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (bytes && bytes % units[i].unit == 0) {
			snprintf(buf, size, "%llu%c", (unsigned long long)(bytes / units[i].unit),
			         units[i].suffix);
			return buf;
		}
	snprintf(buf, size, "%llu", (unsigned long long)bytes);
	return buf;
}

const char *format_duration(uint64_t us, char *buf, size_t size)
{
	if (us && us % 1000000 == 0)
		snprintf(buf, size, "%llus", (unsigned long long)(us / 1000000));
	else if (us && us % 1000 == 0)
		snprintf(buf, size, "%llums", (unsigned long long)(us / 1000));
	else
		snprintf(buf, size, "%lluus", (unsigned long long)us);
	return buf;
}
