/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The isolation-test app (tests/system/test_isolation.py), after Muen's
 * isolation-test subject: one image, one probe per VM, chosen by the VM's
 * own name, one source file per isolation area.
 *
 * A containment probe says what it is about to do ("probe: ...") and does
 * it. The kernel must stop the VM there and log why. A probe that is still
 * alive afterwards says "probe: NOT CONTAINED ..." and exits with status 1.
 * Probes whose right outcome is a returned error or a value (hypercalls,
 * the allowed MSR reads, CPUID) print one "PASS ..." or "FAIL ..." line per check and a
 * summary line, and exit 0 only if every check passed.
 */
#ifndef ISOLATION_H
#define ISOLATION_H

#include <bulkhead/check.h>
#include <bulkhead/role.h>
#include <bulkhead/runtime.h>

/* Exit status when the VM's name names no probe: the same whether no area
 * claims the name (bh_role_run) or the area has no such probe. */
#define PROBE_UNKNOWN BH_ROLE_NONE

/* The probe areas, one role each (main.c): each runs the probe the VM's
 * name names and returns the exit status, or probe_unknown() if it has no
 * such probe. */
int memory_probe(void);      /* mem-TARGET-ACCESS */
int ioport_probe(void);      /* io-... */
int msr_probe(void);         /* msr-... */
int insn_probe(void);        /* insn-... */
int hypercall_probe(void);   /* hc-... */
int state_probe(void);       /* state-X: CPU state kept per VM */
int cpuid_probe(void);       /* cpuid-view: the filtered CPUID */

/* The probe's name: the VM's. */
const char *probe_name(void);

/* Prints "FAIL no probe is called 'NAME'"; returns PROBE_UNKNOWN. */
int probe_unknown(void);

#endif
