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

/* flood-console...: writes 64-byte lines to the console as fast as it can,
 * forever. */
int flood_console(void);

/* trespass...: after TRESPASS_AFTER_NS, reads guest-physical memory no VM
 * may reach (where its first channel would be; it has none), so the
 * kernel stops it with an EPT violation. Returns 1 only if it could not
 * even map that address in its own page tables. */
#define TRESPASS_AFTER_NS (300 * BH_NS_PER_MS)
int trespass(void);

#endif
