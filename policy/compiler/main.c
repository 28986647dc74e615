/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * bulkhead-policy: the policy compiler's command line (policy/README.md).
 *
 *   bulkhead-policy check FILE               errors and warnings, nothing written
 *   bulkhead-policy compile FILE -o OUT      the blob, written only if FILE is valid
 *   bulkhead-policy dump BLOB                the blob as the kernel will enforce it
 *   bulkhead-policy rules                    the checks, in the order they run
 *
 * Exit status: 0 success (warnings allowed), 1 the policy or blob is
 * invalid, 2 usage or I/O error.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "checks.h"
#include "compile.h"
#include "diag.h"
#include "dump.h"

#define PROG "bulkhead-policy"

static int usage(void)
{
	fputs("usage: " PROG " check FILE\n"
	      "       " PROG " compile FILE -o OUT\n"
	      "       " PROG " dump BLOB\n"
	      "       " PROG " rules\n", stderr);
	return 2;
}

/* The whole file in a malloc'd buffer (8-byte aligned, as blobs need), or
 * NULL with the reason printed. */
static char *read_file(const char *path, size_t max, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t n = 0;

	if (!f) {
		fprintf(stderr, PROG ": %s: %s\n", path, strerror(errno));
		return NULL;
	}
	buf = malloc(max + 1);
	if (buf)
		n = fread(buf, 1, max + 1, f);
	if (!buf || ferror(f)) {
		fprintf(stderr, PROG ": %s: cannot read: %s\n", path, buf ? strerror(errno) : "out of memory");
		free(buf);
		fclose(f);
		return NULL;
	}
	fclose(f);
	if (n > max) {
		fprintf(stderr, PROG ": %s: larger than %zu bytes\n", path, max);
		free(buf);
		return NULL;
	}
	*len = n;
	return buf;
}

/* Writes the blob next to path, then renames it over path: a failed or
 * interrupted run never leaves half a blob behind. */
static int write_file(const char *path, const uint8_t *data, size_t len)
{
	size_t plen = strlen(path);
	char *tmp = malloc(plen + 16);
	FILE *f;

	if (!tmp)
		return -1;
	snprintf(tmp, plen + 16, "%s.tmp%ld", path, (long)getpid());
	f = fopen(tmp, "wb");
	if (!f || fwrite(data, 1, len, f) != len || fclose(f) != 0 || rename(tmp, path) != 0) {
		fprintf(stderr, PROG ": %s: cannot write: %s\n", path, strerror(errno));
		remove(tmp);
		free(tmp);
		return -1;
	}
	free(tmp);
	return 0;
}

/* check and compile: out is NULL for check. */
static int compile_file(const char *path, const char *out)
{
	struct diag d = { 0 };
	uint8_t *blob = NULL;
	size_t len, size = 0;
	char *text = read_file(path, POLICY_TEXT_MAX, &len);
	int rc;

	if (!text)
		return 2;
	rc = policy_compile(text, len, &d, out ? &blob : NULL, &size);
	diag_print(&d, path, stderr);
	diag_free(&d);
	free(text);
	if (rc)
		return 1;
	rc = out && write_file(out, blob, size) ? 2 : 0;
	free(blob);
	return rc;
}

static int dump_file(const char *path)
{
	size_t len;
	const char *why;
	char *blob = read_file(path, BH_POLICY_MAX_SIZE, &len);

	if (!blob)
		return 2;
	int rc = dump(blob, len, stdout, &why);
	if (rc)
		fprintf(stderr, "%s: error: not a valid policy blob: %s\n", path, why);
	free(blob);
	return rc ? 1 : 0;
}

static int rules(void)
{
	for (size_t i = 0; i < policy_check_count; i++)
		printf("%-46s %s\n", policy_checks[i].name, policy_checks[i].rule);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "check") == 0)
		return compile_file(argv[2], NULL);
	if (argc == 5 && strcmp(argv[1], "compile") == 0) {
		if (strcmp(argv[3], "-o") == 0)
			return compile_file(argv[2], argv[4]);
		if (strcmp(argv[2], "-o") == 0)
			return compile_file(argv[4], argv[3]);
	}
	if (argc == 3 && strcmp(argv[1], "dump") == 0)
		return dump_file(argv[2]);
	if (argc == 2 && strcmp(argv[1], "rules") == 0)
		return rules();
	return usage();
}
