/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * How the monitor's device models reach their guest's memory: never by a
 * pointer they compute, always through these calls, each of which checks
 * that the whole guest-physical range [gpa, gpa + n) is memory the guest
 * has (and that it does not wrap) before touching a byte. A range that
 * fails the check is -BH_EFAULT and nothing is copied. This is the
 * monitor's counterpart of the kernel's vm_copy (docs/style.md, rule 6):
 * a value that decides anything is copied in before it is checked, so
 * the guest cannot change it between the check and the use.
 */
#ifndef VMM_MEM_GUEST_MEMORY_H
#define VMM_MEM_GUEST_MEMORY_H

#include <stddef.h>
#include <stdint.h>

struct guest_memory {
	void *ctx;
	/* 0 if every byte of [gpa, gpa + n) is guest memory, else -BH_EFAULT.
	 * n == 0 is a range too, checked at gpa. */
	int (*check)(void *ctx, uint64_t gpa, uint64_t n);
	/* Copy n bytes from the guest at gpa into dst, or -BH_EFAULT. */
	int (*read)(void *ctx, uint64_t gpa, void *dst, size_t n);
	/* Copy n bytes from src into the guest at gpa, or -BH_EFAULT. */
	int (*write)(void *ctx, uint64_t gpa, const void *src, size_t n);
};

static inline int guest_check(const struct guest_memory *m, uint64_t gpa, uint64_t n)
{
	return m->check(m->ctx, gpa, n);
}

static inline int guest_read(const struct guest_memory *m, uint64_t gpa, void *dst, size_t n)
{
	return m->read(m->ctx, gpa, dst, n);
}

static inline int guest_write(const struct guest_memory *m, uint64_t gpa, const void *src, size_t n)
{
	return m->write(m->ctx, gpa, src, n);
}

#endif
