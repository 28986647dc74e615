; SPDX-License-Identifier: GPL-2.0-only
; VM entry and exit on AMD-V (contract in arch/x86/svm/svm.h).
bits 64
default rel

%include "asm_offsets.inc"
%include "arch/x86/guest_regs.inc"

section .text

; void svm_enter(struct guest_regs *regs, uint64_t vmcb, uint64_t host_vmcb)
;   in:  rdi = regs, rsi = guest VMCB (physical), rdx = host VMCB (physical)
;   out: nothing; the guest's registers but RAX are in *regs.
;   Preserves the SysV callee-saved registers; clobbers the rest. Entered
;   and left with RFLAGS.IF = 0 and GIF = 1.
global svm_enter:function hidden
svm_enter:
	push_callee_saved
	push rdx                        ; host VMCB, [rsp + 16] below
	push rsi                        ; guest VMCB, [rsp + 8]
	push rdi                        ; regs, [rsp]

	; GIF = 0 holds interrupts and NMIs until VMRUN sets it; with IF = 1
	; saved as the host's, a physical interrupt in the guest exits
	; (V_INTR_MASKING, APM Vol. 2 §15.21.1) instead of waiting for the
	; guest's own IF.
	clgi
	sti
	; CR2 by hand as well as through the VMCB (svm_enter's contract):
	; Bochs 2.7's VMRUN leaves it as it was.
	mov rax, [rdi + GR_CR2]
	mov cr2, rax
	mov rax, rsi
	vmload                          ; the VMCB at rax
	load_guest_regs_but_rax_rdi
	mov rdi, [rdi + GR_RDI]
	vmrun                           ; the VMCB at rax

	; #VMEXIT: GIF = 0, RSP and RIP are the host's, general registers
	; but RAX and RSP still the guest's.
	xchg rdi, [rsp]                 ; rdi = regs, [rsp] = guest rdi
	store_guest_regs_but_rax_rdi
	pop rax
	mov [rdi + GR_RDI], rax
	mov rax, cr2                    ; #VMEXIT does not restore the host's
	mov [rdi + GR_CR2], rax
	pop rax                         ; guest VMCB
	vmsave                          ; the VMCB at rax
	pop rax                         ; host VMCB
	vmload                          ; the VMCB at rax
	cli
	stgi                            ; pending interrupts wait for IF
	pop_callee_saved
	ret
