/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The arch seam for running VMs (x86: arch/x86/virt.c forwards to the
 * VT-x back end in arch/x86/vmx/ or the AMD-V one in arch/x86/svm/, chosen
 * by arch_virt_probe from what the CPU offers). Generic code
 * (kernel/vm.c, kernel/sched.c) creates VMs and schedules them; the arch
 * code owns the hardware virtualization state and handles the exits that
 * need no policy (CPUID, MSRs, I/O denial, EPT violations, ...), passing
 * hypercalls to kernel/hypercall.c.
 */
#ifndef ARCH_VIRT_H
#define ARCH_VIRT_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel/vm.h"

/* Initial guest register state (docs/guest-abi.md). */
struct arch_guest_start {
	uint64_t rip, rsp, rdi;
	uint64_t cr3;           /* guest-physical address of the guest's PML4 */
	bool pvh;               /* a Linux guest: ignore the above, start at reset
	                         * (arch_linux_reset) with Linux's exit handling */
};

/*
 * Turns hardware virtualization on for the boot CPU (VMXON, or EFER.SVME
 * and the host save area) and computes the VM controls. Only after
 * arch_virt_probe found the CPU able to run VMs. Returns 0 or a negative
 * error with *why set.
 */
int arch_virt_init(const char **why);

/* What runs VMs, for the boot log ("VT-x and EPT", "AMD-V and NPT"); only
 * after arch_virt_probe found the CPU able to run VMs. */
const char *arch_virt_name(void);

/*
 * Gives vm its hardware state: a second-level page table (EPT or NPT) mapping guest-physical
 * [0, mem_size) to host [mem_hpa, mem_hpa + mem_size) read/write/execute
 * and nothing else, a tag for its TLB entries (VPID or ASID), a VMCS or
 * VMCB with the start state. Returns 0 or a
 * negative error; on error nothing is left allocated.
 */
int arch_vm_setup(struct vm *vm, const struct arch_guest_start *start);

/*
 * Maps host [hpa, hpa+size) at guest-physical gpa into vm's EPT or NPT, readable
 * (and writable if asked), never executable; stale translations are
 * flushed. Returns 0, -BH_EEXIST, -BH_EINVAL or -BH_ENOMEM (nothing mapped).
 */
int arch_vm_map(struct vm *vm, uint64_t gpa, uint64_t hpa, uint64_t size, bool writable);

/*
 * Maps a device's registers, host [hpa, hpa+size), at guest-physical gpa
 * into vm's EPT or NPT: readable and writable, never executable, and
 * uncached (memory type UC), as device registers must be. Same results as
 * arch_vm_map.
 */
int arch_vm_map_mmio(struct vm *vm, uint64_t gpa, uint64_t hpa, uint64_t size);

/*
 * Takes guest-physical [gpa, gpa+size), mapped whole by arch_vm_map, out of
 * vm's EPT or NPT; a later touch of it is a violation exit. Only on vm's own
 * CPU (vm->cpu), between its exits: a VM runs on that CPU alone, so that
 * CPU's TLB is the only one that can hold its translations, and they are
 * flushed here (VT-x: INVEPT single-context) or before its next entry
 * (AMD-V: its ASID). Returns 0, or -BH_ENOMEM if a large page had to be
 * split and could not be (nothing was unmapped).
 */
int arch_vm_unmap(struct vm *vm, uint64_t gpa, uint64_t size);

/* Kernel memory vm's hardware state holds: VMCS or VMCB, EPT or NPT
 * tables, vCPU state. */
uint64_t arch_vm_kernel_bytes(const struct vm *vm);

/*
 * The CPU that built vm (arch_vm_setup) is done with its vCPU state: if vm
 * runs on another CPU (vm->cpu), its state is made loadable there (VT-x:
 * VMCLEAR). Until then only the building CPU may touch it (the Linux
 * loader reads the new guest's registers for its monitor's first exit).
 */
void arch_vm_hand_over(struct vm *vm);

/*
 * On vm's CPU (vm->cpu), once it stopped: makes it unreachable from this
 * CPU (docs/design.md, "CPUs"): its VMCS is written back and no longer
 * current (VT-x VMCLEAR), the TLB entries of its EPT or NPT and its VPID or
 * ASID are flushed, and the CPU holds none of its register state. Only
 * after this may arch_vm_teardown, on any CPU, free what it reaches.
 */
void arch_vm_release(struct vm *vm);

/* Frees what arch_vm_setup allocated; the VM must not run again, and
 * arch_vm_release ran for it on its CPU if it ever could have run. */
void arch_vm_teardown(struct vm *vm);

/*
 * Runs vm until its slice ends at TSC value `until`, it yields, waits, or is
 * stopped. Hypercalls and contained faults are handled inside; the caller
 * charges the VM for the time this takes (sched_charge).
 */
enum vm_run_result arch_vm_run(struct vm *vm, uint64_t until);

/* Sets the value a waiting VM's pending hypercall returns when it resumes. */
void arch_vm_set_return(struct vm *vm, int64_t value);

/* ---- Linux guests (kernel/monitor.h, docs/monitor.md) ------------------ */

struct bh_monitor_regs;

/* Whether this back end runs Linux guests; if not, *why says what is missing. */
bool arch_linux_supported(const char **why);

/* The guest's registers, for the exit page. */
void arch_linux_get_regs(struct vm *vm, struct bh_monitor_regs *r);

/* Takes the monitor's answer: the general registers and RIP; the rest of
 * *r is ignored. */
void arch_linux_set_regs(struct vm *vm, const struct bh_monitor_regs *r);

/* Puts the guest's vCPU in the PVH start state: 32-bit protected mode,
 * paging off, flat segments, interrupts off, general registers zero, no
 * event pending; EFER, CR4, the syscall and debug state at reset values. */
void arch_linux_reset(struct vm *vm);

/*
 * Writes the guest's boot page tables into its own memory at
 * BH_GUEST_PAGE_TABLES (docs/guest-abi.md): identity map of
 * [BH_GUEST_START_INFO, mem_size), page 0 absent, read/write and
 * non-executable except the ranges in exec[] (read+execute) and ro[]
 * (read-only). Returns the guest-physical address of the PML4, or 0.
 */
struct guest_range { uint64_t start, end; };
uint64_t arch_guest_build_paging(struct vm *vm, const struct guest_range *exec, int nexec,
                                 const struct guest_range *ro, int nro);

#endif
