/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The policy language's scalar words (docs/policy.md, "Values"): sizes,
 * counts, percentages, durations and PCI addresses. Pure functions of the
 * word's text; each returns 0, or a negative code with *why naming what is
 * wrong (a static sentence the parser puts in its error).
 */
#ifndef POLICY_VALUE_H
#define POLICY_VALUE_H

#include <stddef.h>
#include <stdint.h>

/* "<digits>K", "<digits>M", "<digits>G": KiB, MiB, GiB. */
int value_size(const char *w, size_t n, uint64_t *bytes, const char **why);

/* "<digits>": a count. */
int value_count(const char *w, size_t n, uint64_t *v, const char **why);

/* "<digits>%". */
int value_percent(const char *w, size_t n, uint64_t *pct, const char **why);

/* "<digits>us", "<digits>ms", "<digits>s": microseconds. */
int value_duration(const char *w, size_t n, uint64_t *us, const char **why);

/* "<digits>": a CPU index, 0 .. BH_POLICY_MAX_CPUS - 1. */
int value_cpu(const char *w, size_t n, uint64_t *cpu, const char **why);

/* "<digits>" or "<digits>-<digits>": the CPUs first..last, each a CPU
 * index, first <= last. */
int value_cpu_range(const char *w, size_t n, uint32_t *first, uint32_t *last, const char **why);

/* "BB:DD.F" or "SSSS:BB:DD.F" in hex: BH_POLICY_PCI(seg, bus, dev, fn). */
int value_pci(const char *w, size_t n, uint32_t *address, const char **why);

#endif
