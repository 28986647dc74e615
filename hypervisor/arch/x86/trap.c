/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * IDT set-up and trap dispatch. Exceptions in the kernel are our bugs or a
 * deliberate fault test: each is reported in full and stops the machine.
 */
#include "arch/x86/trap.h"

#include <stdbool.h>

#include "arch/x86/backtrace.h"
#include "arch/x86/cpu.h"
#include "arch/x86/gdt.h"
#include "arch/x86/lapic.h"
#include "arch/x86/percpu.h"
#include "kernel/device.h"
#include "kernel/log.h"
#include "kernel/panic.h"

struct __attribute__((packed)) idt_gate {
	uint16_t offset_lo;
	uint16_t selector;
	uint8_t  ist;
	uint8_t  type_attr;   /* 0x8e: present, DPL 0, 64-bit interrupt gate */
	uint16_t offset_mid;
	uint32_t offset_hi;
	uint32_t reserved;
};

static struct idt_gate idt[256] __attribute__((aligned(16)));

static const char *const exception_names[32] = {
	"DE", "DB", "NMI", "BP", "OF", "BR", "UD", "NM", "DF", "MF(coproc)",
	"TS", "NP", "SS", "GP", "PF", "reserved15", "MF", "AC", "MC", "XM",
	"VE", "CP", "reserved22", "reserved23", "reserved24", "reserved25",
	"reserved26", "reserved27", "HV", "VC", "SX", "reserved31",
};

static uint8_t ist_for(unsigned vector)
{
	switch (vector) {
	case 2:  return IST_NMI;
	case 8:  return IST_DOUBLE_FAULT;
	case 18: return IST_MACHINE_CHECK;
	default: return 0;
	}
}

void idt_init(void)
{
	for (unsigned v = 0; v < 256; v++) {
		uint64_t a = (uint64_t)(uintptr_t)(isr_stubs + v * ISR_STUB_SIZE);
		idt[v] = (struct idt_gate){
			.offset_lo = (uint16_t)a, .selector = SEL_KCODE,
			.ist = ist_for(v), .type_attr = 0x8e,
			.offset_mid = (uint16_t)(a >> 16), .offset_hi = (uint32_t)(a >> 32),
		};
	}
	idt_load();
}

void idt_load(void)
{
	struct desc_ptr p = { sizeof(idt) - 1, (uint64_t)(uintptr_t)idt };
	lidt(&p);
}

static void report_exception(const struct trap_frame *f)
{
	kprintf("bulkhead: EXCEPTION #%s (vector %llu) error=0x%llx rip=0x%016llx cr2=0x%016llx\n",
	        exception_names[f->vector], (unsigned long long)f->vector,
	        (unsigned long long)f->error, (unsigned long long)f->rip,
	        (unsigned long long)read_cr2());
	kprintf("  cs=0x%llx rflags=0x%llx rsp=0x%016llx ss=0x%llx cr0=0x%llx cr3=0x%llx cr4=0x%llx\n",
	        (unsigned long long)f->cs, (unsigned long long)f->rflags,
	        (unsigned long long)f->rsp, (unsigned long long)f->ss,
	        (unsigned long long)read_cr0(), (unsigned long long)read_cr3(),
	        (unsigned long long)read_cr4());
	kprintf("  rax=%016llx rbx=%016llx rcx=%016llx rdx=%016llx\n",
	        (unsigned long long)f->rax, (unsigned long long)f->rbx,
	        (unsigned long long)f->rcx, (unsigned long long)f->rdx);
	kprintf("  rsi=%016llx rdi=%016llx rbp=%016llx r8 =%016llx\n",
	        (unsigned long long)f->rsi, (unsigned long long)f->rdi,
	        (unsigned long long)f->rbp, (unsigned long long)f->r8);
	kprintf("  r9 =%016llx r10=%016llx r11=%016llx r12=%016llx\n",
	        (unsigned long long)f->r9, (unsigned long long)f->r10,
	        (unsigned long long)f->r11, (unsigned long long)f->r12);
	kprintf("  r13=%016llx r14=%016llx r15=%016llx\n",
	        (unsigned long long)f->r13, (unsigned long long)f->r14,
	        (unsigned long long)f->r15);
	backtrace_print(f->rip, f->rbp);
}

void trap_dispatch(struct trap_frame *f)
{
	/* NMIs are the kernel's and carry no work for it. On AMD-V one that
	 * arrives while a guest runs exits it (svm/exits.c logs that), stays
	 * pending while GIF is 0 and is delivered here when svm/vmrun.asm
	 * sets GIF again; it must not stop the kernel. */
	if (f->vector == NMI_VECTOR)
		return;
	if (f->vector < 32) {
		/* A fault while reporting a fault: the console path itself is
		 * broken, so printing again would only recurse. */
		struct percpu *me = percpu_this();
		if (me->in_exception)
			cpu_stop();
		me->in_exception = true;
		log_console_sync();
		report_exception(f);
		panic_stop();
	}
	if (f->vector == LAPIC_SPURIOUS_VECTOR)
		return;   /* no EOI for spurious interrupts (SDM Vol. 3A §11.9) */
	/* Interrupts may come while this CPU idles without the kernel lock:
	 * they only note what came (device_irq.c passes it on under the
	 * lock) and end the idle wait. */
	if (f->vector >= LAPIC_DEVICE_VECTOR &&
	    f->vector < LAPIC_DEVICE_VECTOR + LAPIC_DEVICE_VECTORS) {
		device_irq_note((unsigned)(f->vector - LAPIC_DEVICE_VECTOR));
		lapic_idle_wake();
	} else if (f->vector == LAPIC_KICK_VECTOR) {
		lapic_idle_wake();
	} else if (f->vector != LAPIC_TIMER_VECTOR) {
		percpu_this()->unexpected_vector = (uint8_t)f->vector;
		percpu_this()->irq_news = true;
	}
	lapic_eoi();
}
