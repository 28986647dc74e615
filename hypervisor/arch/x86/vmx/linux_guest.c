/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Linux guests on VT-x (docs/monitor.md): the PVH start state, the VMCS
 * controls and the exits; the AMD-V twin is svm/linux_guest.c. The guest
 * starts in 32-bit protected mode with paging off, which needs
 * unrestricted guest. It owns its control registers except CR0.PG and
 * CR0.NE (PG: entering or leaving long mode changes the "IA-32e mode
 * guest" entry control and EFER.LMA, which the kernel keeps in step; NE:
 * VMX needs it set) and CR4.VMXE (VMX needs it set; the guest sees it
 * clear). Its debug registers, segment bases and syscall MSRs are its own:
 * the VMCS switches most, and the kernel moves DR0-3, STAR, LSTAR, CSTAR
 * and SFMASK by hand when another Linux guest runs (native VMs cannot
 * reach them). CPUID, the other MSRs, HLT, interrupts and the timer
 * deadline are the kernel's; port I/O, the device window and triple faults
 * go to the monitor.
 */
#include "arch/x86/vmx/vcpu.h"

#include <bulkhead/errno.h>
#include <bulkhead/monitor.h>

#include "arch/time.h"
#include "arch/x86/cpu.h"
#include "arch/x86/guest_exits.h"
#include "arch/x86/guest_fx.h"
#include "arch/x86/linux_exits.h"
#include "arch/x86/percpu.h"
#include "arch/x86/vmx/controls.h"
#include "arch/x86/vmx/exit_qual.h"
#include "arch/x86/vmx/exits.h"
#include "arch/x86/vmx/vmcs.h"
#include "arch/x86/vmx/vmx_defs.h"
#include "arch/x86/vmx/vmx_insn.h"
#include "arch/x86/x86_defs.h"
#include "kernel/log.h"
#include "kernel/monitor.h"
#include "kernel/vm.h"
#include "lib/format.h"
#include "lib/string.h"
#include "mm/phys.h"

#define RFLAGS_IF      (1ull << 9)
#define CR0_ET         (1ull << 4)
#define CR0_NE         (1ull << 5)
#define CR0_PG         (1ull << 31)
#define EFER_LME       (1ull << 8)

/* CR0 and CR4 bits the kernel owns for a Linux guest. */
#define LINUX_CR0_OWNED (CR0_PG | CR0_NE)
#define LINUX_CR4_OWNED CR4_VMXE

/* Guest interruptibility (SDM Vol. 3C §25.4.2): blocking by STI or MOV SS. */
#define INTERRUPTIBILITY_BLOCKING 0x3u

/* Access rights of the PVH start state's segments (SDM Vol. 3C §25.4.1). */
#define AR_CODE32 0xc09bu
#define AR_DATA32 0xc093u
#define AR_TSS32  0x008bu   /* busy 32-bit TSS */
#define AR_L      (1u << 13)
#define AR_DB     (1u << 14)

/* The MSR bitmap of Linux guests: one page (SDM Vol. 3C §25.6.9), all
 * ones but for the MSRs the guest owns. */
static uint64_t linux_msr_bitmap;

static const uint32_t passthrough_msrs[] = {
	0x00000174, 0x00000175, 0x00000176,               /* SYSENTER_CS, ESP, EIP: VMCS */
	0xc0000081, 0xc0000082, 0xc0000083, 0xc0000084,   /* STAR, LSTAR, CSTAR, SFMASK */
	0xc0000100, 0xc0000101, 0xc0000102,               /* FS_BASE, GS_BASE: VMCS; KERNEL_GS_BASE */
};

/* STAR, LSTAR, CSTAR, SFMASK: the Linux guest's, moved by hand. */
static const uint32_t syscall_msrs[4] = { 0xc0000081, 0xc0000082, 0xc0000083, 0xc0000084 };

/* Clears the read and write intercepts of msr: read bitmaps at 0 (low
 * MSRs) and 1024 (0xc0000000...), write bitmaps 2048 bytes later. */
static void bitmap_allow(uint8_t *map, uint32_t msr)
{
	uint32_t base = msr >= 0xc0000000u ? 1024 : 0, bit = msr & 0x1fff;
	map[base + bit / 8] &= (uint8_t)~(1u << (bit % 8));
	map[2048 + base + bit / 8] &= (uint8_t)~(1u << (bit % 8));
}

static int linux_msr_bitmap_init(void)
{
	if (linux_msr_bitmap)
		return 0;
	uint64_t p = frame_alloc(&phys_frames, 1, 1);
	if (!p)
		return -BH_ENOMEM;
	memset((void *)(uintptr_t)p, 0xff, PAGE_SIZE);
	for (size_t i = 0; i < sizeof(passthrough_msrs) / sizeof(passthrough_msrs[0]); i++)
		bitmap_allow((uint8_t *)(uintptr_t)p, passthrough_msrs[i]);
	linux_msr_bitmap = p;
	return 0;
}

#define SEGMENT VMCS_FLAT_SEGMENT

/* The PVH start state (as Linux's pvh_start_xen expects it): 32-bit
 * protected mode, paging off, flat 4 GiB segments. v's VMCS is current. */
static void reset_state(struct arch_vcpu *v)
{
	uint64_t cr0 = CR0_PE | CR0_ET;
	uint64_t fixed0 = rdmsr(MSR_IA32_VMX_CR0_FIXED0) & ~(CR0_PE | CR0_PG);

	vmcs_writel(GUEST_CR0, vmx_fixed_bits(cr0, fixed0, rdmsr(MSR_IA32_VMX_CR0_FIXED1)));
	vmcs_writel(GUEST_CR4, vmx_fixed_bits(0, rdmsr(MSR_IA32_VMX_CR4_FIXED0),
	                                      rdmsr(MSR_IA32_VMX_CR4_FIXED1)));
	vmcs_writel(CR0_READ_SHADOW, cr0);
	vmcs_writel(CR4_READ_SHADOW, 0);
	vmcs_writel(CR0_GUEST_HOST_MASK, LINUX_CR0_OWNED);
	vmcs_writel(CR4_GUEST_HOST_MASK, LINUX_CR4_OWNED);
	vmcs_writel(GUEST_CR3, 0);
	vmcs_write64(GUEST_IA32_EFER, 0);
	vmcs_write64(GUEST_IA32_PAT, PAT_POWER_ON_DEFAULT);
	vmcs_write32(VM_ENTRY_CONTROLS, vmcs_read32(VM_ENTRY_CONTROLS) & ~VM_ENTRY_IA32E_MODE);

	SEGMENT(CS, 0x10, AR_CODE32, 0xffffffff);
	SEGMENT(SS, 0x18, AR_DATA32, 0xffffffff);
	SEGMENT(DS, 0x18, AR_DATA32, 0xffffffff);
	SEGMENT(ES, 0x18, AR_DATA32, 0xffffffff);
	SEGMENT(FS, 0x18, AR_DATA32, 0xffffffff);
	SEGMENT(GS, 0x18, AR_DATA32, 0xffffffff);
	SEGMENT(TR, 0x20, AR_TSS32, 0x67);
	SEGMENT(LDTR, 0, VMX_AR_UNUSABLE_MASK, 0);
	vmcs_writel(GUEST_GDTR_BASE, 0);
	vmcs_write32(GUEST_GDTR_LIMIT, 0xffff);
	vmcs_writel(GUEST_IDTR_BASE, 0);
	vmcs_write32(GUEST_IDTR_LIMIT, 0xffff);

	vmcs_guest_entry_state(0, 0, 2);
	vmcs_write32(VM_ENTRY_INTR_INFO_FIELD, 0);
	vmcs_write32(CPU_BASED_VM_EXEC_CONTROL,
	             vmcs_read32(CPU_BASED_VM_EXEC_CONTROL) & ~CPU_BASED_INTR_WINDOW_EXITING);

	v->regs = (struct guest_regs){ 0 };
	memset(v->dr, 0, sizeof(v->dr));
	memset(v->syscall_msrs, 0, sizeof(v->syscall_msrs));
	memset(v->msrs, 0, sizeof(v->msrs));
	v->cr8 = 0;
	guest_fx_reset(v->fx);
	linux_msrs_reset(&v->lmsrs);
	if (v->vpid)
		invvpid(INVVPID_SINGLE_CONTEXT, v->vpid);
}

int vmx_linux_init(struct vm *vm, struct arch_vcpu *v)
{
	(void)vm;
	if (!vmx_linux_capable())
		return -BH_ENOSYS;
	int rc = linux_msr_bitmap_init();
	if (rc)
		return rc;
	vmcs_write32(CPU_BASED_VM_EXEC_CONTROL,
	             vmcs_read32(CPU_BASED_VM_EXEC_CONTROL) & ~CPU_BASED_MOV_DR_EXITING);
	vmcs_write32(SECONDARY_VM_EXEC_CONTROL,
	             vmcs_read32(SECONDARY_VM_EXEC_CONTROL) | SECONDARY_EXEC_UNRESTRICTED_GUEST);
	vmcs_write64(MSR_BITMAP, linux_msr_bitmap);
	v->linux_guest = true;
	reset_state(v);
	return 0;
}

/* Makes the guest's VMCS current for the monitor's call; false, said
 * loudly, if this CPU may not (it is not the guest's: a kernel bug). */
static bool load_for_monitor(struct vm *vm, struct arch_vcpu *v, const char *what)
{
	if (vcpu_load(v) == 0)
		return true;
	kprintf("vmx: vm %s: its VMCS cannot be loaded on this CPU: %s not done\n", vm->name,
	        what);
	return false;
}

void vmx_linux_reset(struct vm *vm)
{
	struct arch_vcpu *v = vm->arch;
	if (load_for_monitor(vm, v, "reset"))
		reset_state(v);
}

/* ---- the guest's own registers in the CPU ------------------------------ */

static void switch_linux_state(struct vm *vm, struct arch_vcpu *v)
{
	struct vm **owner = &percpu_this()->linux_owner;

	if (*owner == vm)
		return;
	if (*owner && (*owner)->arch) {
		struct arch_vcpu *o = (*owner)->arch;
		for (unsigned i = 0; i < 4; i++) {
			o->dr[i] = read_dr(i);
			o->syscall_msrs[i] = rdmsr(syscall_msrs[i]);
		}
	}
	for (unsigned i = 0; i < 4; i++) {
		write_dr(i, v->dr[i]);
		wrmsr(syscall_msrs[i], v->syscall_msrs[i]);
	}
	*owner = vm;
}

/* ---- interrupts -------------------------------------------------------- */

uint64_t vmx_linux_before_entry(struct vm *vm, struct arch_vcpu *v, uint64_t until)
{
	switch_linux_state(vm, v);
	monitor_timer_tick(vm, rdtsc());
	uint64_t deadline = monitor_timer_deadline(vm);
	if (deadline && deadline < until)
		until = deadline;

	uint32_t proc = vmcs_read32(CPU_BASED_VM_EXEC_CONTROL) & ~CPU_BASED_INTR_WINDOW_EXITING;
	int vector = monitor_pending_vector(vm);
	if (vector >= 0) {
		bool can_take = (vmcs_readl(GUEST_RFLAGS) & RFLAGS_IF) &&
		                !(vmcs_read32(GUEST_INTERRUPTIBILITY_INFO) & INTERRUPTIBILITY_BLOCKING);
		bool event_pending = vmcs_read32(VM_ENTRY_INTR_INFO_FIELD) & INTR_INFO_VALID_MASK;
		if (can_take && !event_pending) {
			/* Type 0: an external interrupt (SDM Vol. 3C §25.8.3). */
			vmcs_write32(VM_ENTRY_INTR_INFO_FIELD, INTR_INFO_VALID_MASK | (uint32_t)vector);
			monitor_vector_delivered(vm, (unsigned)vector);
		} else {
			proc |= CPU_BASED_INTR_WINDOW_EXITING;
		}
	}
	vmcs_write32(CPU_BASED_VM_EXEC_CONTROL, proc);
	return until;
}

/* An event whose delivery the exit interrupted is delivered again at the
 * next entry (SDM Vol. 3C §28.2.4, §27.6.? "IDT-vectoring information"),
 * or the guest would lose it. */
static void reinject_interrupted_event(void)
{
	uint32_t info = vmcs_read32(IDT_VECTORING_INFO_FIELD);
	if (!(info & INTR_INFO_VALID_MASK)) {
		vmcs_write32(VM_ENTRY_INTR_INFO_FIELD, 0);
		return;
	}
	vmcs_write32(VM_ENTRY_INTR_INFO_FIELD, info & ~(1u << 12));   /* bit 12: not defined here */
	if (info & INTR_INFO_DELIVER_CODE_MASK)
		vmcs_write32(VM_ENTRY_EXCEPTION_ERROR_CODE, vmcs_read32(IDT_VECTORING_ERROR_CODE));
	vmcs_write32(VM_ENTRY_INSTRUCTION_LEN, vmcs_read32(VM_EXIT_INSTRUCTION_LEN));
}

/* ---- registers for the monitor ----------------------------------------- */

void vmx_linux_get_regs(struct vm *vm, struct bh_monitor_regs *r)
{
	struct arch_vcpu *v = vm->arch;
	const struct guest_regs *g = &v->regs;

	if (!load_for_monitor(vm, v, "reading its registers")) {
		*r = (struct bh_monitor_regs){ 0 };
		return;
	}
	uint32_t cs = vmcs_read32(GUEST_CS_AR_BYTES);
	*r = (struct bh_monitor_regs){
		.rsp = vmcs_readl(GUEST_RSP), .rip = vmcs_readl(GUEST_RIP),
		.rflags = vmcs_readl(GUEST_RFLAGS),
		.cr0 = (vmcs_readl(GUEST_CR0) & ~LINUX_CR0_OWNED) |
		       (vmcs_readl(CR0_READ_SHADOW) & LINUX_CR0_OWNED),
		.cr3 = vmcs_readl(GUEST_CR3),
		.cr4 = vmcs_readl(GUEST_CR4) & ~LINUX_CR4_OWNED,
		.efer = vmcs_read64(GUEST_IA32_EFER), .cs_base = vmcs_readl(GUEST_CS_BASE),
		.cs_flags = (cs & AR_L ? BH_MON_CS_L : 0) | (cs & AR_DB ? BH_MON_CS_DB : 0),
		.cpl = (cs >> 5) & 3,
	};
	linux_regs_from_guest(r, g);
}

void vmx_linux_set_regs(struct vm *vm, const struct bh_monitor_regs *r)
{
	struct arch_vcpu *v = vm->arch;
	struct guest_regs *g = &v->regs;

	linux_regs_to_guest(g, r);
	if (load_for_monitor(vm, v, "writing its registers")) {
		vmcs_writel(GUEST_RSP, r->rsp);
		vmcs_writel(GUEST_RIP, r->rip);
	}
}

/* ---- exits ------------------------------------------------------------- */

static uint64_t rip(void) { return vmcs_readl(GUEST_RIP); }

static int lx_cpuid(struct vm *vm, struct arch_vcpu *v)
{
	linux_exit_cpuid(vm, &v->regs);
	return vmx_skip_instruction();
}

static int lx_hlt(struct vm *vm, struct arch_vcpu *v)
{
	(void)v;
	vmx_skip_instruction();
	return monitor_guest_hlt(vm, vmcs_readl(GUEST_RFLAGS) & RFLAGS_IF);
}

static int lx_msr(struct vm *vm, struct arch_vcpu *v, bool write)
{
	uint64_t efer = vmcs_read64(GUEST_IA32_EFER), value;

	switch (linux_exit_msr(vm, &v->regs, write, efer, vmcs_read64(GUEST_IA32_PAT),
	                       &v->lmsrs, rip(), &value)) {
	case LINUX_MSR_SET_EFER:
		/* LMA follows CR0.PG and LME (set_cr0): a write does not change it. */
		vmcs_write64(GUEST_IA32_EFER, (value & ~EFER_LMA) | (efer & EFER_LMA));
		break;
	case LINUX_MSR_SET_PAT:
		vmcs_write64(GUEST_IA32_PAT, value);
		break;
	case LINUX_MSR_REFUSED:
		return vmx_inject_exception(GP_VECTOR, true);
	case LINUX_MSR_DONE:
		break;
	}
	return vmx_skip_instruction();
}

/*
 * A write to CR0 changing PG or NE, or to CR4 changing VMXE (the bits the
 * kernel owns). PG moves the guest in or out of long mode when EFER.LME is
 * set: EFER.LMA and the "IA-32e mode guest" entry control follow, as the
 * CPU would do them. Setting CR4.VMXE is refused: no VMX in the guest.
 */
static int set_cr0(struct arch_vcpu *v, uint64_t value)
{
	if ((value & CR0_PG) && !(value & CR0_PE))
		return vmx_inject_exception(GP_VECTOR, true);
	uint64_t efer = vmcs_read64(GUEST_IA32_EFER);
	uint32_t entry = vmcs_read32(VM_ENTRY_CONTROLS);
	if ((value & CR0_PG) && (efer & EFER_LME)) {
		efer |= EFER_LMA;
		entry |= VM_ENTRY_IA32E_MODE;
	} else if (!(value & CR0_PG)) {
		efer &= ~EFER_LMA;
		entry &= ~VM_ENTRY_IA32E_MODE;
	}
	vmcs_write64(GUEST_IA32_EFER, efer);
	vmcs_write32(VM_ENTRY_CONTROLS, entry);
	uint64_t fixed0 = rdmsr(MSR_IA32_VMX_CR0_FIXED0) & ~(CR0_PE | CR0_PG);
	vmcs_writel(GUEST_CR0, vmx_fixed_bits(value, fixed0, rdmsr(MSR_IA32_VMX_CR0_FIXED1)));
	vmcs_writel(CR0_READ_SHADOW, value);
	if (v->vpid)   /* what a real change of CR0.PG flushes */
		invvpid(INVVPID_SINGLE_CONTEXT, v->vpid);
	return vmx_skip_instruction();
}

static int lx_cr_access(struct vm *vm, struct arch_vcpu *v)
{
	struct cr_access a = vmx_decode_cr_access(vmcs_readl(EXIT_QUALIFICATION));
	uint64_t value;

	switch (a.type) {
	case CR_ACCESS_MOV_TO_CR:
		value = vmx_read_gpr(v, a.gpr);
		if (a.cr == 0)
			return set_cr0(v, value);
		if (a.cr == 8) {
			v->cr8 = value & CR8_TPR_MASK;
			return vmx_skip_instruction();
		}
		if (a.cr == 3) {
			vmcs_writel(GUEST_CR3, value);
			return vmx_skip_instruction();
		}
		break;   /* CR4 with VMXE: refused */
	case CR_ACCESS_MOV_FROM_CR:
		vmx_write_gpr(v, a.gpr, a.cr == 8 ? v->cr8 : vmcs_readl(GUEST_CR3));
		return vmx_skip_instruction();
	case CR_ACCESS_CLTS:
	case CR_ACCESS_LMSW:
		return set_cr0(v, vmx_cr0_after(&a, vmcs_readl(CR0_READ_SHADOW)));
	}
	char what[64];
	bh_snprintf(what, sizeof(what), "write to CR%u refused", a.cr);
	guest_log_refusal(vm, what, rip());
	return vmx_inject_exception(GP_VECTOR, true);
}

static int lx_io(struct vm *vm, struct arch_vcpu *v)
{
	(void)v;
	struct io_access io = vmx_decode_io(vmcs_readl(EXIT_QUALIFICATION));
	struct bh_monitor_exit e = {
		.reason = BH_MON_EXIT_IO, .port = io.port, .size = (uint8_t)io.size, .in = io.in,
		.string = io.string, .rep = io.rep,
		.next_rip = rip() + vmcs_read32(VM_EXIT_INSTRUCTION_LEN),
	};
	return monitor_forward(vm, &e);
}

static int lx_ept_violation(struct vm *vm)
{
	uint64_t q = vmcs_readl(EXIT_QUALIFICATION), gpa = vmcs_read64(GUEST_PHYSICAL_ADDRESS);
	if (BH_LINUX_FORWARDED(gpa) && !(q & EPT_VIOLATION_ACC_INSTR)) {
		struct bh_monitor_exit e = {
			.reason = BH_MON_EXIT_MMIO, .gpa = gpa,
			.write = (q & EPT_VIOLATION_ACC_WRITE) != 0,
		};
		return monitor_forward(vm, &e);
	}
	char what[160];
	guest_describe_violation(what, sizeof(what), vm, "EPT", q & EPT_VIOLATION_ACC_WRITE,
	                         q & EPT_VIOLATION_ACC_INSTR, gpa);
	return guest_contain(vm, what, rip());
}

/* What made the guest exit, for its statistics (bh_vm_stat). */
static enum bh_exit_kind exit_kind(uint32_t basic)
{
	switch (basic) {
	case EXIT_REASON_IO_INSTRUCTION:     return BH_EXIT_KIND_IO;
	case EXIT_REASON_EPT_VIOLATION:      return BH_EXIT_KIND_MMIO;
	case EXIT_REASON_HLT:                return BH_EXIT_KIND_HLT;
	case EXIT_REASON_CPUID:              return BH_EXIT_KIND_CPUID;
	case EXIT_REASON_MSR_READ:
	case EXIT_REASON_MSR_WRITE:          return BH_EXIT_KIND_MSR;
	case EXIT_REASON_CR_ACCESS:          return BH_EXIT_KIND_CR;
	case EXIT_REASON_INTERRUPT_WINDOW:   return BH_EXIT_KIND_WINDOW;
	case EXIT_REASON_EXTERNAL_INTERRUPT:
	case EXIT_REASON_PREEMPTION_TIMER:   return BH_EXIT_KIND_PREEMPT;
	default:                             return BH_EXIT_KIND_OTHER;
	}
}

int vmx_linux_handle_exit(struct vm *vm, struct arch_vcpu *v)
{
	uint32_t reason = vmcs_read32(VM_EXIT_REASON);
	uint32_t basic = reason & VMX_EXIT_REASON_BASIC_MASK;
	char what[80];

	vm->exits_by_kind[exit_kind(basic)]++;
	if (reason & VMX_EXIT_REASONS_FAILED_VMENTRY) {
		bh_snprintf(what, sizeof(what), "VM entry failed (exit reason %u)", basic);
		return guest_contain(vm, what, rip());
	}
	reinject_interrupted_event();
	switch (basic) {
	case EXIT_REASON_EXTERNAL_INTERRUPT:
	case EXIT_REASON_PREEMPTION_TIMER:
		return RUN_PREEMPTED;
	case EXIT_REASON_EXCEPTION_NMI:      return EXIT_RESUME;   /* an NMI: the kernel's */
	case EXIT_REASON_INTERRUPT_WINDOW:   return EXIT_RESUME;   /* before_entry injects */
	case EXIT_REASON_TRIPLE_FAULT:
		return monitor_forward(vm, &(struct bh_monitor_exit){ .reason = BH_MON_EXIT_SHUTDOWN });
	case EXIT_REASON_CPUID:              return lx_cpuid(vm, v);
	case EXIT_REASON_HLT:                return lx_hlt(vm, v);
	case EXIT_REASON_INVD:
	case EXIT_REASON_WBINVD:             return vmx_skip_instruction();
	case EXIT_REASON_RDPMC:
	case EXIT_REASON_XSETBV:             return vmx_inject_exception(GP_VECTOR, true);
	case EXIT_REASON_CR_ACCESS:          return lx_cr_access(vm, v);
	case EXIT_REASON_IO_INSTRUCTION:     return lx_io(vm, v);
	case EXIT_REASON_MSR_READ:           return lx_msr(vm, v, false);
	case EXIT_REASON_MSR_WRITE:          return lx_msr(vm, v, true);
	case EXIT_REASON_EPT_VIOLATION:      return lx_ept_violation(vm);
	case EXIT_REASON_VMCALL: case EXIT_REASON_VMCLEAR: case EXIT_REASON_VMLAUNCH:
	case EXIT_REASON_VMPTRLD: case EXIT_REASON_VMPTRST: case EXIT_REASON_VMREAD:
	case EXIT_REASON_VMRESUME: case EXIT_REASON_VMWRITE: case EXIT_REASON_VMOFF:
	case EXIT_REASON_VMON: case EXIT_REASON_INVEPT: case EXIT_REASON_INVVPID:
	case EXIT_REASON_VMFUNC: case EXIT_REASON_MWAIT_INSTRUCTION:
	case EXIT_REASON_MONITOR_INSTRUCTION:
		return vmx_inject_exception(UD_VECTOR, false);
	}
	bh_snprintf(what, sizeof(what), "unexpected VM exit (reason %u: %s)", basic,
	            vmx_exit_reason_name(reason));
	return guest_contain(vm, what, rip());
}
