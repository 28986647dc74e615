/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The name rule for VMs, channels and devices, defined once for the
 * kernel (launch), the policy compiler (check_names) and the CLI: 1 to
 * BH_NAME_MAX - 1 characters of a-z, 0-9, '_' and '-'. Names appear
 * unquoted in console lines and CLI output, so nothing in them can be
 * mistaken for a separator, a control character or a path.
 */
#ifndef BULKHEAD_LIB_NAMES_H
#define BULKHEAD_LIB_NAMES_H

#include <stdbool.h>

/* Bytes of a name buffer, including the NUL. Equal to BH_POLICY_NAME_MAX,
 * BH_GUEST_NAME_MAX and BH_CHANNEL_NAME_MAX (checked in names.c). */
#define BH_NAME_MAX 32u

/* The rule in words, for error messages. */
#define BH_NAME_RULE "a name is 1 to 31 of a-z, 0-9, '_' and '-'"

/* True if c may appear in a name. */
bool bh_name_char(char c);

/* True if s (NUL-terminated) follows the rule. Reads at most BH_NAME_MAX
 * bytes of s, so an unterminated buffer of that size is safe. */
bool bh_name_valid(const char *s);

/*
 * The rule for bundle file names (guest images, the policy blob), defined
 * once for the UEFI stage's manifest reader, the kernel's policy validator
 * and the policy compiler: 1 to BH_FILE_NAME_MAX - 1 characters of A-Z,
 * a-z, 0-9, '.', '_' and '-', not starting with '.'. The boot volume is
 * FAT: nothing here can be a path, a device or a hidden file.
 */
#define BH_FILE_NAME_MAX 48u
#define BH_FILE_NAME_RULE "a bundle file name is 1 to 47 of A-Z, a-z, 0-9, '.', '_' and '-', " \
                          "not starting with '.'"

/* True if c may appear in a bundle file name. */
bool bh_file_name_char(char c);

/* True if s (NUL-terminated) follows the file name rule. Reads at most
 * BH_FILE_NAME_MAX bytes of s. */
bool bh_file_name_valid(const char *s);

#endif
