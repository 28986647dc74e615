/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Boot options: the bundle file "cmdline" holds whitespace-separated words,
 * each "key" or "key=value" (see docs/boot.md for the keys the kernel knows).
 * Lines starting with '#' are comments.
 */
#ifndef KERNEL_CMDLINE_H
#define KERNEL_CMDLINE_H

#include <stddef.h>

/*
 * Looks up key in the text [text, text+len) (not NUL-terminated). The last
 * occurrence wins. On "key=value" copies value (NUL-terminated, truncated to
 * out_size-1) into out and returns its full length; on a bare "key" stores
 * "" and returns 0; if the key is absent returns -BH_ENOENT and leaves out
 * untouched. out may be NULL when only presence matters.
 */
int cmdline_get(const char *text, size_t len, const char *key,
                char *out, size_t out_size);

#endif
