/* SPDX-License-Identifier: GPL-2.0-only */
/* AMD-V operation on the CPU (private to arch/x86/svm). */
#ifndef ARCH_X86_SVM_SVM_H
#define ARCH_X86_SVM_SVM_H

#include <stdint.h>

#include "arch/x86/guest_regs.h"
#include "arch/x86/svm/caps.h"

/* MSRs of AMD-V (AMD APM Vol. 2 §15.30). */
#define MSR_VM_CR        0xc0010114
#define MSR_VM_HSAVE_PA  0xc0010117

/* The capabilities svm_probe read and decoded. */
extern struct svm_caps svm_caps;

/*
 * Reads the AMD-V capabilities of this CPU and logs them on one line
 * ("cpu: ..."). Returns NULL if VMs can run, else a sentence naming what
 * is missing.
 */
const char *svm_probe(void);

/*
 * Turns AMD-V on for the boot CPU: EFER.SVME, the host save area in
 * VM_HSAVE_PA, and the host VMCB holding what VMSAVE saves of the kernel
 * (FS, GS, TR, LDTR and the syscall MSRs), reloaded after every exit.
 * Returns 0, -BH_EPERM (firmware disabled SVM) or -BH_ENOMEM.
 */
int svm_cpu_enable(void);   /* on the calling CPU, its percpu holding the areas */


/*
 * Enters the guest of the VMCB at vmcb (vmrun.asm): loads *regs (RAX comes
 * from the VMCB) and CR2 from regs->cr2, VMLOADs the guest's FS, GS, TR,
 * LDTR and syscall MSRs, runs it with VMRUN, and on #VMEXIT saves the
 * guest's registers in *regs (but RAX; CR2 included) and VMSAVEs its state
 * back into its VMCB, then VMLOADs the host VMCB at host_vmcb. VMRUN and
 * #VMEXIT move CR2 through the VMCB too (AMD APM Vol. 2 §15.5), so the
 * caller keeps vmcb->save.cr2 equal to regs->cr2; loading it by hand as
 * well serves emulators that do not (Bochs 2.7). Physical interrupts that arrive while the guest runs
 * cause an exit and stay pending (RFLAGS.IF is 0 again on return).
 */
void svm_enter(struct guest_regs *regs, uint64_t vmcb, uint64_t host_vmcb);

#endif
