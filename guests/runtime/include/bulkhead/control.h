/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The control calls (BH_HC_VM_LAUNCH .. BH_HC_SHUTDOWN): typed wrappers
 * for the control VM, the one VM the policy may give the rights "launch",
 * "stop", "log" and "stats" (docs/policy.md, docs/cli.md). The calls and
 * their records are specified in bulkhead/hypercall.h and
 * docs/hypercalls.md; each wrapper is one VMCALL and returns the result as
 * the kernel gives it: >= 0 success, -BH_E* failure. A VM without the right
 * a call needs gets -BH_EPERM and nothing happens.
 *
 * Names are NUL-terminated strings of at most BH_CHANNEL_NAME_MAX bytes,
 * the NUL included; the kernel reads them from the caller's memory.
 */
#ifndef BULKHEAD_CONTROL_H
#define BULKHEAD_CONTROL_H

#include <stddef.h>
#include <stdint.h>

#include <bulkhead/hypercall.h>

/*
 * BH_HC_VM_LAUNCH: starts a VM called name from the template (a "boot no"
 * VM declaration) called template_name, which the caller's launch rule
 * must name. Returns the new VM's id, or -BH_EPERM (the rule does not name
 * the template), -BH_ENOENT (no such template), -BH_EEXIST (a VM called
 * name is running), -BH_EINVAL (a bad name), -BH_EDQUOT (the rule's
 * max-vms or max-memory would be exceeded), -BH_ENOMEM (the run-time pool
 * or physical memory is exhausted). Right "launch".
 */
int64_t bh_vm_launch(const char *template_name, const char *name);

/* BH_HC_VM_STOP: stops the running VM called name, which the caller
 * launched. Returns 0, -BH_ENOENT (no such running VM) or -BH_EPERM (not
 * one the caller may stop). Right "stop". */
int64_t bh_vm_stop(const char *name);

/* BH_HC_VM_LIST: writes up to max records of the VMs the kernel knows
 * (running or stopped) to buf. Returns how many it knows, which may be
 * more than max. Right "stats". */
int64_t bh_vm_list(struct bh_vm_stat *buf, size_t max);

/*
 * BH_HC_LOG_READ: copies up to len bytes of the kernel log ring starting
 * at *cursor (a byte count since boot) into buf and advances *cursor past
 * them. A cursor older than the ring first skips to its oldest byte; one
 * beyond the newest byte stays at the newest, except BH_LOG_CURSOR_CONSOLE,
 * which starts at the first line logged after the kernel handed the
 * console over (what the console's owner has not seen). Returns the bytes
 * copied (0: nothing new). Right "log".
 */
int64_t bh_log_read(uint64_t *cursor, char *buf, size_t len);

/* BH_HC_STATS: fills *out. Returns 0. Right "stats". */
int64_t bh_stats(struct bh_sys_stats *out);

/* BH_HC_CONSOLE_READ: copies up to len bytes of console input into buf:
 * for the control VM, which owns the console, what is typed on it; for
 * any other VM, what the console sent it while attached to it (its input
 * queue, whose arrivals set BH_EVENT_CONSOLE_INPUT). Returns the bytes
 * copied, 0 if none are waiting (it never waits). Right "console". */
int64_t bh_console_read(char *buf, size_t len);

/* BH_HC_CONSOLE_ATTACH: attaches the console to the live VM called name
 * ("" detaches): its partial lines are logged as it writes them
 * ("NAME+ text") and bh_console_send feeds its input. -BH_ENOENT: no such
 * live VM; -BH_EPERM: not the console's owner, or a VM it may not attach
 * to (itself, another VM's launch). Right "stop". */
int64_t bh_console_attach(const char *name);

/* BH_HC_CONSOLE_SEND: queues up to len bytes for the attached VM's input.
 * Returns how many were queued, fewer when its queue is full (it never
 * waits); len 0 only checks the attachment. -BH_ENOENT: nothing attached;
 * -BH_EPIPE: the attached VM has stopped. Right "stop". */
int64_t bh_console_send(const char *buf, size_t len);

/* BH_HC_IMAGES: writes up to max records of the bundle's images to buf.
 * Returns how many there are. Right "stats". */
int64_t bh_images(struct bh_image_info *buf, size_t max);

/* BH_HC_CHANNELS: writes up to max records of the channels set up to buf.
 * Returns how many there are. Right "stats". */
int64_t bh_channels(struct bh_channel_stat *buf, size_t max);

/* Flushes the console line buffer, then BH_HC_SHUTDOWN: powers the
 * machine off and does not return; if the call fails, returns its error
 * (-BH_EPERM without the right "stop"). */
int64_t bh_shutdown(void);

#endif
