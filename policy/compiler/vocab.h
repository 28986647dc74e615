/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The words of the policy language that stand for blob values (VM kinds,
 * rights), and how sizes are written: shared by the parser, the checks'
 * messages and dump, so text and blob say the same thing.
 */
#ifndef POLICY_VOCAB_H
#define POLICY_VOCAB_H

#include <stddef.h>
#include <stdint.h>

/* right_names[i] names BH_POLICY_RIGHT bit i. */
extern const char *const right_names[];

/* The VM kind called w (n bytes), or 0. */
uint32_t vm_kind_from_word(const char *w, size_t n);
/* The word for a VM kind; "?" for an unknown value. */
const char *vm_kind_name(uint32_t kind);

/* Bit index of the right called w (n bytes), or -1. */
int right_from_word(const char *w, size_t n);

/* bytes as the language writes it: "64K", "2M", "1G" (the largest unit
 * that divides it), else a plain number of bytes. */
const char *format_size(uint64_t bytes, char *buf, size_t size);

/* Microseconds as the language writes them: "1s", "2ms", "1500us". */
const char *format_duration(uint64_t us, char *buf, size_t size);

#endif
