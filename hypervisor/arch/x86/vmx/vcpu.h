/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * VT-x state of a VM's vCPU (private to arch/x86/vmx): its VMCS, EPT,
 * VPID and the guest state the VMCS does not hold.
 */
#ifndef ARCH_X86_VMX_VCPU_H
#define ARCH_X86_VMX_VCPU_H

#include <stdbool.h>
#include <stdint.h>

#include "arch/x86/cpu.h"
#include "arch/x86/linux_msr.h"
#include "arch/x86/mm/ept.h"
#include "arch/x86/vmx/guest_regs.h"

/*
 * MSRs a guest reaches without an exit that no VMCS field holds: run.c
 * keeps them per VM. KERNEL_GS_BASE is written and read by SWAPGS. A
 * Linux guest's STAR, LSTAR, CSTAR, SFMASK and TSC_AUX join with one line
 * each once the MSR bitmap lets the guest write them.
 */
#define VCPU_SWITCHED_MSRS {      \
	MSR_KERNEL_GS_BASE,       \
}
#define VCPU_NR_SWITCHED_MSRS (sizeof((const uint32_t[])VCPU_SWITCHED_MSRS) / sizeof(uint32_t))

struct arch_vcpu {
	struct guest_regs regs;
	uint64_t vmcs_phys;
	bool launched;            /* VMLAUNCH done: use VMRESUME */
	unsigned cpu;             /* the one CPU that may load the VMCS: the one that
	                           * built it, then (arch_vm_hand_over) its VM's */
	bool host_state_here;     /* the VMCS's host state is that CPU's */
	struct ept ept;
	uint16_t vpid;            /* 0 when VPID is not in use */
	uint8_t cr8;              /* the guest's task priority (CR8 is emulated) */
	uint8_t fx[512] __attribute__((aligned(16)));   /* x87/SSE state */
	uint64_t msrs[VCPU_NR_SWITCHED_MSRS];           /* as VCPU_SWITCHED_MSRS lists them */
	/* A Linux guest (vmx/linux_guest.c): its exits go through
	 * vmx_linux_handle_exit, and it owns these too. */
	bool linux_guest;
	struct linux_msrs lmsrs;
	uint64_t syscall_msrs[4];  /* STAR, LSTAR, CSTAR, SFMASK: switched by hand */
	uint64_t dr[4];            /* DR0-3 */
};

/* Controls computed once from the capability MSRs (vmcs_setup.c). */
int vmx_controls_init(void);

/*
 * Creates the VMCS of vm (whose memory is set up), a frame of vm->frames,
 * with the initial guest state from start. Leaves it current on this CPU.
 * Returns 0, -BH_ENOMEM, -BH_EIO, or -BH_ENOSPC when VPIDs are in use and
 * the VM's id (its VPID) is above 0xffff.
 */
struct vm;
struct arch_guest_start;
int vmcs_setup(struct vm *vm, struct arch_vcpu *v, const struct arch_guest_start *start);

/* In the current VMCS: the guest's RSP, RIP and RFLAGS, no debug
 * exception or interrupt blocking pending, active, DR7 and SYSENTER at
 * reset values. */
void vmcs_guest_entry_state(uint64_t rsp, uint64_t rip, uint64_t rflags);

/* VMCLEARs the VMCS of v and gives it back to frames (its VM's). */
struct frame_alloc;
void vmcs_forget(struct arch_vcpu *v, struct frame_alloc *frames);

/* Makes v's VMCS current on this CPU (VMPTRLD if it is not already), the
 * first time there with this CPU's host state. -BH_EIO if this is not the
 * CPU that may load it (v->cpu) or VMPTRLD fails. */
int vcpu_load(struct arch_vcpu *v);

/* VMCLEARs v's VMCS on this CPU: written back, not current, launch state
 * clear, so the next VMPTRLD may be on any CPU. */
void vcpu_unload(struct arch_vcpu *v);

/* ---- vmx/linux_guest.c: Linux guests (arch/virt.h, kernel/monitor.h) -- */

/* Whether the CPU offers what Linux guests need: unrestricted guest (to
 * start in the PVH state, paging off) and interrupt-window exiting. */
bool vmx_linux_capable(void);

/* Makes v, whose VMCS vmcs_setup just made current, a Linux guest's vCPU
 * at reset. Returns 0 or -BH_ENOMEM. */
int vmx_linux_init(struct vm *vm, struct arch_vcpu *v);

/* Before each entry (v's VMCS current): the guest's own registers, the
 * timer deadline, interrupt injection or the window; returns until, moved
 * earlier to the guest's timer deadline. */
uint64_t vmx_linux_before_entry(struct vm *vm, struct arch_vcpu *v, uint64_t until);

/* Handles a Linux guest's exit: EXIT_RESUME or an enum vm_run_result. */
int vmx_linux_handle_exit(struct vm *vm, struct arch_vcpu *v);

struct bh_monitor_regs;
void vmx_linux_get_regs(struct vm *vm, struct bh_monitor_regs *r);
void vmx_linux_set_regs(struct vm *vm, const struct bh_monitor_regs *r);
void vmx_linux_reset(struct vm *vm);

#endif
