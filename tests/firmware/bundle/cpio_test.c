/* SPDX-License-Identifier: GPL-2.0-only */
/* The newc cpio reader: files found, padding, the trailer, and damage. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bulkhead/errno.h>

#include "bundle/cpio.h"
#include "check.h"

static uint8_t buf[4096];
static size_t len;

/* Appends one newc entry, as `cpio -o -H newc` writes it. */
static void add(const char *name, unsigned mode, const char *data, size_t size)
{
	size_t namesize = strlen(name) + 1;
	len += sprintf((char *)buf + len,
	               "070701%08X%08X%08X%08X%08X%08X%08zX%08X%08X%08X%08X%08zX%08X",
	               0, mode, 0, 0, 1, 0, size, 0, 0, 0, 0, namesize, 0);
	memcpy(buf + len, name, namesize);
	len = (len + namesize + 3) & ~(size_t)3;
	memcpy(buf + len, data, size);
	len = (len + size + 3) & ~(size_t)3;
}

static void archive(void)
{
	memset(buf, 0, sizeof(buf));
	len = 0;
	add("MANIFEST", 0100644, "abc\n", 4);
	add("dir", 040755, "", 0);
	add("policy.bin", 0100644, "12345", 5);
	add("empty", 0100644, "", 0);
	add("TRAILER!!!", 0, "", 0);
}

/* Looks name up in a heap copy of exactly len bytes, so ASan sees overreads. */
static int find(const char *name, size_t n, char *out)
{
	uint8_t *copy = malloc(n);
	memcpy(copy, buf, n);
	const uint8_t *data;
	size_t size;
	int rc = cpio_find(copy, n, name, &data, &size);
	if (rc == 0) {
		memcpy(out, data, size);
		out[size] = 0;
	}
	free(copy);
	return rc;
}

TEST(finds_files)
{
	char out[64];
	archive();
	CHECK_EQ(find("MANIFEST", len, out), 0);
	CHECK_STR_EQ(out, "abc\n");
	CHECK_EQ(find("policy.bin", len, out), 0);
	CHECK_STR_EQ(out, "12345");
	CHECK_EQ(find("empty", len, out), 0);
	CHECK_STR_EQ(out, "");
}

TEST(absent_and_non_regular)
{
	char out[64];
	archive();
	CHECK_EQ(find("dir", len, out), -BH_ENOENT);
	CHECK_EQ(find("policy", len, out), -BH_ENOENT);
	CHECK_EQ(find("policy.binx", len, out), -BH_ENOENT);
	CHECK_EQ(find("TRAILER!!!", len, out), -BH_ENOENT);
}

TEST(damage)
{
	char out[64];
	archive();
	/* Cut short: no trailer, and the last header incomplete. */
	CHECK_EQ(find("nothere", len - 120, out), -BH_EINVAL);
	CHECK_EQ(find("nothere", 50, out), -BH_EINVAL);
	/* A bad magic, a non-hex size, a size running off the end. */
	buf[5] = '2';
	CHECK_EQ(find("MANIFEST", len, out), -BH_EINVAL);
	archive();
	buf[6 + 8 * 6] = 'g';
	CHECK_EQ(find("MANIFEST", len, out), -BH_EINVAL);
	archive();
	memcpy(buf + 6 + 8 * 6, "7FFFFFFF", 8);
	CHECK_EQ(find("policy.bin", len, out), -BH_EINVAL);
	/* A name without its NUL. */
	archive();
	memcpy(buf + 6 + 8 * 11, "00000008", 8);
	CHECK_EQ(find("MANIFEST", len, out), -BH_EINVAL);
}
