/* SPDX-License-Identifier: GPL-2.0-only */
#include "value.h"

#include <stdbool.h>

#include <bulkhead/errno.h>
#include <bulkhead/policy_blob.h>

#include "lib/hex.h"

/* Leading decimal digits of [w, w+n) into *v; returns how many there
 * were, or -1 if the number does not fit 64 bits. */
static int digits(const char *w, size_t n, uint64_t *v)
{
	size_t i = 0;
	*v = 0;
	for (; i < n && w[i] >= '0' && w[i] <= '9'; i++) {
		uint64_t d = (uint64_t)(w[i] - '0');
		if (*v > (UINT64_MAX - d) / 10)
			return -1;
		*v = *v * 10 + d;
	}
	return (int)i;
}

/* A number followed by exactly one of the units; scale[] multiplies it. */
static int scaled(const char *w, size_t n, const char *const units[], const uint64_t scale[],
                  uint64_t *out, const char *bad, const char **why)
{
	uint64_t v;
	int nd = digits(w, n, &v);

	if (nd < 0) {
		*why = "the number is too large";
		return -BH_ERANGE;
	}
	if (nd == 0) {
		*why = bad;
		return -BH_EINVAL;
	}
	for (size_t u = 0; units[u]; u++) {
		size_t ul = 0;
		while (units[u][ul])
			ul++;
		if (n - (size_t)nd != ul)
			continue;
		bool same = true;
		for (size_t k = 0; k < ul; k++)
			same = same && w[nd + k] == units[u][k];
		if (!same)
			continue;
		if (v > UINT64_MAX / scale[u]) {
			*why = "the number is too large";
			return -BH_ERANGE;
		}
		*out = v * scale[u];
		return 0;
	}
	*why = bad;
	return -BH_EINVAL;
}

int value_size(const char *w, size_t n, uint64_t *bytes, const char **why)
{
	static const char *const units[] = { "K", "M", "G", NULL };
	static const uint64_t scale[] = { 1ull << 10, 1ull << 20, 1ull << 30 };
	return scaled(w, n, units, scale, bytes,
	              "a size is a number and a unit: K, M or G (like 64K, 2M, 1G)", why);
}

int value_count(const char *w, size_t n, uint64_t *v, const char **why)
{
	static const char *const units[] = { "", NULL };
	static const uint64_t scale[] = { 1 };
	return scaled(w, n, units, scale, v, "a count is a number (like 8)", why);
}

int value_percent(const char *w, size_t n, uint64_t *pct, const char **why)
{
	static const char *const units[] = { "%", NULL };
	static const uint64_t scale[] = { 1 };
	return scaled(w, n, units, scale, pct, "a CPU share is a percentage (like 20%)", why);
}

int value_duration(const char *w, size_t n, uint64_t *us, const char **why)
{
	static const char *const units[] = { "us", "ms", "s", NULL };
	static const uint64_t scale[] = { 1, 1000, 1000000 };
	return scaled(w, n, units, scale, us,
	              "a duration is a number and a unit: us, ms or s (like 2ms)", why);
}

int value_cpu(const char *w, size_t n, uint64_t *cpu, const char **why)
{
	static const char *const units[] = { "", NULL };
	static const uint64_t scale[] = { 1 };
	int rc = scaled(w, n, units, scale, cpu, "a CPU is a number (like 1)", why);

	if (rc == -BH_EINVAL)
		return rc;
	if (rc == -BH_ERANGE || *cpu >= BH_POLICY_MAX_CPUS) {
		*why = "CPUs are 0 (the boot CPU) to 31: BH_POLICY_MAX_CPUS is 32";
		return -BH_ERANGE;
	}
	return 0;
}

int value_cpu_range(const char *w, size_t n, uint32_t *first, uint32_t *last, const char **why)
{
	size_t dash = 0;
	uint64_t a = 0, b = 0;
	int rc;

	while (dash < n && w[dash] != '-')
		dash++;
	rc = value_cpu(w, dash, &a, why);
	b = a;
	if (rc == 0 && dash < n)
		rc = value_cpu(w + dash + 1, n - dash - 1, &b, why);
	if (rc == -BH_EINVAL)
		*why = "a CPU list holds CPUs and ranges of them (like 0-3 or 1,3)";
	if (rc)
		return rc;
	if (a > b) {
		*why = "a CPU range goes up, from its first CPU to its last (like 0-3)";
		return -BH_EINVAL;
	}
	*first = (uint32_t)a;
	*last = (uint32_t)b;
	return 0;
}

/* 1..max_digits hex digits at *p, then the character sep (0: the end of
 * the word); returns the value, or -1. */
static long hex_field(const char **p, const char *end, int max_digits, char sep)
{
	long v = 0;
	int nd = 0;
	while (*p < end && hex_digit_value(**p) >= 0) {
		if (++nd > max_digits)
			return -1;
		v = v * 16 + hex_digit_value(**p);
		(*p)++;
	}
	if (nd == 0)
		return -1;
	if (sep == 0)
		return *p == end ? v : -1;
	if (*p == end || **p != sep)
		return -1;
	(*p)++;
	return v;
}

int value_pci(const char *w, size_t n, uint32_t *address, const char **why)
{
	const char *p = w, *end = w + n;
	long seg = 0, bus, dev, fn;
	int colons = 0;

	for (size_t i = 0; i < n; i++)
		colons += w[i] == ':';
	*why = "a PCI address is BB:DD.F or SSSS:BB:DD.F in hex (like 00:03.0)";
	if (colons == 2 && (seg = hex_field(&p, end, 4, ':')) < 0)
		return -BH_EINVAL;
	if ((colons != 1 && colons != 2) || (bus = hex_field(&p, end, 2, ':')) < 0 ||
	    (dev = hex_field(&p, end, 2, '.')) < 0 || (fn = hex_field(&p, end, 1, 0)) < 0)
		return -BH_EINVAL;
	if (dev > 0x1f || fn > 7) {
		*why = "the PCI device number is at most 1f and the function at most 7";
		return -BH_ERANGE;
	}
	*address = BH_POLICY_PCI(seg, bus, dev, fn);
	return 0;
}
