/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * pvh-info: says whether a vmlinux can be booted through PVH, with the
 * monitor's own reader (vmm/loader/pvh.c), so the build refuses a kernel
 * the loader would refuse, for the same reason.
 *
 *     pvh-info VMLINUX
 *
 * Prints the entry point and the segments; exits 0 if the image is
 * PVH-bootable, 1 with the reason if not, 2 if the file cannot be read.
 */
#include <stdio.h>
#include <stdlib.h>

#include "loader/pvh.h"

static unsigned char *read_file(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf = NULL;
	long n;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) > 0 && fseek(f, 0, SEEK_SET) == 0 &&
	    (buf = malloc((size_t)n)) != NULL && fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	*size = buf ? (size_t)n : 0;
	return buf;
}

int main(int argc, char **argv)
{
	struct pvh_image img;
	size_t size;

	if (argc != 2) {
		fprintf(stderr, "usage: pvh-info VMLINUX\n");
		return 2;
	}
	unsigned char *image = read_file(argv[1], &size);
	if (!image) {
		perror(argv[1]);
		return 2;
	}
	enum pvh_error rc = pvh_parse(image, size, &img);
	free(image);
	if (rc != PVH_OK) {
		fprintf(stderr, "pvh-info: %s: %s\n", argv[1], pvh_error_name(rc));
		return 1;
	}
	printf("pvh-info: %s: PVH entry 0x%x; loads [0x%llx, 0x%llx) in %u segments\n",
	       argv[1], img.entry, (unsigned long long)img.load_start,
	       (unsigned long long)img.load_end, img.nsegments);
	for (unsigned i = 0; i < img.nsegments; i++)
		printf("  0x%08llx  memsz 0x%08llx  filesz 0x%08llx  %c%c%c\n",
		       (unsigned long long)img.segments[i].paddr,
		       (unsigned long long)img.segments[i].memsz,
		       (unsigned long long)img.segments[i].filesz,
		       img.segments[i].flags & 4 ? 'R' : '-', img.segments[i].flags & 2 ? 'W' : '-',
		       img.segments[i].flags & 1 ? 'X' : '-');
	return 0;
}
