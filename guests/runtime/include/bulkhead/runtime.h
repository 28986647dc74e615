/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The native app runtime: what a Bulkhead app VM links against instead of a
 * C library (guests/README.md). An app defines
 *
 *     int main(void);
 *
 * The runtime's _start (start.asm) zeroes .bss, checks the start-info page,
 * sets up the heap, calls main and ends the VM with BH_HC_EXIT(main's
 * return value), flushing buffered console output first.
 *
 * Everything here runs on the VM's single vCPU with interrupts off: nothing
 * is reentrant or thread-safe, and nothing needs to be.
 *
 * Also available through this header: bh_snprintf/bh_vsnprintf
 * (lib/format.h), the name rule bh_name_valid (lib/names.h) and the C mem*
 * and str* functions (lib/string.h), built from the same sources as the
 * kernel's.
 */
#ifndef BULKHEAD_RUNTIME_H
#define BULKHEAD_RUNTIME_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <bulkhead/channel.h>
#include <bulkhead/control.h>
#include <bulkhead/errno.h>
#include <bulkhead/guest_abi.h>
#include <bulkhead/hypercall.h>

#include "lib/format.h"
#include "lib/names.h"
#include "lib/string.h"

#define BH_NS_PER_US 1000ull
#define BH_NS_PER_MS 1000000ull
#define BH_NS_PER_S  1000000000ull

/* ---- Hypercalls (docs/hypercalls.md) -------------------------------------
 * One VMCALL each unless said otherwise. Results are as the hypercall
 * returns them: >= 0 success, -BH_E* failure. */

/* BH_HC_NULL: returns 0. For measuring the cost of a VM exit. */
int64_t bh_null(void);

/*
 * BH_HC_CONSOLE_WRITE, in as many calls of at most BH_CONSOLE_WRITE_MAX
 * bytes as len needs. Unbuffered: bypasses (and does not flush) the
 * bh_printf line buffer. A call that takes nothing (the console owner's
 * output queue is full) is retried after 1 ms, for up to 2 s without
 * progress. Returns the bytes written, which is len unless a call failed
 * or stalled: then the count written before, or the error if nothing was
 * written (-BH_EFAULT: buf is outside the VM's memory).
 */
int64_t bh_console_write(const char *buf, size_t len);

/* BH_HC_YIELD: lets the next runnable VM run. Returns 0. */
int64_t bh_yield(void);

/*
 * BH_HC_WAIT: waits until an event is pending or timeout_ns have passed
 * (BH_WAIT_POLL: don't wait; BH_WAIT_FOREVER: no timeout). Returns the
 * pending event bits (> 0), which are then cleared, or -BH_ETIMEDOUT.
 * Events that arrived during bh_sleep_ns are kept by the runtime and
 * returned by the next bh_wait, at once, merged with any pending since.
 */
int64_t bh_wait(uint64_t timeout_ns);

/* BH_HC_TIME: monotonic nanoseconds since boot. */
uint64_t bh_time_ns(void);


/* Flushes the console line buffer, then BH_HC_EXIT(status). The status is
 * logged by the kernel. */
__attribute__((noreturn)) void bh_exit(int64_t status);

/*
 * BH_HC_SELF: returns this VM's id (>= 0). If len > 0, also copies the
 * VM's NUL-terminated name into name_buf: -BH_ERANGE (nothing copied) if
 * it doesn't fit, -BH_EFAULT if [name_buf, name_buf + len) is outside the
 * VM's memory. BH_GUEST_NAME_MAX bytes always suffice.
 */
int64_t bh_self(char *name_buf, size_t len);

/*
 * BH_HC_MONITOR_RUN, for a Linux VM's monitor (bulkhead/monitor.h): hands
 * the kernel the answer waiting in the exit page, then waits like bh_wait
 * until the guest takes a forwarded exit (result bit
 * BH_EVENT_MONITOR_EXIT), a channel event arrives, or timeout_ns pass.
 * Returns the bits (> 0) or -BH_ETIMEDOUT; events bh_sleep_ns kept are
 * not merged in. Other VMs get -BH_EPERM.
 */
int64_t bh_monitor_run(uint64_t timeout_ns);

/*
 * BH_HC_DEVICE_CONFIG, for a VM holding a PCI device grant (a native VM
 * for its own functions, or a Linux VM's monitor for its guest's): one
 * access to the configuration space of the function at devfn (slot << 3 |
 * function) on the VM's virtual bus 0, as the kernel virtualises it.
 * size is 1, 2 or 4, offset below 4096 and aligned to size. A read
 * (write false) returns the value, zero-extended, all ones of the size
 * where no function is; a write returns 0 (dropped where no function is).
 * -BH_EINVAL: bad size, alignment or offset; -BH_EPERM: the VM holds no
 * device.
 */
int64_t bh_device_config(uint32_t devfn, uint32_t offset, uint32_t size, uint32_t value,
                         bool write);

/* BH_HC_DEVICE_MMIO: one aligned 4-byte access at gpa to a BAR of a held
 * device that the kernel keeps rather than maps (the MSI-X table). A read
 * returns the value, a write 0; -BH_EINVAL (alignment), -BH_ENOENT (not
 * such a BAR), -BH_EPERM (no device held). */
int64_t bh_device_mmio(uint64_t gpa, uint32_t value, bool write);

/* ---- Console output ------------------------------------------------------
 * Output is gathered in a line buffer and written with one
 * BH_HC_CONSOLE_WRITE per line: on '\n', when the buffer is full, on
 * bh_flush and on bh_exit. The kernel prints each line as "NAME: text". */

/* printf with lib/format.h's conversions. Returns the length of the whole
 * formatted output. Output longer than 255 bytes is formatted in a heap
 * buffer; if that allocation fails, only the first 255 bytes appear. */
int bh_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int bh_vprintf(const char *fmt, va_list ap);

/*
 * Formats fmt and hands the whole text to emit(ctx, text, length) in one
 * call, for apps with an output path of their own (the CLI's console
 * buffer). Formats on the stack, and output longer than 255 bytes again in
 * a heap buffer; if that allocation fails, emit gets the first 255 bytes.
 * Returns the length of the whole formatted output. bh_vprintf is this
 * with the line buffer as the output path.
 */
typedef void (*bh_emit_fn)(void *ctx, const char *s, size_t n);
int bh_vformat(bh_emit_fn emit, void *ctx, const char *fmt, va_list ap);

/* Writes s and a '\n'. Returns strlen(s) + 1. */
int bh_puts(const char *s);

/* Writes the byte c. Returns (unsigned char)c. */
int bh_putchar(int c);

/* Writes out the line buffer now. */
void bh_flush(void);

/* Prints "panic: " and the message on a line of its own, then
 * bh_exit(BH_EXIT_PANIC). For broken invariants, not for expected errors. */
#define BH_EXIT_PANIC (-1)
__attribute__((noreturn, format(printf, 1, 2)))
void bh_panic(const char *fmt, ...);

/* ---- Heap ----------------------------------------------------------------
 * First-fit with a coalescing free list over [image_end, stack_top -
 * stack_size) of the start-info page. Pointers are 16-byte aligned. */

/* size bytes, uninitialised; NULL if there is no room. bh_malloc(0)
 * returns a unique non-NULL pointer, so NULL always means failure. */
void *bh_malloc(size_t size);

/* n * size zeroed bytes; NULL if there is no room or n * size overflows. */
void *bh_calloc(size_t n, size_t size);

/* Frees what bh_malloc, bh_calloc or bh_realloc returned; NULL is a no-op.
 * Any other pointer (including a second free) is a bh_panic. */
void bh_free(void *ptr);

/*
 * Resizes ptr's allocation to size bytes, keeping the contents up to the
 * smaller size; in place when possible. Returns the new pointer, or NULL
 * with ptr still valid and unchanged if there is no room. ptr NULL acts as
 * bh_malloc(size); size 0 frees ptr and returns NULL. A pointer bh_free
 * would not accept is a bh_panic.
 */
void *bh_realloc(void *ptr, size_t size);

struct bh_malloc_stats {
	size_t heap_size;     /* bytes the heap manages, headers included */
	size_t free_bytes;    /* payload bytes free, over all free blocks */
	size_t largest_free;  /* largest bh_malloc that would succeed now */
	size_t used_bytes;    /* payload bytes allocated */
};

/* Fills *st after checking every block; a corrupted heap is a bh_panic. */
void bh_malloc_stats(struct bh_malloc_stats *st);

/* ---- Time ---------------------------------------------------------------- */

/* Returns no earlier than ns nanoseconds of BH_HC_TIME time from now,
 * waiting (costing no CPU) with BH_HC_WAIT timeouts. Events that arrive
 * meanwhile are kept for the next bh_wait. */
void bh_sleep_ns(uint64_t ns);

/* ---- Start info ----------------------------------------------------------- */

/* The start-info page the kernel passed in (never NULL once main runs). */
const struct bh_start_info *bh_start_info(void);

/* Defined by the app. Its return value becomes the BH_HC_EXIT status. */
int main(void);

/* Sorts a[0..n) ascending in place (heapsort: no memory, O(n log n)),
 * for apps that summarise samples (medians, percentiles). */
void bh_sort_u64(uint64_t *a, size_t n);

#endif
