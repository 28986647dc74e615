; SPDX-License-Identifier: GPL-2.0-only
; VM entry and exit (contract in arch/x86/vmx/guest_regs.h).
bits 64
default rel

%include "asm_offsets.inc"
%include "arch/x86/guest_regs.inc"

section .text

; int vmx_enter(struct guest_regs *regs, uint64_t launched)
;   in:  rdi = regs, rsi = launched (0: VMLAUNCH, else VMRESUME)
;   out: eax = 0 after a VM exit (guest registers saved in *regs),
;        eax = 1 if VMLAUNCH/VMRESUME failed.
;   Preserves the SysV callee-saved registers; clobbers the rest.
global vmx_enter:function hidden
vmx_enter:
	push_callee_saved
	push rdi                        ; regs, found again at [rsp] on exit

	mov rax, VMCS_HOST_RSP
	vmwrite rax, rsp

	mov rax, [rdi + GR_CR2]
	mov cr2, rax
	test rsi, rsi                   ; flags survive the moves below
	mov rax, [rdi + GR_RAX]
	load_guest_regs_but_rax_rdi
	mov rdi, [rdi + GR_RDI]
	jnz .resume
	vmlaunch
	jmp .failed
.resume:
	vmresume
.failed:
	pop rdi
	pop_callee_saved
	mov eax, 1
	ret

; VM exits land here (HOST_RIP) with rsp = HOST_RSP, i.e. pointing at the
; regs pointer pushed above, and every general register still the guest's.
global vmx_exit_entry:data hidden
vmx_exit_entry:
	xchg rdi, [rsp]                 ; rdi = regs, [rsp] = guest rdi
	mov [rdi + GR_RAX], rax
	store_guest_regs_but_rax_rdi
	pop rax
	mov [rdi + GR_RDI], rax
	mov rax, cr2
	mov [rdi + GR_CR2], rax
	pop_callee_saved
	xor eax, eax
	ret
