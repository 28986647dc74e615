/* SPDX-License-Identifier: GPL-2.0-only */
#include "boot/vm_manifest.h"

#include <stdbool.h>

#include <bulkhead/errno.h>

#include "lib/string.h"

static bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r'; }

/* Splits the next whitespace-delimited word off [*p, end). */
static size_t next_word(const char **p, const char *end, const char **word)
{
	while (*p < end && is_space(**p))
		(*p)++;
	*word = *p;
	while (*p < end && !is_space(**p))
		(*p)++;
	return (size_t)(*p - *word);
}

static bool valid_vm_name(const char *w, size_t n)
{
	if (n == 0 || n >= VM_NAME_MAX)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = w[i];
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-'))
			return false;
	}
	return true;
}

static bool valid_image_name(const char *w, size_t n)
{
	if (n == 0 || n >= VM_IMAGE_MAX || w[0] == '.')
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = w[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.'))
			return false;
	}
	return true;
}

/* "<digits>M" or "<digits>G" -> bytes; 0 on any error or overflow. */
static uint64_t parse_size(const char *w, size_t n)
{
	uint64_t v = 0;
	if (n < 2 || n > 8)
		return 0;
	for (size_t i = 0; i + 1 < n; i++) {
		if (w[i] < '0' || w[i] > '9')
			return 0;
		v = v * 10 + (uint64_t)(w[i] - '0');
	}
	switch (w[n - 1]) {
	case 'M': return v << 20;
	case 'G': return v << 30;
	default:  return 0;
	}
}

static int parse_line(const char *p, const char *end, struct vm_manifest_entry *e,
                      const char **why)
{
	const char *w;
	size_t n = next_word(&p, end, &w);
	if (!valid_vm_name(w, n)) {
		*why = "VM name must be 1..31 of [a-z0-9_-]";
		return -BH_EINVAL;
	}
	memcpy(e->name, w, n);
	e->name[n] = 0;

	n = next_word(&p, end, &w);
	if (!valid_image_name(w, n)) {
		*why = "image must be a bundle file name";
		return -BH_EINVAL;
	}
	memcpy(e->image, w, n);
	e->image[n] = 0;

	n = next_word(&p, end, &w);
	e->memory = parse_size(w, n);
	if (e->memory == 0 || e->memory % (2ull << 20) || e->memory > VM_MEMORY_MAX) {
		*why = "memory must be a multiple of 2M between 2M and 1G (e.g. 4M)";
		return -BH_EINVAL;
	}
	if (next_word(&p, end, &w)) {
		*why = "unexpected text after the memory size";
		return -BH_EINVAL;
	}
	return 0;
}

int vm_manifest_parse(const char *text, size_t len, struct vm_manifest_entry *out,
                      size_t max, size_t *count, unsigned *line, const char **why)
{
	const char *p = text, *end = text + len;
	size_t n = 0;
	unsigned lineno = 0;

	*count = 0;
	while (p < end) {
		const char *eol = p;
		while (eol < end && *eol != '\n')
			eol++;
		lineno++;
		const char *q = p, *w;
		size_t wl = next_word(&q, eol, &w);
		if (wl > 0 && w[0] != '#') {
			int rc;
			if (memchr(p, 0, (size_t)(eol - p))) {
				*why = "NUL byte in line";
				rc = -BH_EINVAL;
			} else if (n == max) {
				*why = "too many VMs";
				rc = -BH_ENOSPC;
			} else {
				rc = parse_line(p, eol, &out[n], why);
			}
			for (size_t i = 0; rc == 0 && i < n; i++) {
				if (!strcmp(out[i].name, out[n].name)) {
					*why = "VM name appears twice";
					rc = -BH_EINVAL;
				}
			}
			if (rc) {
				*line = lineno;
				return rc;
			}
			n++;
		}
		p = eol < end ? eol + 1 : end;
	}
	*count = n;
	return 0;
}
