/* SPDX-License-Identifier: GPL-2.0-only */
#include "lib/names.h"

#include <bulkhead/bootinfo.h>
#include <bulkhead/guest_abi.h>
#include <bulkhead/hypercall.h>
#include <bulkhead/policy_blob.h>

#include "lib/string.h"

_Static_assert(BH_NAME_MAX == BH_POLICY_NAME_MAX, "policy names follow the rule");
_Static_assert(BH_NAME_MAX == BH_GUEST_NAME_MAX, "guest names follow the rule");
_Static_assert(BH_NAME_MAX == BH_CHANNEL_NAME_MAX, "channel names follow the rule");
_Static_assert(BH_FILE_NAME_MAX == BH_BUNDLE_NAME_MAX, "bundle files follow the file rule");
_Static_assert(BH_FILE_NAME_MAX == BH_POLICY_IMAGE_NAME_MAX, "images follow the file rule");

bool bh_name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

bool bh_name_valid(const char *s)
{
	size_t n = strnlen(s, BH_NAME_MAX);
	if (n == 0 || n >= BH_NAME_MAX)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!bh_name_char(s[i]))
			return false;
	return true;
}

bool bh_file_name_char(char c)
{
	return bh_name_char(c) || (c >= 'A' && c <= 'Z') || c == '.';
}

bool bh_file_name_valid(const char *s)
{
	size_t n = strnlen(s, BH_FILE_NAME_MAX);
	if (n == 0 || n >= BH_FILE_NAME_MAX || s[0] == '.')
		return false;
	for (size_t i = 0; i < n; i++)
		if (!bh_file_name_char(s[i]))
			return false;
	return true;
}
