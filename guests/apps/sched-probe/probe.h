/* SPDX-License-Identifier: GPL-2.0-only */
/* sched-probe's roles that live outside main.c (flood.c). */
#ifndef SCHED_PROBE_H
#define SCHED_PROBE_H

/* flood-msr...: a refused RDMSR in a loop, catching its own #GP; never
 * returns. */
int flood_msr(void);

/* flood-io...: an OUT to port 0x80 in a loop; the kernel stops the VM at
 * the first one. */
int flood_io(void);

#endif
